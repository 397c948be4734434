/**
 * `paiban check [EDITION_DIR]` and `paiban verify MANIFEST`, as the command line runs them. Both
 * return the exit code: 0 fine, 1 errors (check) or differences (verify), 2 usage errors.
 */
import { build } from '../build.ts';
import { diagnosticRecords, errorRecords, exitCodeOf, printError, printJson } from '../cli/errors.ts';
import type { PaginatorChoice } from '../config/schema.ts';
import { formatDiagnostic, NOT_READY_RULES, type Diagnostic } from '../diagnostics.ts';
import type { PreflightReport } from '../preflight/preflight.ts';
import { verify } from './verify.ts';

export interface CheckFlags {
  strict?: boolean;
  marks?: boolean;
  paginator?: PaginatorChoice;
  json?: boolean;
  debug?: boolean;
}

/** Builds everything in memory, writes nothing, prints the preflight report and every diagnostic. */
export async function runCheck(dir: string, flags: CheckFlags, io = process): Promise<number> {
  try {
    const r = await build(dir, { strict: flags.strict, marks: flags.marks, paginator: flags.paginator, write: false, proof: true });
    const items = r.diagnostics.items.filter((d) => d.severity !== 'info' || flags.debug);
    if (flags.json) {
      printJson({ ok: r.ok, ready: r.ready, exitCode: r.ready ? 0 : 1, slug: r.slug, preflight: r.preflight, diagnostics: r.diagnostics.items, paginatorOfPage: r.paginatorOfPage, paginatorReason: r.paginatorReason ?? null, errors: diagnosticRecords(r.diagnostics.items, dir) }, (s) => io.stdout.write(s));
    } else {
      io.stdout.write(formatReport(r.slug, r.preflight));
      for (const d of items) io.stdout.write(`${r.slug}/${formatDiagnostic(d)}\n`);
      io.stdout.write(
        r.ready
          ? `paiban check: ${r.slug} is ready to print (nothing was written)\n`
          : `paiban check: ${r.slug} is not ready to print: ${notReady(r.diagnostics.items)} (nothing was written)\n`,
      );
    }
    return r.ready ? 0 : 1;
  } catch (e) {
    return failure(e, dir, flags, io);
  }
}

/** What stands in the way, counted by kind: "2 error(s), 1 overset, 1 missing-image". */
function notReady(items: Diagnostic[]): string {
  const counts = new Map<string, number>();
  for (const d of items) {
    const key = d.severity === 'error' ? 'error(s)' : NOT_READY_RULES.has(d.rule) && d.severity === 'warning' ? d.rule : undefined;
    if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
}

export function formatReport(slug: string, p: PreflightReport): string {
  const types = new Map<string, number>();
  for (const f of p.fonts) types.set(f.type, (types.get(f.type) ?? 0) + 1);
  const notEmbedded = p.fonts.filter((f) => !f.embedded).length;
  const type3 = types.get('Type 3') ?? 0;
  const lowest = [...p.images].sort((a, b) => a.ppi - b.ppi)[0];
  return [
    `preflight ${slug}`,
    `  pages:          ${p.pages}`,
    `  fonts:          ${p.fonts.length} (${[...types].map(([t, n]) => `${t} ×${n}`).join(', ') || 'none'}); ${notEmbedded ? `${notEmbedded} NOT embedded` : 'all embedded'}${type3 ? `, ${type3} Type 3` : ', none Type 3'}`,
    `  images:         ${p.images.length}${lowest ? `, lowest ${lowest.ppi} ppi (${lowest.src} on page ${lowest.page}, ${lowest.widthMm} × ${lowest.heightMm} mm)` : ''}`,
    `  overset:        ${p.overset}`,
    `  clipped:        ${p.clipped}`,
    `  underset:       ${p.underset}${p.holes ? ` (and ${p.holes} hole${p.holes === 1 ? '' : 's'})` : ''}`,
    `  missing images: ${p.missingImages}`,
    `  bad crops:      ${p.badCrops}`,
    `  missing glyphs: ${p.missingGlyphs}`,
    `  ${p.errors} error(s), ${p.warnings} warning(s)`,
    '',
  ].join('\n');
}

/** Rebuilds from a manifest and says identical, or what differs. */
export async function runVerify(manifest: string, flags: { edition?: string; json?: boolean; debug?: boolean }, io = process): Promise<number> {
  try {
    const r = await verify(manifest, { edition: flags.edition });
    if (flags.json) {
      printJson({ ok: r.identical, exitCode: r.identical ? 0 : 1, ...r, errors: [] }, (s) => io.stdout.write(s));
    } else {
      io.stdout.write(`paiban verify: ${r.summary}\n`);
      if (r.identical) io.stdout.write(`identical: ${r.matching.join(', ')} match the manifest byte for byte\n`);
      else io.stdout.write(`differs:\n${r.differences.map((d) => `  ${d}`).join('\n')}\n`);
    }
    return r.identical ? 0 : 1;
  } catch (e) {
    return failure(e, undefined, flags, io);
  }
}

/** A stop: the errors on stderr, and with --json the one document on stdout; the exit code. */
function failure(e: unknown, dir: string | undefined, flags: { json?: boolean; debug?: boolean }, io: NodeJS.Process): number {
  printError(e, dir, flags.debug, (s) => io.stderr.write(s));
  const errors = errorRecords(e, dir);
  const code = exitCodeOf(errors) || 1;
  if (flags.json) printJson({ ok: false, exitCode: code, errors }, (s) => io.stdout.write(s));
  return code;
}
