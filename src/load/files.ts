/** Reading files of an edition: strict UTF-8, hashing, and paths that must stay inside the edition. */
import { createHash } from 'node:crypto';
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { PaibanError } from '../errors.ts';

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Decode UTF-8, failing on invalid bytes with the line where they occur. A BOM is dropped. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    const at = firstInvalidByte(bytes);
    const line = 1 + bytes.subarray(0, at).filter((b) => b === 0x0a).length;
    throw new PaibanError('InvalidUtf8', `the file is not valid UTF-8 (byte 0x${(bytes[at] ?? 0).toString(16)} at offset ${at})`, {
      where: { file, line },
      hint: 'save the file as UTF-8 (e.g. iconv -f GB18030 -t UTF-8 in.md > out.md)',
    });
  }
}

/** Offset of the first byte that does not start a valid UTF-8 sequence. */
function firstInvalidByte(b: Uint8Array): number {
  const strict = new TextDecoder('utf-8', { fatal: true });
  for (let i = 0; i < b.length; ) {
    const lead = b[i]!;
    const len = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > b.length) return i;
    try {
      strict.decode(b.subarray(i, i + len));
    } catch {
      return i;
    }
    i += len;
  }
  return b.length;
}

export interface ReadResult {
  text: string;
  bytes: Uint8Array;
}

export async function readUtf8(absPath: string, relName: string): Promise<ReadResult> {
  const bytes = await readFile(absPath);
  return { bytes, text: decodeUtf8(bytes, relName) };
}

/**
 * Resolve `rel` against the edition folder and make sure it stays inside it, symlinks included.
 * Returns the real path, or undefined when it escapes or does not exist (the caller decides
 * whether that is an error or a refused reference).
 */
export async function resolveInside(editionDir: string, rel: string): Promise<{ abs: string } | { problem: 'outside' | 'missing' | 'absolute' }> {
  if (path.isAbsolute(rel) || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(rel)) return { problem: 'absolute' };
  const joined = path.resolve(editionDir, rel);
  if (!isInside(editionDir, joined)) return { problem: 'outside' };
  let real: string;
  try {
    real = await realpath(joined);
  } catch {
    return { problem: 'missing' };
  }
  return isInside(editionDir, real) ? { abs: real } : { problem: 'outside' };
}

export function isInside(dir: string, p: string): boolean {
  const r = path.relative(dir, p);
  return r !== '' && !r.startsWith('..') && !path.isAbsolute(r);
}
