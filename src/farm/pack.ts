/**
 * What travels with a farm job: the edition folder, every regular file in it (hidden ones, such as
 * .git, left out), each by its path inside the folder, sha256 and size, within FARM_LIMITS. A link
 * to a file inside the folder travels as that file; a link out of it, a folder link, a pipe or a
 * device does not (a local build refuses to read those too). The folder's name is the edition's
 * slug, as for `paiban build`: its outputs are <slug>.pdf, <slug>.epub, <slug>.manifest.json.
 */
import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { PaibanError } from '../errors.ts';
import { formatBytes } from '../limits.ts';
import { isInside } from '../load/files.ts';
import { FARM_LIMITS } from './job.ts';
import { badPath, badSlug } from './validate.ts';

export interface PackedFile {
  path: string;
  sha256: string;
  size: number;
  bytes: Uint8Array;
}

export interface PackedEdition {
  /** The edition folder, a real path. */
  dir: string;
  slug: string;
  files: PackedFile[];
  bytes: number;
  /** What was left out, and why (links out of the folder, pipes …). */
  skipped: string[];
}

const limit = (what: string, hint: string, file: string) => new PaibanError('LimitExceeded', what, { where: { file }, hint });

export async function packEdition(dirArg: string): Promise<PackedEdition> {
  let dir: string;
  try {
    dir = await realpath(dirArg);
    if (!(await stat(dir)).isDirectory()) throw new Error('not a folder');
    if (!(await stat(path.join(dir, 'edition.yaml'))).isFile()) throw new Error('no edition.yaml');
  } catch {
    throw new PaibanError('EditionNotFound', `no edition folder with an edition.yaml at ${dirArg}`, {
      where: { file: dirArg },
      hint: 'give the path of a folder holding edition.yaml (paiban new DIR scaffolds one)',
    });
  }
  const slug = path.basename(dir);
  const bad = badSlug(slug);
  if (bad) throw new PaibanError('Usage', `the edition folder's name "${slug}" cannot name its outputs: ${bad}`, { where: { file: dirArg }, hint: 'rename the folder' });
  const out: PackedEdition = { dir, slug, files: [], bytes: 0, skipped: [] };
  await walk(dir, '', out, 0);
  out.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return out;
}

async function walk(dir: string, rel: string, out: PackedEdition, depth: number): Promise<void> {
  if (depth > 32) throw limit(`the edition folder nests folders more than 32 deep (at ${rel})`, 'an edition holds its articles and images; move the rest out of its folder', rel);
  let entries: Dirent[];
  try {
    entries = await readdir(path.join(dir, rel), { withFileTypes: true });
  } catch (e) {
    throw new PaibanError('EditionNotFound', `cannot read the folder ${path.join(dir, rel)} (${(e as NodeJS.ErrnoException).code})`, { where: { file: rel || '.' }, hint: 'check its permissions' });
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = rel ? `${rel}/${e.name}` : e.name;
    const abs = path.join(dir, p);
    if (e.isDirectory()) {
      await walk(dir, p, out, depth + 1);
      continue;
    }
    let file = abs;
    if (e.isSymbolicLink()) {
      const real = await realpath(abs).catch(() => undefined);
      const st = real ? await stat(real).catch(() => undefined) : undefined;
      if (!real || !st?.isFile() || !isInside(dir, real)) {
        out.skipped.push(`${p} (a link ${!real ? 'to nothing' : !st?.isFile() ? 'to a folder or device' : 'out of the edition folder'})`);
        continue;
      }
      file = real;
    } else if (!e.isFile()) {
      out.skipped.push(`${p} (not a regular file)`);
      continue;
    }
    const problem = badPath(p);
    if (problem) throw new PaibanError('Usage', `the file name "${p}" cannot travel with a farm job: ${problem}`, { where: { file: p }, hint: 'rename it, or move it out of the edition folder' });
    if (out.files.length >= FARM_LIMITS.files) throw limit(`the edition folder holds more than ${FARM_LIMITS.files} files: a farm job carries at most ${FARM_LIMITS.files}`, 'move what the edition does not use out of its folder', p);
    const size = (await stat(file)).size;
    if (size > FARM_LIMITS.fileBytes) throw limit(`${p} is ${formatBytes(size)}: a farm job carries files of at most ${formatBytes(FARM_LIMITS.fileBytes)}`, 'a file this large is not an article or a photo for print: move it out of the edition folder', p);
    if (out.bytes + size > FARM_LIMITS.bytes) throw limit(`the edition folder's files add up to more than ${formatBytes(FARM_LIMITS.bytes)}, the most a farm job carries (at ${p})`, 'move what the edition does not use out of its folder', p);
    const bytes = new Uint8Array(await readFile(file));
    out.files.push({ path: p, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, bytes });
    out.bytes += bytes.length;
  }
}
