/**
 * "Did you mean" for a file that does not exist: a file of the edition with a close name (suggest.ts
 * judges how close), or one of that name in another folder of the edition.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { closest } from './suggest.ts';

/** A file of the edition close to `rel` (relative to the edition), or undefined. */
export async function suggestFile(editionDir: string, rel: string): Promise<string | undefined> {
  const files = await listFiles(editionDir);
  const base = path.posix.basename(rel);
  const dir = path.posix.dirname(rel);
  const sibling = closest(base, files.filter((f) => path.posix.dirname(f) === dir).map((f) => path.posix.basename(f)));
  if (sibling) return dir === '.' ? sibling : `${dir}/${sibling}`;
  return files.find((f) => path.posix.basename(f).toLowerCase() === base.toLowerCase()) ?? closest(rel, files);
}

async function listFiles(root: string, limit = 2000): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(path.join(root, rel), { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (out.length >= limit || e.name.startsWith('.')) continue;
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  await walk('');
  return out;
}
