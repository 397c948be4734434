/**
 * Outputs are written atomically: to a temporary file beside the target, then renamed over it.
 * A failed build leaves no partial file, and an earlier output of the same name stays intact.
 * A temporary file still open when paiban exits (SIGTERM mid-write ends in process.exit) is
 * removed on the way out.
 */
import { rmSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PaibanError } from '../errors.ts';

const pending = new Set<string>();
let hooked = false;

export async function writeAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const t of pending) rmSync(t, { force: true });
    });
  }
  pending.add(tmp);
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new PaibanError('OutputFailed', `cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      hint: 'check that the output folder exists and is writable, or choose another with --out',
      cause: e,
    });
  } finally {
    pending.delete(tmp);
  }
}

/**
 * Best effort, for caches: `data` to a temporary file of its own (two writers of one entry, as
 * editions built side by side may be, never share one) beside `file`, then renamed over it. A
 * cache that cannot be written is no error: false, and nothing is left behind.
 */
export async function writeCacheFile(file: string, data: Uint8Array | string): Promise<boolean> {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(tmp, data);
    await rename(tmp, file);
    return true;
  } catch {
    await rm(tmp, { force: true }).catch(() => undefined);
    return false;
  }
}
