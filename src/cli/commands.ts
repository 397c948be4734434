/**
 * The commands and their options (commander). Each action loads its command's module when it runs,
 * not before: `paiban build` starts Chromium first and loads the stages while it starts.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { PaginatorChoice } from '../config/schema.ts';
import { PaibanError } from '../errors.ts';
import { editionFolder } from '../load/folder.ts';
import { errorRecords, exitCodeOf, printError, printJson } from './errors.ts';
import { runBuild, type BuildFlags } from './build-command.ts';

/** Called by an action with its exit code. */
type Done = (code: number) => void;

/** build, check, verify, preview and new: the commands of one machine. */
export function addEditionCommands(program: Command, done: Done): void {
  addBuild(program, done);
  addCheck(program, done);
  addVerify(program, done);
  addPreview(program, done);
  addPlan(program, done);
  addNew(program, done);
}

function addBuild(program: Command, done: Done): void {
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
        done(usageFailure(e, flags));
        return;
      }
      done(await runBuild(editions.map(editionFolder), flags));
    });
}

function addCheck(program: Command, done: Done): void {
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
        const { runFix } = await import('../proof/command.ts');
        done(await runFix(edition, flags));
        return;
      }
      const { runCheck } = await import('../verify/commands.ts');
      done(await runCheck(editionFolder(edition), flags));
    });
}

function addVerify(program: Command, done: Done): void {
  program
    .command('verify')
    .description('rebuild from a manifest in a temporary folder and say identical, or what differs (exit 0/1)')
    .argument('<manifest>', 'a <slug>.manifest.json written by paiban build')
    .option('--edition <dir>', 'the edition folder, when it is no longer where the manifest says (an archive that moved)')
    .option('--json', 'print the result as JSON on stdout (one document, failures included)')
    .option('--debug', 'show stack traces')
    .action(async (manifest: string, flags: { edition?: string; json?: boolean; debug?: boolean }) => {
      const { runVerify } = await import('../verify/commands.ts');
      done(await runVerify(manifest, flags));
    });
}

function addPreview(program: Command, done: Done): void {
  program
    .command('preview')
    .description('live preview in your browser, rebuilt on every save')
    .argument('[edition]', 'edition folder', '.')
    .option('--port <n>', 'port on 127.0.0.1 (1-65535)', '4173')
    .option('--debug', 'show stack traces')
    .action(async (dir: string, flags: { port: string; debug?: boolean }) => {
      const { runPreview } = await import('../preview/command.ts');
      done(await runPreview(editionFolder(dir), flags));
    });
}

function addPlan(program: Command, done: Done): void {
  program
    .command('plan')
    .description('plan the pages of an edition from its docket (articles: with priorities, plan: { pages: N }) and write them into edition.yaml as its pages: list')
    .argument('[edition]', 'edition folder (holds edition.yaml)', '.')
    .option('--dry-run', 'report the plan, write nothing')
    .option('--json', 'print the plan as JSON on stdout')
    .option('--debug', 'show stack traces')
    .action(async (edition: string, flags: { dryRun?: boolean; json?: boolean; debug?: boolean }) => {
      const { runPlan } = await import('../plan/command.ts');
      done(await runPlan(edition, flags));
    });
}

function addNew(program: Command, done: Done): void {
  program
    .command('new')
    .description('scaffold a new edition that builds as it is')
    .argument('<dir>', 'the new edition folder')
    .option('--lang <tag>', 'the language of the sample text: zh-CN (default) or en')
    .option('--debug', 'show stack traces')
    .action(async (dir: string, flags: { lang?: string; debug?: boolean }) => {
      const { runNew } = await import('../scaffold/command.ts');
      done(await runNew(dir, flags));
    });
}

/** The render farm (src/farm/, docs/farm.md): BullMQ and ioredis load only for these commands. */
export function addFarmCommands(program: Command, done: Done): void {
  addWorker(program, done);
  addEnqueue(program, done);
  addServe(program, done);
}

function addWorker(program: Command, done: Done): void {
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
    .action(async (flags: import('../farm/worker.ts').WorkerFlags) => {
      done(await farmCommand(async () => (await import('../farm/worker.ts')).runWorker(flags), flags.debug));
    });
}

function addEnqueue(program: Command, done: Done): void {
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
    .action(async (editions: string[], flags: import('../farm/enqueue.ts').EnqueueFlags) => {
      done(await farmCommand(async () => (await import('../farm/enqueue.ts')).runEnqueue(editions, flags), flags.debug));
    });
}

function addServe(program: Command, done: Done): void {
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
    .action(async (flags: import('../farm/serve.ts').ServeFlags & { debug?: boolean }) => {
      done(await farmCommand(async () => (await import('../farm/serve.ts')).runServe(flags), flags.debug));
    });
}

/** A usage error found by an action: one line and a hint (and the JSON document); exit 2. */
function usageFailure(e: PaibanError, flags: { json?: boolean; debug?: boolean }): number {
  printError(e, undefined, flags.debug);
  if (flags.json) printJson({ ok: false, exitCode: 2, errors: errorRecords(e) });
  return 2;
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

