/**
 * The command line: `paiban build [EDITION_DIR…]` and friends. Exit codes: 0 success (warnings
 * allowed), 1 content or environment errors, 2 usage errors. No stack trace unless --debug.
 */
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import type { BuildResult } from './build.ts';
import { outputNotes } from './cli/notes.ts';
import { diagnosticRecords, errorRecords, exitCodeOf, printError, printJson, shownFile, type ErrorRecord } from './cli/errors.ts';
import { startProgress } from './cli/progress.ts';
import { formatDiagnostic } from './diagnostics.ts';
import { PaibanError } from './errors.ts';
import { editionFolder } from './load/folder.ts';
import { launchBrowser, type BrowserHandle } from './paginate/browser.ts';
import type { PaginatorChoice } from './config/schema.ts';
import { VERSION } from './version.ts';

// The commands' modules are loaded when a command runs, not before: `paiban build` starts
// Chromium first and loads the stages (a third to half a second) while it starts.

interface BuildFlags {
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

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  // --json: one JSON document on stdout whatever happens, usage errors and --help included.
  const json = argv.includes('--json');
  let helpText = '';
  const program = new Command('paiban')
    .description('Markdown to print-ready newspaper pages (PDF) and e-books (EPUB)')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError('  → see the command\'s --help for its options')
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => (json ? (helpText += s) : process.stdout.write(s)) });

  program
    .command('build')
    .description('build editions into <out>/<slug>.pdf, .epub and .manifest.json')
    .argument('[editions...]', 'edition folders (each holds edition.yaml)', ['.'])
    .option('--out <dir>', 'output folder', 'output')
    .option('--pdf', 'write the PDF (with --epub: both; neither: both)')
    .option('--epub', 'write the EPUB')
    .option('--html', 'also write <slug>.html, the composed print document before pagination')
    .option('--marks', 'crop and cross marks in a margin outside the bleed (else print.marks in edition.yaml)')
    .option('--tagged', 'tagged PDF (structure tree for accessibility; larger file)')
    .option('--pdfx', 'PDF/X-3 for the press: CMYK with an output intent (needs Ghostscript)')
    .option('--pdfa', 'PDF/A-2b for archives (needs Ghostscript)')
    .option('--strict', 'overset text is an error (exit 1)')
    .option('--workers <n>', 'pages laid out in parallel (default: PAIBAN_WORKERS, else one per core)', positiveInt)
    .option('--paginator <name>', 'who lays out the pages: auto (default: Chromium, or Paged.js where the CSS needs it), chromium or pagedjs', paginatorName)
    .option('--json', 'print the result as JSON on stdout (one document, failures included)')
    .option('--debug', 'show stack traces')
    .action(async (editions: string[], flags: BuildFlags) => {
      if (flags.pdfx && flags.pdfa) {
        const e = new PaibanError('Usage', '--pdfx and --pdfa cannot be combined', { hint: 'PDF/X (press, CMYK) and PDF/A (archive, RGB) are separate files: build twice into different --out folders' });
        exitCode = usageFailure(e, flags);
        return;
      }
      exitCode = await runBuild(editions.map(editionFolder), flags);
    });

  program
    .command('check')
    .description('preflight an edition and proof its copy without writing anything: fonts, images, overset, missing glyphs, pages, punctuation (exit 1 on errors); --fix corrects the copy')
    .argument('[edition]', 'edition folder (holds edition.yaml)', '.')
    .option('--marks', 'check with crop marks')
    .option('--strict', 'overset text is an error')
    .option('--fix', 'proof the copy and rewrite the Markdown where that is safe (punctuation, spaces, quotation marks), then say what is left')
    .option('--paginator <name>', 'auto (default), chromium or pagedjs', paginatorName)
    .option('--json', 'print the report as JSON on stdout (one document, failures included)')
    .option('--debug', 'show info diagnostics and stack traces')
    .action(async (edition: string, flags: { marks?: boolean; strict?: boolean; fix?: boolean; paginator?: PaginatorChoice; json?: boolean; debug?: boolean }) => {
      if (flags.fix) {
        const { runFix } = await import('./proof/command.ts');
        exitCode = await runFix(edition, flags);
        return;
      }
      const { runCheck } = await import('./verify/commands.ts');
      exitCode = await runCheck(editionFolder(edition), flags);
    });

  program
    .command('verify')
    .description('rebuild from a manifest in a temporary folder and say identical, or what differs (exit 0/1)')
    .argument('<manifest>', 'a <slug>.manifest.json written by paiban build')
    .option('--edition <dir>', 'the edition folder, when it is no longer where the manifest says (an archive that moved)')
    .option('--json', 'print the result as JSON on stdout (one document, failures included)')
    .option('--debug', 'show stack traces')
    .action(async (manifest: string, flags: { edition?: string; json?: boolean; debug?: boolean }) => {
      const { runVerify } = await import('./verify/commands.ts');
      exitCode = await runVerify(manifest, flags);
    });

  program
    .command('preview')
    .description('live preview in your browser, rebuilt on every save')
    .argument('[edition]', 'edition folder', '.')
    .option('--port <n>', 'port on 127.0.0.1 (1-65535)', '4173')
    .option('--debug', 'show stack traces')
    .action(async (dir: string, flags: { port: string; debug?: boolean }) => {
      const { runPreview } = await import('./preview/command.ts');
      exitCode = await runPreview(editionFolder(dir), flags);
    });

  program
    .command('plan')
    .description('plan the pages of an edition from its docket (articles: with priorities, plan: { pages: N }) and write them into edition.yaml as its pages: list')
    .argument('[edition]', 'edition folder (holds edition.yaml)', '.')
    .option('--dry-run', 'report the plan, write nothing')
    .option('--json', 'print the plan as JSON on stdout')
    .option('--debug', 'show stack traces')
    .action(async (edition: string, flags: { dryRun?: boolean; json?: boolean; debug?: boolean }) => {
      const { runPlan } = await import('./plan/command.ts');
      exitCode = await runPlan(edition, flags);
    });

  program
    .command('new')
    .description('scaffold a new edition that builds as it is')
    .argument('<dir>', 'the new edition folder')
    .option('--lang <tag>', 'the language of the sample text: zh-CN (default) or en')
    .option('--debug', 'show stack traces')
    .action(async (dir: string, flags: { lang?: string; debug?: boolean }) => {
      const { runNew } = await import('./scaffold/command.ts');
      exitCode = await runNew(dir, flags);
    });

  // The render farm (src/farm/, docs/farm.md): BullMQ and ioredis load only for these commands.
  program
    .command('worker')
    .description('a warm build worker: takes build jobs from a BullMQ queue on Redis, writes outputs under --out')
    .requiredOption('--redis <url>', "the farm's Redis, e.g. redis://127.0.0.1:6379")
    .option('--out <dir>', "the folder outputs go to: the farm's shared folder", 'output')
    .option('--concurrency <n>', 'editions at a time (default: one per core, plus one)', positiveInt)
    .option('--queue <name>', 'the queue to take jobs from', 'builds')
    .option('--stall-seconds <s>', "a job's lock: a killed worker's job is taken up again after about this long", seconds, 30)
    .option('--drain-seconds <s>', 'on SIGTERM, how long the jobs in hand may take before they go back to the queue', seconds, 20)
    .option('--debug', 'show stack traces')
    .action(async (flags: import('./farm/worker.ts').WorkerFlags) => {
      exitCode = await farmCommand(async () => (await import('./farm/worker.ts')).runWorker(flags), flags.debug);
    });

  program
    .command('enqueue')
    .description('submit editions to the farm (their files travel with the jobs); prints the job ids')
    .argument('<editions...>', 'edition folders (each holds edition.yaml)')
    .requiredOption('--redis <url>', "the farm's Redis, e.g. redis://127.0.0.1:6379")
    .option('--out <dir>', "where the workers write the outputs: a folder inside their --out (default: theirs)")
    .option('--queue <name>', 'the queue to add the jobs to', 'builds')
    .option('--wait', 'wait for the jobs; print outputs and diagnostics and exit as paiban build would')
    .option('--progress', 'with --wait: each stage of each job on stderr as it ends')
    .option('--pdf', 'write the PDF (with --epub: both; neither: both)')
    .option('--epub', 'write the EPUB')
    .option('--marks', 'crop and cross marks in a margin outside the bleed')
    .option('--tagged', 'tagged PDF')
    .option('--pdfx', 'PDF/X-3 for the press')
    .option('--pdfa', 'PDF/A-2b for archives')
    .option('--strict', 'overset text is an error')
    .option('--json', 'print the job ids (with --wait: the outcomes) as JSON on stdout')
    .option('--debug', 'show info diagnostics and stack traces')
    .action(async (editions: string[], flags: import('./farm/enqueue.ts').EnqueueFlags) => {
      exitCode = await farmCommand(async () => (await import('./farm/enqueue.ts')).runEnqueue(editions, flags), flags.debug);
    });

  program
    .command('serve')
    .description('the farm over HTTP for a CMS: submit editions, follow jobs, download outputs (see docs/farm.md)')
    .requiredOption('--redis <url>', "the farm's Redis, e.g. redis://127.0.0.1:6379")
    .option('--out <dir>', "the farm's shared folder, where the workers write", 'output')
    .option('--host <host>', 'address to listen on (other than loopback only with a token)', '127.0.0.1')
    .option('--port <n>', 'port', positiveInt, 4180)
    .option('--token <token>', 'required from every client as Authorization: Bearer TOKEN (or PAIBAN_SERVE_TOKEN)')
    .option('--queue <name>', 'the queue to add jobs to', 'builds')
    .option('--debug', 'show stack traces')
    .action(async (flags: import('./farm/serve.ts').ServeFlags & { debug?: boolean }) => {
      exitCode = await farmCommand(async () => (await import('./farm/serve.ts')).runServe(flags), flags.debug);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with code 0; everything else is a usage error.
      if (e.exitCode === 0) {
        if (json) printJson({ ok: true, exitCode: 0, output: helpText || `${VERSION}\n`, errors: [] });
        return 0;
      }
      if (json) {
        const command = argv.find((a) => !a.startsWith('-'));
        const hint = `see paiban ${command && program.commands.some((c) => c.name() === command) ? `${command} ` : ''}--help`;
        printJson({ ok: false, exitCode: 2, errors: [{ code: 'Usage', edition: null, file: null, line: null, column: null, message: e.message.replace(/^error: /, ''), hint, exitCode: 2 }] });
      }
      return 2;
    }
    // A bug: one line (the stack with --debug), and the JSON document when asked for.
    const debug = argv.includes('--debug');
    printError(e, undefined, debug);
    if (json) printJson({ ok: false, exitCode: 1, errors: errorRecords(e) });
    return 1;
  }
  return exitCode;
}

