/**
 * Outputs are written atomically: to a temporary file beside the target, then renamed over it.
 * A failed build leaves no partial file, and an earlier output of the same name stays intact.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PaibanError } from '../errors.ts';

export async function writeAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
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
  }
}
