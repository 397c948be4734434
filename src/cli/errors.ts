/**
 * How the command line reports what stopped it: on stderr as `file:line:col: error Code: what` and
 * `→ what to do` (no stack trace unless --debug), and with --json as records in the one JSON
 * document printed on stdout. Every record has the same keys (null when unknown), so a script
 * can read `errors[0].file` without checking what kind of error it was.
 */
import path from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';
import { PaibanError, PaibanErrors } from '../errors.ts';

export interface ErrorRecord {
  /** An error code of the catalogue (src/errors.ts), `Internal`, or the rule of a content error found while building (e.g. `overset`). */
  code: string;
  /** The edition argument the error belongs to, as given; null for a usage error. */
  edition: string | null;
  /** The file as a path from the current folder (or absolute); null when the error is about no file (the browser, a usage error). */
  file: string | null;
  line: number | null;
  column: number | null;
  message: string;
  hint: string | null;
  /** The exit code this error alone would give: 1 content or environment, 2 usage. */
  exitCode: 1 | 2;
}

/** The errors a thrown value holds (a PaibanErrors holds several; anything else is an internal error). */
export function errorsOf(e: unknown): PaibanError[] {
  if (e instanceof PaibanErrors) return e.errors;
  if (e instanceof PaibanError) return [e];
  return [];
}

/** `ed/` before a file inside the edition, nothing before an absolute one; the edition alone when there is no file. */
export function shownFile(dir: string | undefined, file: string | undefined): string | null {
  if (!file) return dir ? dir.replace(/\/$/, '') : null;
  if (path.isAbsolute(file) || !dir) return file;
  return `${dir.replace(/\/$/, '')}/${file}`;
}

export function errorRecords(e: unknown, dir?: string): ErrorRecord[] {
  const errors = errorsOf(e);
  if (!errors.length) {
    return [{ code: 'Internal', edition: dir ?? null, file: null, line: null, column: null, message: `internal error: ${(e as Error)?.message ?? String(e)}`, hint: 'please report this with the edition that caused it (run with --debug for the stack)', exitCode: 1 }];
  }
  return errors.map((x) => ({
    code: x.code,
    edition: dir ?? null,
    file: x.where ? shownFile(dir, x.where.file) : null,
    line: x.where?.line ?? null,
    column: x.where?.line !== undefined ? (x.where.column ?? null) : null,
    message: x.message,
    hint: x.hint ?? null,
    exitCode: x.exitCode,
  }));
}

/** Content errors a build that ran reported (overset with --strict, lost text): records like the others. */
export function diagnosticRecords(items: Diagnostic[], dir: string): ErrorRecord[] {
  return items
    .filter((d) => d.severity === 'error')
    .map((d) => ({ code: d.rule, edition: dir, file: shownFile(dir, d.file), line: d.line ?? null, column: d.line !== undefined ? (d.column ?? null) : null, message: d.message, hint: null, exitCode: 1 as const }));
}

/** Writes an error as the terminal shows it: location, code, message, hint; the stack only with `debug`. */
export function printError(e: unknown, dir: string | undefined, debug: boolean | undefined, write: (s: string) => void = (s) => process.stderr.write(s)): void {
  for (const r of errorRecords(e, dir)) write(`${formatRecord(r)}\n`);
  if (debug && e instanceof Error) write(`${e.stack}\n`);
}

export function formatRecord(r: ErrorRecord): string {
  const loc = r.file ? `${[r.file, r.line, r.line !== null ? r.column : null].filter((x) => x !== null).join(':')}: ` : r.edition ? `${r.edition.replace(/\/$/, '')}: ` : 'paiban: ';
  if (r.code === 'Internal') return `paiban: ${r.message}\n  → ${r.hint}`;
  return `${loc}error ${r.code}: ${r.message}${r.hint ? `\n  → ${r.hint}` : ''}`;
}

/** The exit code for these errors: 2 when any is a usage error, else 1. */
export function exitCodeOf(records: ErrorRecord[]): 0 | 1 | 2 {
  if (!records.length) return 0;
  return records.some((r) => r.exitCode === 2) ? 2 : 1;
}

/** The one JSON document of a command, printed on stdout. */
export function printJson(doc: Record<string, unknown>, write: (s: string) => void = (s) => process.stdout.write(s)): void {
  write(`${JSON.stringify(doc, null, 2)}\n`);
}
