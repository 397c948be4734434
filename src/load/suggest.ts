/**
 * "Did you mean": the closest of some names to a misspelt one, by edit distance (case folded), when
 * it is close enough to be the likely intent.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** Levenshtein distance between a and b. */
export function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** The candidate closest to `name`, if within a third of its length (at least 2 edits). */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const n = name.toLowerCase();
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = distance(n, c.toLowerCase());
    if (!best || d < best.d) best = { c, d };
  }
  return best && best.d <= Math.max(2, Math.floor(name.length / 3)) ? best.c : undefined;
}

/**
 * A file of the edition close to a path that does not exist: a sibling with a close name, or a file
 * of that name in another folder of the edition. The path returned is relative to the edition.
 */
export async function suggestFile(editionDir: string, rel: string): Promise<string | undefined> {
  const files = await listFiles(editionDir);
  const base = path.posix.basename(rel);
  const dir = path.posix.dirname(rel);
  const siblings = files.filter((f) => path.posix.dirname(f) === dir);
  return closest(base, siblings.map((f) => path.posix.basename(f)))?.replace(/^/, dir === '.' ? '' : `${dir}/`) ?? files.find((f) => path.posix.basename(f).toLowerCase() === base.toLowerCase()) ?? closest(rel, files);
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
