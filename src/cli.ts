/**
 * The command line: `paiban build [EDITION_DIR…]` and friends. Exit codes: 0 success (warnings
 * allowed), 1 content or environment errors, 2 usage errors. No stack trace unless --debug.
 */
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import type { BuildResult } from './build.ts';
import { formatDiagnostic } from './diagnostics.ts';
import { PaibanError, PaibanErrors } from './errors.ts';
import { launchBrowser, type BrowserHandle } from './paginate/browser.ts';
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
  json?: boolean;
  debug?: boolean;
}

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command('paiban')
    .description('Markdown to print-ready newspaper pages (PDF) and e-books (EPUB)')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

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
    .option('--json', 'print the result as JSON on stdout')
    .option('--debug', 'show stack traces')
    .action(async (editions: string[], flags: BuildFlags) => {
      if (flags.pdfx && flags.pdfa) {
        process.stderr.write('paiban: --pdfx and --pdfa cannot be combined\n  → PDF/X (press, CMYK) and PDF/A (archive, RGB) are separate files: build twice into different --out folders\n');
        exitCode = 2;
        return;
      }
      exitCode = await runBuild(editions, flags);
    });

  program
    .command('check')
    .description('preflight an edition without writing anything: fonts, images, overset, missing glyphs, pages (exit 1 on errors)')
    .argument('[edition]', 'edition folder (holds edition.yaml)', '.')
    .option('--marks', 'check with crop marks')
    .option('--strict', 'overset text is an error')
    .option('--json', 'print the report as JSON on stdout')
    .option('--debug', 'show info diagnostics and stack traces')
    .action(async (edition: string, flags: { marks?: boolean; strict?: boolean; json?: boolean; debug?: boolean }) => {
      const { runCheck } = await import('./verify/commands.ts');
      exitCode = await runCheck(edition, flags);
    });

  program
    .command('verify')
    .description('rebuild from a manifest in a temporary folder and say identical, or what differs (exit 0/1)')
    .argument('<manifest>', 'a <slug>.manifest.json written by paiban build')
    .option('--json', 'print the result as JSON on stdout')
    .option('--debug', 'show stack traces')
    .action(async (manifest: string, flags: { json?: boolean; debug?: boolean }) => {
      const { runVerify } = await import('./verify/commands.ts');
      exitCode = await runVerify(manifest, flags);
    });

  program
    .command('preview')
    .description('live preview in your browser, rebuilt on every save')
    .argument('[edition]', 'edition folder', '.')
    .option('--port <n>', 'port on 127.0.0.1', positiveInt, 4173)
    .action(async (dir: string, flags: { port: number }) => {
      try {
        const { preview } = await import('./preview/server.ts');
        const p = await preview(dir, { port: flags.port, onBuild: (messages) => messages.forEach((m) => process.stderr.write(`${m}\n`)) });
        process.stdout.write(`paiban preview: open ${p.url} (Ctrl-C to stop); pages reload when you save\n`);
        await new Promise<void>((resolve) => process.once('SIGINT', () => void p.close().then(resolve)));
      } catch (e) {
        if (!(e instanceof PaibanError) && !(e instanceof PaibanErrors)) throw e;
        process.stderr.write(`${e instanceof PaibanErrors ? e.errors.map((x) => x.format()).join('\n') : e.format()}\n`);
        exitCode = 1;
      }
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
    .option('--lang <tag>', 'zh-CN (default) or a Latin-script language such as en')
    .action(async (dir: string, flags: { lang?: string }) => {
      try {
        const { scaffold } = await import('./scaffold/new.ts');
        const files = await scaffold(dir, { language: flags.lang });
        for (const f of files) process.stdout.write(`wrote ${f}\n`);
        process.stdout.write(`build it with: paiban build ${dir}\n`);
      } catch (e) {
        if (!(e instanceof PaibanError)) throw e;
        process.stderr.write(`${e.format()}\n`);
        exitCode = e.exitCode;
      }
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with code 0; everything else is a usage error.
      return e.exitCode === 0 ? 0 : 2;
    }
    throw e;
  }
  return exitCode;
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
    reportError(e, 'paiban', debug);
    process.exitCode = 1;
  };
  process.on('unhandledRejection', h);
  return () => process.off('unhandledRejection', h);
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('give a whole number of 1 or more');
  return n;
}

async function runBuild(editions: string[], flags: BuildFlags): Promise<number> {
  const t0 = performance.now();
  const offSignals = onSignals();
  const offStray = onStrayErrors(flags.debug);
  const results: BuildResult[] = [];
  let failed = false;
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
      const job = before.then(() => inFlight.run(() => build(dir, { out: flags.out, pdf: flags.pdf, epub: flags.epub, html: flags.html, strict: flags.strict, marks: flags.marks, tagged: flags.tagged, pdfx: flags.pdfx, pdfa: flags.pdfa, workers, slots, browser: shared, launching: shared ? undefined : launching })));
      job.catch(() => undefined); // awaited below, in order
      lastOfName.set(slug, job.catch(() => undefined));
      return job;
    });
    for (const [i, dir] of editions.entries()) {
      try {
        const r = await builds[i]!;
        results.push(r);
        for (const d of r.diagnostics.items) if (d.severity !== 'info' || flags.debug) process.stderr.write(`${r.slug}/${formatDiagnostic(d)}\n`);
        if (!r.ok) {
          failed = true;
          process.stderr.write(`paiban: ${dir}: ${r.diagnostics.errors.length} error(s); nothing was written\n`);
        }
      } catch (e) {
        failed = true;
        reportError(e, dir, flags.debug);
      }
    }
  } catch (e) {
    failed = true;
    reportError(e, editions.join(' '), flags.debug);
  } finally {
    if (browser && !(browser instanceof Error)) await browser.close();
    offSignals();
    offStray();
  }
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ ok: !failed, seconds: Number(seconds), results: results.map((r) => ({ ...r, diagnostics: r.diagnostics.items })) }, null, 2)}\n`);
  } else {
    for (const r of results) {
      // A pages: auto edition: where each story went and what was held over.
      if (r.plan) process.stdout.write((await import('./plan/report.ts')).formatPlan(r.plan));
      for (const o of r.outputs) process.stdout.write(`wrote ${o.path} (${kb(o.bytes)}${o.pages ? `, ${o.pages} pages` : ''})\n`);
    }
    process.stdout.write(`paiban: ${results.filter((r) => r.ok).length} of ${editions.length} edition(s) built in ${seconds} s\n`);
  }
  return failed ? 1 : 0;
}

function kb(n: number): string {
  return n > 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.round(n / 1024)} KB`;
}

function reportError(e: unknown, dir: string, debug?: boolean): void {
  if (e instanceof PaibanErrors) {
    for (const x of e.errors) process.stderr.write(`${prefix(dir, x)}${x.format()}\n`);
  } else if (e instanceof PaibanError) {
    process.stderr.write(`${prefix(dir, e)}${e.format()}\n`);
  } else {
    process.stderr.write(`paiban: internal error: ${(e as Error).message}\n  → please report this with the edition that caused it (run with --debug for the stack)\n`);
  }
  if (debug && e instanceof Error) process.stderr.write(`${e.stack}\n`);
}

/** `ed/` before a file inside the edition; `ed: ` before an error that has no file (the browser, the output). */
function prefix(dir: string, e: PaibanError): string {
  if (!e.where) return `${dir.replace(/\/$/, '')}: `;
  return e.where.file.startsWith('/') ? '' : `${dir.replace(/\/$/, '')}/`;
}
