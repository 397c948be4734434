/**
 * Where a job's outputs go, and how they get there whole. A worker writes only inside its --out
 * (the farm's shared folder): a job's own out (enqueue --out) must be that folder or one inside
 * it, links resolved. The build writes into a staging folder of the job's own under
 * `<--out>/.paiban-farm/`, on the same file system, and the outputs are then renamed into place
 * one by one (PDF, EPUB, the manifest last): a reader never sees a half-written file, and a job
 * handed back or killed mid-build publishes nothing. Staging folders of workers of this machine
 * that were killed are swept at a worker's start.
 */
import { existsSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, realpath, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PaibanError } from '../errors.ts';
import { isInside, sha256 } from '../load/files.ts';
import { writeAtomic } from '../output/atomic.ts';
import type { JobOutput } from './job.ts';
import { sweepDead } from './sweep.ts';

export const STAGING = '.paiban-farm';
const within = (dir: string, p: string) => p === dir || isInside(dir, p);
const host = () => os.hostname().replace(/[^A-Za-z0-9.-]/g, '_');

/** The worker's --out, made if missing, as a real path. */
export async function outRoot(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true }).catch((e: NodeJS.ErrnoException) => {
    throw new PaibanError('OutputFailed', `cannot make the output folder ${dir} (${e.code})`, { hint: 'give paiban worker --out a folder it can write (the farm\'s shared folder)' });
  });
  return realpath(dir);
}

/** The folder a job's outputs go to: its own out when it is inside the worker's, else JobInvalid. */
export async function jobOut(root: string, requested: string | undefined): Promise<string> {
  if (requested === undefined) return root;
  const refuse = (why: string) =>
    new PaibanError('JobInvalid', `the job's output folder ${requested} ${why}`, {
      hint: `give enqueue --out a folder inside ${root}, the folder the workers write (mount the shared folder at the same path on every machine), or leave --out out`,
    });
  if (!path.isAbsolute(requested)) throw refuse('is not an absolute path');
  const wanted = path.resolve(requested);
  if (!within(root, wanted)) throw refuse(`is not inside ${root}, the folder this worker writes`);
  if (within(path.join(root, STAGING), wanted)) throw refuse(`is inside the workers' staging folder ${STAGING}`);
  // Links resolved: the nearest folder that exists must still be inside.
  let p = wanted;
  while (!existsSync(p) && p !== root) p = path.dirname(p);
  const real = await realpath(p);
  if (!within(root, real)) throw refuse(`leads out of ${root} through a link (${p} is ${real})`);
  if (!(await stat(real)).isDirectory()) throw refuse(`cannot be made: ${p} is a file`);
  return wanted;
}

const live = new Set<string>();
let hooked = false;

/** A fresh staging folder for one job under `<root>/.paiban-farm/`. */
export async function stagingFolder(root: string): Promise<{ dir: string; remove(): Promise<void> }> {
  if (!hooked) {
    hooked = true;
    process.on('exit', () => live.forEach((d) => rmSync(d, { recursive: true, force: true })));
  }
  const base = path.join(root, STAGING);
  await mkdir(base, { recursive: true });
  const dir = await mkdtemp(path.join(base, `${host()}-${process.pid}-`));
  live.add(dir);
  return {
    dir,
    async remove() {
      await rm(dir, { recursive: true, force: true, maxRetries: 3 });
      live.delete(dir);
    },
  };
}

/** Remove staging folders of this machine's workers that are gone. */
export function sweepStaging(root: string): string[] {
  return sweepDead(path.join(root, STAGING), new RegExp(`^${host().replace(/\./g, '\\.')}-(\\d+)-[A-Za-z0-9]{6}$`));
}

/**
 * Move a build's outputs from the staging folder into `out`, the manifest last and with the
 * edition folder it names set to `editionDir` (where the edition was enqueued from: the worker's
 * sandbox is gone by then).
 */
export async function publish(staged: { path: string; pages?: number }[], out: string, editionDir: string): Promise<JobOutput[]> {
  await mkdir(out, { recursive: true });
  const order = [...staged].sort((a, b) => Number(a.path.endsWith('.manifest.json')) - Number(b.path.endsWith('.manifest.json')));
  const done: JobOutput[] = [];
  for (const s of order) {
    const name = path.basename(s.path);
    const target = path.join(out, name);
    let data: Buffer | string = await readFile(s.path);
    if (name.endsWith('.manifest.json')) {
      const manifest = JSON.parse(data.toString('utf8')) as { editionDir?: string };
      manifest.editionDir = editionDir;
      data = `${JSON.stringify(manifest, null, 2)}\n`;
      await writeAtomic(target, data);
    } else {
      await rename(s.path, target).catch(async (e: NodeJS.ErrnoException) => {
        // Another file system (an out folder mounted inside the shared one): copy, atomically.
        if (e.code !== 'EXDEV') throw e;
        await writeAtomic(target, data);
      });
    }
    done.push({ name, path: target, bytes: Buffer.byteLength(data), sha256: sha256(data), ...(s.pages ? { pages: s.pages } : {}) });
  }
  // In the order the build reported them (PDF, EPUB, manifest).
  return staged.map((s) => done.find((d) => d.name === path.basename(s.path))!);
}
