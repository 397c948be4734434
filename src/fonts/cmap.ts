/**
 * The characters a font face has: its best Unicode cmap subtable (the one fontTools'
 * `getBestCmap` and the browser use), read straight from the OpenType/TrueType file or
 * collection without loading the rest. A few kilobytes are read; results are kept per process.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';

/** Subtables in the order fontTools' getBestCmap prefers them: (platform, encoding). */
const PREFERRED: ReadonlyArray<readonly [number, number]> = [[3, 10], [0, 6], [0, 4], [3, 1], [0, 3], [0, 2], [0, 1], [0, 0]];

async function bytes(fh: FileHandle, offset: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, offset);
  if (bytesRead < length) throw new Error(`unexpected end of font file at ${offset + bytesRead}`);
  return buf;
}

async function tableOffset(fh: FileHandle, index: number, tag: string): Promise<{ offset: number; length: number } | undefined> {
  let base = 0;
  const head = await bytes(fh, 0, 12);
  if (head.toString('latin1', 0, 4) === 'ttcf') {
    const count = head.readUInt32BE(8);
    if (index >= count) throw new Error(`the collection has ${count} faces, not face ${index}`);
    base = (await bytes(fh, 12 + 4 * index, 4)).readUInt32BE(0);
  } else if (index !== 0) throw new Error(`not a collection: no face ${index}`);
  const numTables = (await bytes(fh, base + 4, 2)).readUInt16BE(0);
  const dir = await bytes(fh, base + 12, 16 * numTables);
  for (let i = 0; i < numTables; i++) {
    if (dir.toString('latin1', 16 * i, 16 * i + 4) === tag) return { offset: dir.readUInt32BE(16 * i + 8), length: dir.readUInt32BE(16 * i + 12) };
  }
  return undefined;
}

function format4(t: Buffer, out: Set<number>): void {
  const segX2 = t.readUInt16BE(6);
  const ends = 14;
  const starts = ends + segX2 + 2;
  const deltas = starts + segX2;
  const ranges = deltas + segX2;
  for (let s = 0; s < segX2; s += 2) {
    const end = t.readUInt16BE(ends + s);
    const start = t.readUInt16BE(starts + s);
    const delta = t.readUInt16BE(deltas + s);
    const range = t.readUInt16BE(ranges + s);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let gid: number;
      if (range === 0) gid = (c + delta) & 0xffff;
      else {
        const at = ranges + s + range + 2 * (c - start);
        gid = at + 2 <= t.length ? t.readUInt16BE(at) : 0;
        if (gid) gid = (gid + delta) & 0xffff;
      }
      if (gid) out.add(c);
    }
  }
}

function format12(t: Buffer, out: Set<number>): void {
  const groups = t.readUInt32BE(12);
  for (let g = 0; g < groups; g++) {
    const at = 16 + 12 * g;
    const start = t.readUInt32BE(at);
    const end = Math.min(t.readUInt32BE(at + 4), 0x10ffff);
    const gid = t.readUInt32BE(at + 8);
    for (let c = start; c <= end; c++) if (gid + (c - start)) out.add(c);
  }
}

/** The code points face `index` of `file` maps to a glyph other than .notdef. */
export async function readCoverage(file: string, index = 0): Promise<Set<number>> {
  const fh = await open(file, 'r');
  try {
    const cmap = await tableOffset(fh, index, 'cmap');
    if (!cmap) return new Set();
    const table = await bytes(fh, cmap.offset, cmap.length);
    const n = table.readUInt16BE(2);
    const subtables = new Map<string, number>();
    for (let i = 0; i < n; i++) subtables.set(`${table.readUInt16BE(4 + 8 * i)}/${table.readUInt16BE(6 + 8 * i)}`, table.readUInt32BE(8 + 8 * i));
    for (const [platform, encoding] of PREFERRED) {
      const at = subtables.get(`${platform}/${encoding}`);
      if (at === undefined) continue;
      const format = table.readUInt16BE(at);
      const out = new Set<number>();
      if (format === 4) format4(table.subarray(at, at + table.readUInt16BE(at + 2)), out);
      else if (format === 12) format12(table.subarray(at, at + table.readUInt32BE(at + 4)), out);
      else continue;
      return out;
    }
    return new Set();
  } finally {
    await fh.close();
  }
}

const cache = new Map<string, Promise<Set<number>>>();

/** {@link readCoverage}, once per process per (file, face, mtime, size). */
export async function coverage(file: string, index = 0): Promise<Set<number>> {
  const st = await stat(file);
  const key = `${file}\0${index}\0${st.mtimeMs}\0${st.size}`;
  let p = cache.get(key);
  if (!p) {
    p = readCoverage(file, index);
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}
