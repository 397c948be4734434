/** PNG files written by hand for tests: 8-bit greyscale or RGB, every row the same. */
import { deflateSync } from 'node:zlib';

function crc32(b: Buffer): number {
  let c = ~0;
  for (const byte of b) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/**
 * A PNG whose header says `width` × `height` (a decompression bomb's header may claim more than the
 * data holds) and whose data is `rows` copies of `pixels` (one row's bytes, without its filter byte).
 */
export function encodePng(opts: { width: number; height: number; colour: 'grey' | 'rgb'; pixels: Buffer; rows: number }): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(opts.width, 0);
  ihdr.writeUInt32BE(opts.height, 4);
  ihdr.set([8, opts.colour === 'rgb' ? 2 : 0, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), opts.pixels]);
  const raw = Buffer.concat(Array.from({ length: opts.rows }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
