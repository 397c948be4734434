/**
 * The EPUB container, written so that the same entries give the same bytes: `mimetype` first and
 * stored (OCF 3.0 §4.3), then the container and package documents, then everything else sorted;
 * one fixed modification time on every entry; no extra fields, comments or file attributes.
 */
import { zipSync, type Zippable } from 'fflate';

/** Types that are compressed already: storing them saves time and a few bytes. */
const STORED = /\.(png|jpe?g|gif|woff2?)$/i;

const FIRST = ['mimetype', 'META-INF/container.xml', 'OEBPS/content.opf'];

export function entryOrder(names: string[]): string[] {
  const rest = names.filter((n) => !FIRST.includes(n)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [...FIRST.filter((n) => names.includes(n)), ...rest];
}

export function deterministicZip(entries: Map<string, Uint8Array>, timestamp: Date): Uint8Array {
  if (!entries.has('mimetype')) throw new Error('an EPUB needs a mimetype entry');
  const files: Zippable = {};
  for (const name of entryOrder([...entries.keys()])) {
    const level = name === 'mimetype' || STORED.test(name) ? 0 : 9;
    // fflate's mtime is read in the local time zone; any valid date will do, dosStamp() below
    // overwrites it with the timestamp's UTC fields so the bytes do not depend on TZ.
    files[name] = [entries.get(name)!, { level, mtime: new Date(2000, 0, 1) }];
  }
  const zip = zipSync(files);
  setDosTimes(zip, dosStamp(timestamp));
  return zip;
}

/** MS-DOS date and time (local time with 2-second steps, 1980-2107) from the UTC fields. */
export function dosStamp(d: Date): { time: number; date: number } {
  const min = Date.UTC(1980, 0, 1);
  const max = Date.UTC(2107, 11, 31, 23, 59, 58);
  const t = new Date(Math.min(max, Math.max(min, d.getTime())));
  return {
    time: (t.getUTCHours() << 11) | (t.getUTCMinutes() << 5) | (t.getUTCSeconds() >> 1),
    date: ((t.getUTCFullYear() - 1980) << 9) | ((t.getUTCMonth() + 1) << 5) | t.getUTCDate(),
  };
}

/** Patch every local and central header of a zip (no zip64, no archive comment). */
function setDosTimes(zip: Uint8Array, { time, date }: { time: number; date: number }): void {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = zip.length - 22;
  if (v.getUint32(eocd, true) !== 0x06054b50) throw new Error('zip: end of central directory not found');
  const count = v.getUint16(eocd + 10, true);
  let p = v.getUint32(eocd + 16, true);
  for (let i = 0; i < count; i++) {
    if (v.getUint32(p, true) !== 0x02014b50) throw new Error('zip: bad central directory entry');
    v.setUint16(p + 12, time, true);
    v.setUint16(p + 14, date, true);
    const local = v.getUint32(p + 42, true);
    if (v.getUint32(local, true) !== 0x04034b50) throw new Error('zip: bad local header');
    v.setUint16(local + 10, time, true);
    v.setUint16(local + 12, date, true);
    p += 46 + v.getUint16(p + 28, true) + v.getUint16(p + 30, true) + v.getUint16(p + 32, true);
  }
}