/** A usage error found by an action: one line and a hint (and the JSON document); exit 2. */
function usageFailure(e: PaibanError, flags: { json?: boolean; debug?: boolean }): number {
  printError(e, undefined, flags.debug);
  if (flags.json) printJson({ ok: false, exitCode: 2, errors: errorRecords(e) });
  return 2;
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

/** A farm command: its errors (Redis out of reach, a bad --out) reported like build's, without a stack. */
async function farmCommand(run: () => Promise<number>, debug?: boolean): Promise<number> {
  try {
    return await run();
  } catch (e) {
    printError(e, undefined, debug);
    return exitCodeOf(errorRecords(e, undefined)) || 1;
  }
}

function seconds(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('give a number of seconds (0 or more)');
  return n;
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('give a whole number of 1 or more');
  return n;
}

function paginatorName(v: string): PaginatorChoice {
  const name = v.trim().toLowerCase();
  if (name === 'auto' || name === 'chromium' || name === 'pagedjs') return name;
  throw new InvalidArgumentError('give auto (Chromium, or Paged.js where the CSS needs it), chromium or pagedjs');
}

async function runBuild(editions: string[], flags: BuildFlags): Promise<number> {
  const t0 = performance.now();
  const offSignals = onSignals();
  const offStray = onStrayErrors(flags.debug);
  const results: BuildResult[] = [];
  const errors: ErrorRecord[] = [];
  let failed = false;
  // A line on a terminal with the stage and pages laid out, for builds longer than a moment.
  const progress = startProgress({ enabled: !flags.json });
  // Chromium first: it starts while the rest of paiban loads. One edition's build takes it over
  // (and closes it as soon as it is done with it); several editions share it.
  const launching = launchBrowser();
  launching.catch(() => undefined); // awaited (or handed over) below
  let browser: BrowserHandle | Error | undefined;
  try {
    const { build } = await import('./build.ts').catch(async (e: unknown) => {
      await launching.then((b) => b.close(), () => undefined);
      throw e;
    });
    if (editions.length > 1) browser = await launching.catch((e: unknown) => e as Error);
    if (browser instanceof Error) throw browser;
    // Several editions are built side by side, one more than there are workers at a time: one's
    // Node stages (load, render, compose, fonts, PDF, EPUB) run while another's pages are laid
    // out, and all their pagination runs share the workers. Reports come in the order given.
    const { RunSlots, workerCount } = await import('./paginate/pool.ts');
    const workers = flags.workers ?? workerCount();
    const slots = new RunSlots(workers);
    const inFlight = new RunSlots(editions.length > 1 ? workers + 1 : 1);
    const shared = browser;
    // Outputs are named after the edition folder: editions of the same name go one after the
    // other (the later one's files stand, as when built one at a time), never side by side.
    const lastOfName = new Map<string, Promise<unknown>>();
    const builds = editions.map((dir) => {
      const slug = path.basename(path.resolve(dir));
      const before = lastOfName.get(slug) ?? Promise.resolve();
      const job = before.then(() => inFlight.run(() => build(dir, { out: flags.out, pdf: flags.pdf, epub: flags.epub, html: flags.html, strict: flags.strict, marks: flags.marks, tagged: flags.tagged, pdfx: flags.pdfx, pdfa: flags.pdfa, paginator: flags.paginator, progress: progress.reporter(dir), workers, slots, browser: shared, launching: shared ? undefined : launching })));
      job.then(() => progress.done(dir), () => progress.done(dir));
      lastOfName.set(slug, job.catch(() => undefined));
      return job;
    });
    for (const [i, dir] of editions.entries()) {
      try {
        const r = await builds[i]!;
        progress.clear();
        results.push(r);
        for (const d of r.diagnostics.items) if (d.severity !== 'info' || flags.debug) process.stderr.write(`${formatDiagnostic({ ...d, file: shownFile(r.slug, d.file) ?? d.file })}\n`);
        if (!r.ok) {
          failed = true;
          errors.push(...diagnosticRecords(r.diagnostics.items, dir));
          process.stderr.write(`paiban: ${dir}: ${r.diagnostics.errors.length} error(s); nothing was written\n`);
        }
      } catch (e) {
        failed = true;
        progress.clear();
        printError(e, dir, flags.debug);
        errors.push(...errorRecords(e, dir));
      }
    }
  } catch (e) {
    failed = true;
    progress.clear();
    printError(e, editions.join(' '), flags.debug);
    errors.push(...errorRecords(e, editions.join(' ')));
  } finally {
    progress.stop();
    if (browser && !(browser instanceof Error)) await browser.close();
    offSignals();
    offStray();
  }
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  const code = failed ? Math.max(1, exitCodeOf(errors)) : 0;
  if (flags.json) {
    printJson({ ok: !failed, exitCode: code, seconds: Number(seconds), results: results.map((r) => ({ ...r, diagnostics: r.diagnostics.items })), errors });
  } else {
    for (const r of results) {
      // A pages: auto edition: where each story went and what was held over.
      if (r.plan) process.stdout.write((await import('./plan/report.ts')).formatPlan(r.plan));
      for (const o of r.outputs) process.stdout.write(`wrote ${o.path} (${kb(o.bytes)}${o.pages ? `, ${o.pages} pages` : ''})\n`);
      for (const line of outputNotes(r)) process.stdout.write(`${line}\n`);
    }
    process.stdout.write(`paiban: ${results.filter((r) => r.ok).length} of ${editions.length} edition(s) built in ${seconds} s\n`);
  }
  return code;
}

function kb(n: number): string {
  return n > 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.round(n / 1024)} KB`;
}
