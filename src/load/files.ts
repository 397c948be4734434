/** Reading files of an edition: strict UTF-8, hashing, and paths that must stay inside the edition. */
import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { PaibanError } from '../errors.ts';
import { LIMITS, formatBytes, limitName } from '../limits.ts';

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
      hint: utf8Hint(file),
    });
  }
}

/** How to fix a file that is not UTF-8, named for what it is (an article, edition.yaml, a template file). */
export function utf8Hint(file: string): string {
  const base = path.basename(file);
  const ext = path.extname(base).toLowerCase();
  const kind =
    base === 'edition.yaml' ? 'edition.yaml'
    : base === 'template.yaml' ? 'the template\'s template.yaml'
    : ext === '.md' || ext === '.markdown' ? 'the article'
    : ext === '.hbs' ? 'the template file'
    : ext === '.css' ? 'the stylesheet'
    : 'the file';
  const tmp = `${base.slice(0, base.length - ext.length) || base}.utf8${ext}`;
  return `save ${kind} as UTF-8 in your editor, or convert it: iconv -f GB18030 -t UTF-8 ${base} > ${tmp} && mv ${tmp} ${base} (GB18030 covers GBK and GB2312; Big5 for Traditional Chinese)`;
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

/**
 * Read a file as strict UTF-8. With `limit`, a file larger than that is refused before it is read
 * (LimitExceeded naming the limit), so a huge file costs no memory.
 */
export async function readUtf8(absPath: string, relName: string, limit?: { bytes: number; name: keyof typeof LIMITS; what: string; hint: string }): Promise<ReadResult> {
  if (limit) {
    const { size } = await stat(absPath);
    if (size > limit.bytes) {
      throw new PaibanError('LimitExceeded', `${limit.what} is ${formatBytes(size)}: paiban reads at most ${formatBytes(limit.bytes)} (${limitName(limit.name)})`, {
        where: { file: relName },
        hint: limit.hint,
      });
    }
  }
  const bytes = await readFile(absPath);
  return { bytes, text: decodeUtf8(bytes, relName) };
}

/** A template's or theme's text file: strict UTF-8, at most LIMITS.configBytes. */
export async function readTextFile(absPath: string, relName = absPath): Promise<string> {
  const { text } = await readUtf8(absPath, relName, { bytes: LIMITS.configBytes, name: 'configBytes', what: 'the file', hint: 'a template file this large is a mistake: check the path' });
  return text;
}

/**
 * Resolve `rel` against the edition folder and make sure it stays inside it, symlinks included,
 * and that it is a regular file (not a folder, a FIFO or a device, which could block a read).
 * Returns the real path and size, or the problem (the caller decides whether that is an error
 * or a refused reference).
 */
export async function resolveInside(
  editionDir: string,
  rel: string,
): Promise<{ abs: string; size: number } | { problem: 'outside' | 'missing' | 'absolute' | 'notfile' }> {
  if (path.isAbsolute(rel) || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(rel)) return { problem: 'absolute' };
  const joined = path.resolve(editionDir, rel);
  if (!isInside(editionDir, joined)) return { problem: 'outside' };
  let real: string;
  try {
    real = await realpath(joined);
  } catch {
    return { problem: 'missing' };
  }
  if (!isInside(editionDir, real)) return { problem: 'outside' };
  const st = await stat(real).catch(() => undefined);
  if (!st) return { problem: 'missing' };
  return st.isFile() ? { abs: real, size: st.size } : { problem: 'notfile' };
}

export function isInside(dir: string, p: string): boolean {
  const r = path.relative(dir, p);
  // `..x.md` is a file inside; `..` and `../x` are not.
  return r !== '' && r !== '..' && !r.startsWith(`..${path.sep}`) && !path.isAbsolute(r);
}
