/**
 * Each job is built from a sandbox of its own: a fresh folder `<tmp>/paiban-job-<pid>-XXXXXX/` that
 * holds the edition folder `<slug>/` and nothing else, written by the worker from the job's files.
 * Only plain relative paths are accepted (validate.ts), only folders and regular files are created
 * (never a link), each file exclusively (O_EXCL, O_NOFOLLOW), and every target is checked to lie
 * inside the sandbox: a job cannot write anything outside it. The build then reads only the edition
 * folder (its own rules: articles, images and the served files stay inside it) and the worker's
 * guard.ts refuses templates and font files elsewhere. The folder is removed when the job ends;
 * folders left by a worker killed with SIGKILL are swept at the next start (their pid is dead).
 */
import { constants, rmSync } from 'node:fs';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PaibanError } from '../errors.ts';
import { isInside } from '../load/files.ts';
import type { JobFile } from './job.ts';
import { sweepDead } from './sweep.ts';
import { badPath, badSlug } from './validate.ts';

const PREFIX = 'paiban-job-';
const RE = /^paiban-job-(\d+)-[A-Za-z0-9]{6}$/;

export interface Sandbox {
  root: string;
  /** The edition folder inside it. */
  edition: string;
  /** Write one file of the job (its path checked again here). */
  write(file: JobFile, bytes: Uint8Array): Promise<void>;
  remove(): Promise<void>;
}

const live = new Set<string>();
let hooked = false;

export async function makeSandbox(slug: string, tmp = os.tmpdir()): Promise<Sandbox> {
  const bad = badSlug(slug);
  if (bad) throw new PaibanError('JobInvalid', `the edition's name "${slug}" cannot name a folder: ${bad}`);
  if (!hooked) {
    hooked = true;
    // Also on a worker's exit mid-job (a second SIGTERM): nothing of a job stays behind.
    process.on('exit', () => live.forEach((d) => rmSync(d, { recursive: true, force: true })));
  }
  const root = await mkdtemp(path.join(tmp, `${PREFIX}${process.pid}-`));
  live.add(root);
  const edition = path.join(root, slug);
  await mkdir(edition, { mode: 0o700 });
  const made = new Set<string>([edition]);
  return {
    root,
    edition,
    async write(file, bytes) {
      const problem = badPath(file.path);
      if (problem) throw new PaibanError('JobInvalid', `"${file.path}" is not a plain path inside the edition folder: ${problem}`);
      const target = path.join(edition, ...file.path.split('/'));
      if (!isInside(edition, target)) throw new PaibanError('JobInvalid', `"${file.path}" is not inside the edition folder`);
      const dir = path.dirname(target);
      if (!made.has(dir)) {
        await mkdir(dir, { recursive: true, mode: 0o700 }).catch((e: NodeJS.ErrnoException) => {
          throw new PaibanError('JobInvalid', `cannot make the folder of "${file.path}" (${e.code}): a file of the job has that folder's name`);
        });
        for (let d = dir; d !== edition; d = path.dirname(d)) made.add(d);
      }
      // wx: never replace what is there (a path twice); O_NOFOLLOW: never through a link.
      const fh = await open(target, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600).catch((e: NodeJS.ErrnoException) => {
        throw new PaibanError('JobInvalid', `cannot write "${file.path}" of the job (${e.code})`);
      });
      try {
        await fh.writeFile(bytes);
      } finally {
        await fh.close();
      }
    },
    async remove() {
      await rm(root, { recursive: true, force: true, maxRetries: 3 });
      live.delete(root);
    },
  };
}

/** Remove sandboxes whose worker is gone (killed with SIGKILL). */
export function sweepSandboxes(tmp = os.tmpdir()): string[] {
  return sweepDead(tmp, RE);
}
