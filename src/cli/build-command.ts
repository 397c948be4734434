/**
 * `paiban build A B C`: Chromium started first, the editions built side by side on one browser,
 * each one's diagnostics as it ends, the files written (or one JSON document) at the end.
 */
import path from 'node:path';
import type { BuildResult } from '../build.ts';
import type { PaginatorChoice } from '../config/schema.ts';
import { formatDiagnostic } from '../diagnostics.ts';
import { launchBrowser, type BrowserHandle } from '../browser/browser.ts';
import { diagnosticRecords, errorRecords, exitCodeOf, printError, printJson, shownFile, type ErrorRecord } from './errors.ts';
import { outputNotes } from './notes.ts';
import { startProgress } from './progress.ts';

export interface BuildFlags {
  out: string;
  pdf?: boolean;
  epub?: boolean;
  html?: boolean;
  marks?: boolean;
  tagged?: boolean;
  pdfx?: boolean;
  pdfa?: boolean;
  strict?: boolean;
  workers?: number;
  paginator?: PaginatorChoice;
  json?: boolean;
  debug?: boolean;
}

export async function runBuild(editions: string[], flags: BuildFlags): Promise<number> {
  const t0 = performance.now();
  const offSignals = onSignals();
  const offStray = onStrayErrors(flags.debug);
  const results: BuildResult[] = [];
  const errors: ErrorRecord[] = [];
  // A line on a terminal with the stage and pages laid out, for builds longer than a moment.
  const progress = startProgress({ enabled: !flags.json });
  // Chromium first: it starts while the rest of paiban loads. One edition's build takes it over
  // (and closes it as soon as it is done with it); several editions share it.
  const launching = launchBrowser();
  launching.catch(() => undefined); // awaited (or handed over) below
  let browser: BrowserHandle | undefined;
  try {
    const started = await startBuilds(editions, flags, launching, progress);
    browser = started.browser;
    for (const [i, dir] of editions.entries()) {
      try {
        const r = await started.builds[i]!;
        progress.clear();
        results.push(r);
        for (const d of r.diagnostics.items) if (d.severity !== 'info' || flags.debug) process.stderr.write(`${formatDiagnostic({ ...d, file: shownFile(r.slug, d.file) ?? d.file })}\n`);
        if (!r.ok) {
          errors.push(...diagnosticRecords(r.diagnostics.items, dir));
          process.stderr.write(`paiban: ${dir}: ${r.diagnostics.errors.length} error(s); nothing was written\n`);
        }
      } catch (e) {
        progress.clear();
        printError(e, dir, flags.debug);
        errors.push(...errorRecords(e, dir));
      }
    }
  } catch (e) {
    progress.clear();
    printError(e, editions.join(' '), flags.debug);
    errors.push(...errorRecords(e, editions.join(' ')));
  } finally {
    progress.stop();
    await browser?.close();
    offSignals();
    offStray();
  }
  const failed = errors.length > 0 || results.some((r) => !r.ok);
  const code = failed ? Math.max(1, exitCodeOf(errors)) : 0;
  await printResults(editions, flags, results, errors, { failed, code, seconds: ((performance.now() - t0) / 1000).toFixed(1) });
  return code;
}

/**
 * Every edition's build started: several side by side, one more than there are workers at a time
 * (one's Node stages run while another's pages are laid out; their pagination runs share the
 * workers), sharing one browser; editions of the same folder name one after the other.
 */
async function startBuilds(editions: string[], flags: BuildFlags, launching: Promise<BrowserHandle>, progress: ReturnType<typeof startProgress>) {
  const { build } = await import('../build.ts').catch(async (e: unknown) => {
    await launching.then((b) => b.close(), () => undefined);
    throw e;
  });
  const browser = editions.length > 1 ? await launching : undefined;
  const { RunSlots, workerCount } = await import('../browser/pool.ts');
  const workers = flags.workers ?? workerCount();
  const slots = new RunSlots(workers);
  const inFlight = new RunSlots(editions.length > 1 ? workers + 1 : 1);
  // Outputs are named after the edition folder: editions of the same name go one after the
  // other (the later one's files stand, as when built one at a time), never side by side.
  const lastOfName = new Map<string, Promise<unknown>>();
  const builds = editions.map((dir) => {
    const slug = path.basename(path.resolve(dir));
    const before = lastOfName.get(slug) ?? Promise.resolve();
    const job = before.then(() => inFlight.run(() => build(dir, { out: flags.out, pdf: flags.pdf, epub: flags.epub, html: flags.html, strict: flags.strict, marks: flags.marks, tagged: flags.tagged, pdfx: flags.pdfx, pdfa: flags.pdfa, paginator: flags.paginator, progress: progress.reporter(dir), workers, slots, browser, launching: browser ? undefined : launching })));
    job.then(() => progress.done(dir), () => progress.done(dir));
    lastOfName.set(slug, job.catch(() => undefined));
    return job;
  });
  return { builds, browser };
}

/** What was written (or the JSON document), and the count of editions built. */
async function printResults(editions: string[], flags: BuildFlags, results: BuildResult[], errors: ErrorRecord[], end: { failed: boolean; code: number; seconds: string }): Promise<void> {
  if (flags.json) {
    printJson({ ok: !end.failed, exitCode: end.code, seconds: Number(end.seconds), results: results.map((r) => ({ ...r, diagnostics: r.diagnostics.items })), errors });
    return;
  }
  for (const r of results) {
    // A pages: auto edition: where each story went and what was held over.
    if (r.plan) process.stdout.write((await import('../plan/report.ts')).formatPlan(r.plan));
    for (const o of r.outputs) process.stdout.write(`wrote ${o.path} (${kb(o.bytes)}${o.pages ? `, ${o.pages} pages` : ''})\n`);
    for (const line of outputNotes(r)) process.stdout.write(`${line}\n`);
  }
  process.stdout.write(`paiban: ${results.filter((r) => r.ok).length} of ${editions.length} edition(s) built in ${end.seconds} s\n`);
}

/**
 * SIGINT, SIGTERM and SIGHUP end the build at once: process.exit runs the exit hook that kills
 * Chromium and removes its profile folder (browser.ts); nothing more is written.
 */
function onSignals(): () => void {
  const codes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
  const handlers = Object.entries(codes).map(([sig, code]) => {
    const h = () => {
      process.stderr.write(`paiban: interrupted (${sig}): nothing more is written\n`);
      process.exit(code);
    };
    process.on(sig, h);
    return [sig, h] as const;
  });
  return () => handlers.forEach(([sig, h]) => process.off(sig, h));
}

/** A promise nobody awaited that failed: reported like any internal error (no stack without --debug). */
function onStrayErrors(debug?: boolean): () => void {
  const h = (e: unknown) => {
    printError(e, undefined, debug);
    process.exitCode = 1;
  };
  process.on('unhandledRejection', h);
  return () => process.off('unhandledRejection', h);
}

function kb(n: number): string {
  return n > 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.round(n / 1024)} KB`;
}
