/** `paiban check --fix [EDITION_DIR]`: exit 0 when the copy was proofed (fixed or not), 1 when the edition cannot be read. */
import { PaibanError, PaibanErrors } from '../errors.ts';
import { loadEdition } from '../load/edition.ts';
import { fixEdition, formatFixReport } from './check.ts';

export async function runFix(dir: string, flags: { json?: boolean; debug?: boolean }, io: Pick<NodeJS.Process, 'stdout' | 'stderr'> = process): Promise<number> {
  try {
    const edition = await loadEdition(dir);
    const r = await fixEdition(edition);
    if (flags.json) io.stdout.write(`${JSON.stringify({ ok: true, slug: edition.slug, files: r.files }, null, 2)}\n`);
    else io.stdout.write(formatFixReport(edition.slug, r));
    return 0;
  } catch (e) {
    const errors = e instanceof PaibanErrors ? e.errors : e instanceof PaibanError ? [e] : [];
    if (!errors.length) throw e;
    if (flags.json) io.stdout.write(`${JSON.stringify({ ok: false, errors: errors.map((x) => ({ code: x.code, message: x.message, where: x.where })) }, null, 2)}\n`);
    else for (const x of errors) io.stderr.write(`${x.format()}\n`);
    if (flags.debug && e instanceof Error) io.stderr.write(`${e.stack}\n`);
    return Math.max(...errors.map((x) => x.exitCode));
  }
}
