/**
 * Outputs tell the truth: after a build that wrote only some outputs (`--pdf`), an older
 * `<slug>.epub` or `<slug>.html` beside the new files would pass for this build's, with an old
 * headline in it, and no manifest would account for it. Such a file is removed when paiban can
 * prove it wrote it: the manifest it replaced lists it with the same sha256. One it cannot prove
 * (changed since, or never recorded) is kept and reported (`stale-output`, a warning). Either way
 * the folder and the new manifest agree on what this build made, and the report says what went.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostics } from '../diagnostics.ts';
import { sha256 } from '../load/files.ts';

export interface StaleOutputs {
  /** Older outputs of this edition that this build removed (absolute paths). */
  removed: string[];
  /** Older files of this edition's output names that were kept (not provably paiban's), reported as warnings. */
  kept: string[];
}

/** The output kinds a build may or may not write. */
const KINDS = ['pdf', 'epub', 'html'] as const;

/** What the manifest about to be replaced recorded: output name → sha256. Empty when there is none. */
export async function recordedOutputs(outDir: string, slug: string): Promise<Map<string, string>> {
  try {
    const m = JSON.parse(await readFile(path.join(outDir, `${slug}.manifest.json`), 'utf8')) as { outputs?: { path?: unknown; sha256?: unknown }[] };
    return new Map((m.outputs ?? []).filter((o) => typeof o.path === 'string' && typeof o.sha256 === 'string').map((o) => [o.path as string, o.sha256 as string]));
  } catch {
    return new Map();
  }
}

/**
 * After the new outputs are written: every `<slug>.pdf|epub|html` this build did not write is
 * removed when `recorded` (the replaced manifest) vouches for it, else kept with a warning.
 */
export async function removeStale(outDir: string, slug: string, written: readonly string[], recorded: Map<string, string>, diagnostics: Diagnostics): Promise<StaleOutputs> {
  const result: StaleOutputs = { removed: [], kept: [] };
  for (const kind of KINDS) {
    const name = `${slug}.${kind}`;
    if (written.includes(name)) continue;
    const file = path.join(outDir, name);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      continue; // not there (or a folder: not ours either way)
    }
    if (recorded.get(name) === sha256(bytes)) {
      try {
        await rm(file, { force: true });
        result.removed.push(file);
        continue;
      } catch (e) {
        diagnostics.warn(file, 'stale-output', `${file} is an earlier build's ${kind.toUpperCase()} and could not be removed (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): it is not this build's; remove it by hand`);
        result.kept.push(file);
        continue;
      }
    }
    diagnostics.warn(file, 'stale-output', `${file} is not from this build (which wrote no ${kind.toUpperCase()}) and the manifest it replaced does not vouch for it, so it was left in place: remove it, or build with --${kind === 'html' ? 'html' : kind} to replace it`);
    result.kept.push(file);
  }
  return result;
}
