/**
 * `paiban check [EDITION_DIR]` and `paiban verify MANIFEST`, as the command line runs them. Both
 * return the exit code: 0 fine, 1 errors (check) or differences (verify), 2 usage errors.
 */
import { build } from '../build.ts';
import { formatDiagnostic, NOT_READY_RULES, type Diagnostic } from '../diagnostics.ts';
import { PaibanError, PaibanErrors } from '../errors.ts';
import type { PreflightReport } from '../preflight/preflight.ts';
import { verify } from './verify.ts';

export interface CheckFlags {
  strict?: boolean;
  marks?: boolean;
  json?: boolean;
  debug?: boolean;
}

/** Builds everything in memory, writes nothing, prints the preflight report and every diagnostic. */
export async function runCheck(dir: string, flags: CheckFlags, io = process): Promise<number> {
  try {
    const r = await build(dir, { strict: flags.strict, marks: flags.marks, write: false, proof: true });
    const items = r.diagnostics.items.filter((d) => d.severity !== 'info' || flags.debug);
    if (flags.json) {
      io.stdout.write(`${JSON.stringify({ ok: r.ok, ready: r.ready, slug: r.slug, preflight: r.preflight, diagnostics: r.diagnostics.items }, null, 2)}\n`);
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
    return reportError(e, io, flags.debug);
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
export async function runVerify(manifest: string, flags: { json?: boolean; debug?: boolean }, io = process): Promise<number> {
  try {
    const r = await verify(manifest);
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    } else {
      io.stdout.write(`paiban verify: ${r.summary}\n`);
      if (r.identical) io.stdout.write(`identical: ${r.matching.join(', ')} match the manifest byte for byte\n`);
      else io.stdout.write(`differs:\n${r.differences.map((d) => `  ${d}`).join('\n')}\n`);
    }
    return r.identical ? 0 : 1;
  } catch (e) {
    return reportError(e, io, flags.debug);
  }
}

function reportError(e: unknown, io: NodeJS.Process, debug?: boolean): number {
  const errors = e instanceof PaibanErrors ? e.errors : e instanceof PaibanError ? [e] : [];
  for (const x of errors) io.stderr.write(`${x.format()}\n`);
  if (!errors.length) io.stderr.write(`paiban: internal error: ${(e as Error).message}\n  → please report this (run with --debug for the stack)\n`);
  if (debug && e instanceof Error) io.stderr.write(`${e.stack}\n`);
  return errors.length ? Math.max(...errors.map((x) => x.exitCode)) : 1;
}
