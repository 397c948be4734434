/**
 * Can the outputs be written? Checked before any work (a build that can only fail at the end
 * should fail at once) and again right before writing, so that no output is replaced when
 * another cannot be written. The output folder must be a folder, or creatable below the nearest
 * existing folder; no output name may be taken by a folder.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { PaibanError } from '../errors.ts';

const fail = (target: string, what: string, hint: string) => new PaibanError('OutputFailed', `cannot write ${target}: ${what}`, { where: { file: target }, hint });

export async function checkOutputPaths(outDir: string, names: string[]): Promise<void> {
  const out = path.resolve(outDir);
  // The nearest existing path at or above the output folder: it must be a writable folder.
  let p = out;
  for (;;) {
    const st = await stat(p).catch((e: NodeJS.ErrnoException) => e);
    if (!(st instanceof Error)) {
      if (!st.isDirectory()) {
        throw fail(out, p === out ? "it is a file, not a folder" : `${p} is a file, so no folder can be made under it`, 'choose another --out, or move that file away');
      }
      break;
    }
    if (st.code !== 'ENOENT' && st.code !== 'ENOTDIR') throw fail(out, `${p}: ${st.code ?? st.message}`, 'check the output path and its permissions, or choose another --out');
    const up = path.dirname(p);
    if (up === p) break;
    p = up;
  }
  try {
    await access(p, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw fail(out, `${p} is not writable (${(e as NodeJS.ErrnoException).code})`, 'choose a folder you can write to with --out');
  }
  if (p !== out) return;
  for (const name of names) {
    const target = path.join(out, name);
    const st = await stat(target).catch(() => undefined);
    if (st?.isDirectory()) throw fail(target, 'a folder has that name', 'remove or rename the folder, or choose another --out');
  }
}
