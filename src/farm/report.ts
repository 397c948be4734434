/**
 * What `paiban enqueue --wait` prints, as `paiban build` prints it: diagnostics and errors on
 * stderr (`slug/file:line severity rule: message`, errors with `→ what to do`), the files written
 * on stdout, a last line with how many editions were built; or, with --json, one JSON document.
 */
import { formatDiagnostic } from '../diagnostics.ts';
import type { FailureReport, JobResult, ReportedError } from './job.ts';

/** How one job ended, as enqueue reports it. */
export interface JobOutcome {
  id: string;
  edition: string;
  dir: string;
  state: 'completed' | 'failed' | 'lost';
  /** Attempts the job took (retries included). */
  attempts: number;
  result?: JobResult;
  error?: { reason: string; report?: FailureReport };
}

function kb(n: number): string {
  return n > 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.round(n / 1024)} KB`;
}

function formatError(e: ReportedError): string {
  const loc = e.file ? `${[e.file, e.line, e.line !== undefined ? e.column : undefined].filter((x) => x !== undefined).join(':')}: ` : '';
  return `${loc}error ${e.code}: ${e.message}${e.hint ? `\n  → ${e.hint}` : ''}`;
}

interface Sink {
  write(s: string): unknown;
}

export function printOutcomes(outcomes: JobOutcome[], opts: { seconds: number; queue: string; debug?: boolean }, out: Sink = process.stdout, err: Sink = process.stderr): void {
  for (const o of outcomes) {
    const diags = o.result?.diagnostics ?? o.error?.report?.diagnostics ?? [];
    for (const d of diags) if (d.severity !== 'info' || opts.debug) err.write(`${o.edition}/${formatDiagnostic(d)}\n`);
    // Completed, or never submitted (its error was printed then).
    if (o.state === 'completed' || !o.id) continue;
    const errors = o.error?.report?.errors ?? [];
    for (const e of errors) err.write(`${e.file && !e.file.startsWith('/') ? `${o.edition}/` : `${o.edition}: `}${formatError(e)}\n`);
    const count = errors.length + diags.filter((d) => d.severity === 'error').length;
    if (o.error?.report) err.write(`paiban: ${o.dir} (job ${o.id}): ${count} error(s); nothing was written\n`);
    else if (o.state === 'lost') err.write(`paiban: ${o.dir} (job ${o.id}): ${o.error?.reason ?? 'the job is gone from the queue'}\n  → enqueue it again\n`);
    else err.write(`paiban: ${o.dir} (job ${o.id}): failed after ${o.attempts} attempt(s): ${o.error?.reason ?? 'no reason given'}\n  → see the worker's log; enqueue it again once that is fixed\n`);
  }
  for (const o of outcomes) for (const f of o.result?.outputs ?? []) out.write(`wrote ${f.path} (${kb(f.bytes)}${f.pages ? `, ${f.pages} pages` : ''})\n`);
  const built = outcomes.filter((o) => o.state === 'completed').length;
  out.write(`paiban: ${built} of ${outcomes.length} edition(s) built in ${opts.seconds.toFixed(1)} s by the farm (queue "${opts.queue}")\n`);
}

export function outcomesJson(outcomes: JobOutcome[], seconds: number): string {
  return `${JSON.stringify({ ok: outcomes.every((o) => o.state === 'completed'), seconds, jobs: outcomes }, null, 2)}\n`;
}
