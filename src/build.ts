/**
 * The orchestrator: the only module that knows the order of the stages.
 * load → check plan → render → compose → fonts → paginate → post-process PDF; render → EPUB;
 * then, only when there are no errors, write every output atomically with a manifest.
 */
import path from 'node:path';
import { compose, pageKind } from './compose/compose.ts';
import { Diagnostics, PAGE_RULES, readyToPrint } from './diagnostics.ts';
import { PaibanError } from './errors.ts';
import { sha256 } from './load/files.ts';
import { reportUnusedJumps } from './load/notices.ts';
import { checkOutputPaths } from './load/output-path.ts';
import type { RenderedArticle } from './model.ts';
import { outlineFor, sectionsFor } from './navigation.ts';
import { launchBrowser, type BrowserHandle } from './browser/browser.ts';
import { decideFor, recordedChoice, type PaginatorChoice, type PaginatorDecision } from './layout/choice.ts';
import { paginate, type PaginateResult, type Paginator } from './layout/paginate.ts';
import { placedSlots, typeArea, type PlacedSlot } from './layout/placed.ts';
import { groupChunks, planChunks } from './layout/chunks.ts';
import { workerCount, type RunSlots } from './browser/pool.ts';
import { reportSlots } from './layout/report.ts';
import { marksMargin } from './pdf/marks.ts';
import type { PreflightReport } from './preflight/preflight.ts';
import type { StaleOutputs } from './output/stale.ts';
import { prepareEdition, type PreparedEdition } from './prepare.ts';
import { stageAfter, type BuildProgress } from './progress.ts';
import { GENERATOR } from './version.ts';
import type { Page } from 'puppeteer-core';

/** What to build and how: the options of `paiban build`. Every field is optional. */
export interface BuildOptions {
  out?: string;
  pdf?: boolean;
  epub?: boolean;
  html?: boolean;
  strict?: boolean;
  /** Crop and cross marks outside the bleed (else edition.yaml's print.marks). */
  marks?: boolean;
  /** Tagged PDF (a structure tree for accessibility). */
  tagged?: boolean;
  /** PDF/X-3 (CMYK, output intent) or PDF/A-2b (archive) through Ghostscript. */
  pdfx?: boolean;
  pdfa?: boolean;
  /** false: build and check everything, write nothing (paiban check). */
  write?: boolean;
  /** Folder the --html document's relative paths start from (default: out). */
  htmlBase?: string;
  /** Pages paginated in parallel (default: PAIBAN_WORKERS, else one per core). */
  workers?: number;
  /** Reuse a browser across editions (paiban build A B C shares one); the caller closes it. */
  browser?: BrowserHandle;
  /** Places for pagination runs shared across editions (paiban build A B C); default: this build's own. */
  slots?: RunSlots;
  /**
   * A Chromium the caller started for this build (the CLI starts it before loading the rest of
   * paiban); the build takes it over and closes it, also when it fails. Not with `browser`.
   */
  launching?: Promise<BrowserHandle>;
  /** Called with the paginated page before printing: for DOM assertions in tests. */
  inspect?: (page: Page) => Promise<void>;
  /** Proof the articles' copy (src/proof): a warning per finding (paiban check). */
  proof?: boolean;
  /** Who lays out the pages (--paginator); else PAIBAN_PAGINATOR, edition.yaml's paginator:, auto (layout/choice.ts). */
  paginator?: PaginatorChoice;
  /** Told each stage as it starts and the pages laid out so far (the command line's progress line). */
  progress?: (p: BuildProgress) => void;
  /**
   * SOURCE_DATE_EPOCH for this build instead of the environment's ('': none, the edition's date):
   * a farm job carries the one it was enqueued with (src/farm/).
   */
  sourceDateEpoch?: string;
  /** Called as each stage ends (load, render, compose, fonts, paginate, pdf, epub, preflight, write): a farm job's progress. */
  onStage?: (stage: string, ms: number) => void;
}

/** What a build did: its diagnostics, the files it wrote, its pages, timings (ms per stage) and preflight. */
export interface BuildResult {
  slug: string;
  diagnostics: Diagnostics;
  /** Files written (empty when the build failed). */
  outputs: { path: string; bytes: number; sha256: string; pages?: number }[];
  pages: number;
  ok: boolean;
  timings: Record<string, number>;
  /** What preflight found: pages, fonts, images (also in diagnostics). */
  preflight: PreflightReport;
  /** Who laid out the pages: Chromium's own print layout, Paged.js, or both (runs of a pool). */
  paginators: Paginator[];
  /** Nothing overset, clipped, missing or below resolution (and no error): what `paiban check` calls ready to print. */
  ready: boolean;
  /** Every filled slot as printed: its box on its PDF page and what it holds (placed.ts). */
  placed: PlacedSlot[];
  /** A `pages: auto` edition's plan (src/plan/): each story's place, what was held over and why, each page's fill. */
  plan?: PreparedEdition['plan'];
  /** Who laid out each printed page (index 0 is page 1). */
  paginatorOfPage: Paginator[];
  /** Why Paged.js laid out pages, when it did (a rule only it implements, an elastic layout, asked for). */
  paginatorReason?: string;
  /** Older outputs of this edition in the output folder that this build did not write: removed, or (not paiban's to remove) kept and reported. */
  staleOutputs: StaleOutputs;
}

/** Timestamps come from SOURCE_DATE_EPOCH, else the edition's date: never the clock. */
export function buildTimestamp(editionDate: string, env = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  return new Date(`${editionDate}T00:00:00Z`);
}

/**
 * Build the edition in `editionDir` into `<out>/<slug>.pdf`, `.epub` and `.manifest.json` (what
 * `paiban build` does). Content problems come back as diagnostics with `ok: false`, and then nothing
 * is written. Mistakes that stop a build (in edition.yaml or front matter, a missing Chromium) are
 * thrown: PaibanError, or PaibanErrors for several found together.
 */
export async function build(editionDir: string, opts: BuildOptions = {}): Promise<BuildResult> {
  const want = { pdf: opts.pdf || !opts.epub, epub: opts.epub || !opts.pdf };
  const { timings, lap } = stageClock(opts, want);
  opts.progress?.({ stage: 'load' });
  await checkOptions(opts, want.pdf);
  const diagnostics = new Diagnostics();

  // Chromium starts while the edition is read, rendered and its fonts prepared (about half a second).
  const launching = opts.browser ? undefined : (opts.launching ?? launchBrowser());
  launching?.catch(() => undefined); // awaited below; a failed start is reported there
  let paginator: PaginatorDecision | undefined;
  const prepared = await prepareEdition(editionDir, {
    marks: opts.marks,
    proof: opts.proof,
    browser: opts.browser ? Promise.resolve(opts.browser) : launching,
    diagnostics,
    lap,
    // An output that cannot be written fails the build now, not after the work.
    afterLoad: async (edition, template) => {
      paginator = await decideFor(edition, template, opts.paginator);
      const outNames = [want.pdf && 'pdf', want.epub && 'epub', opts.html && 'html', 'manifest.json'].filter(Boolean).map((ext) => `${edition.slug}.${ext}`);
      if (opts.write !== false) await checkOutputPaths(opts.out ?? 'output', outNames);
    },
  }).catch(async (e: unknown) => {
    // A mistake in the edition: the Chromium started for it is not needed.
    await launching?.then((b) => b.close(), () => undefined);
    throw e;
  });
  if (paginator?.pagedjs) diagnostics.info('edition.yaml', 'paginator', `the pages are laid out by Paged.js: ${paginator.reason}`);
  // What comes after the pages loads, and the EPUB's figures are read and scaled (libvips, on
  // threads of its own), while Chromium lays out the pages: the EPUB needs only their numbers and
  // the cover from it. The results are the same as when each stage starts after the one before.
  const later = afterPages(want.epub, prepared.articles);
  later.catch(() => undefined); // awaited below
  const own = !opts.browser;
  const browser = opts.browser ?? (await launching!);
  const paged = await layOut(prepared, browser, opts, { diagnostics, pagedjs: paginator?.pagedjs ?? false, cover: want.epub }).catch(async (e: unknown) => {
    if (own) await browser.close();
    throw e;
  });
  // Chromium closes (about 0.15 s) while the PDF and the EPUB are finished; awaited before returning.
  const closing = own ? browser.close() : Promise.resolve();
  try {
    return await finish({ opts, want, prepared, paged, paginator, diagnostics, browser, timings, lap }, later);
  } finally {
    await closing;
  }
}

/** Each stage's time (ms) as it ends, told to the progress line and the farm. */
function stageClock(opts: BuildOptions, want: { pdf: boolean; epub: boolean }) {
  const timings: Record<string, number> = {};
  const t0 = performance.now();
  const lap = (name: string) => {
    timings[name] = Math.round(performance.now() - t0 - Object.values(timings).reduce((a, b) => a + b, 0));
    const next = stageAfter(name, want.pdf, want.epub);
    if (next) opts.progress?.({ stage: next });
    opts.onStage?.(name, timings[name]);
  };
  return { timings, lap };
}

/** Options that cannot work together, or a converter that is missing: refused before any work. */
async function checkOptions(opts: BuildOptions, wantPdf: boolean): Promise<void> {
  opts.launching?.catch(() => undefined); // awaited by the build; a failed start is reported there
  try {
    if (opts.pdfx && opts.pdfa) throw new PaibanError('Usage', '--pdfx and --pdfa cannot be combined', { hint: 'PDF/X (for the press, CMYK) and PDF/A (for the archive, RGB) are separate files: build twice into different --out folders' });
    if (wantPdf && (opts.pdfx || opts.pdfa)) await (await import('./pdf/finish.ts')).checkConverter(opts.pdfx ? 'pdfx' : 'pdfa');
  } catch (e) {
    await opts.launching?.then((b) => b.close(), () => undefined);
    throw e;
  }
}

/** The pages laid out and printed by Chromium (or Paged.js), in parallel chunks of the plan (layout/chunks.ts). */
function layOut(prepared: PreparedEdition, browser: BrowserHandle, opts: BuildOptions, run: { diagnostics: Diagnostics; pagedjs: boolean; cover: boolean }): Promise<PaginateResult> {
  const { edition, template, articles, composed, fontsCss, fontFiles, fontCheck, hyphenators, trace, marks } = prepared;
  const workers = opts.workers ?? workerCount();
  return paginate({
    composed, fontsCss, fontFiles, fontCheck, editionDir: edition.dir, articles, browser, diagnostics: run.diagnostics, cover: run.cover, inspect: opts.inspect, tagged: opts.tagged, trace,
    downsample: edition.config.print.downsample,
    chunks: groupChunks(
      planChunks(
        edition.config.pages,
        (layout) => template.meta.layouts[layout]?.fixed ?? false,
        // Printed by Chromium alone (native.ts): fixed and flow pages, unless Paged.js was chosen.
        (page) => !run.pagedjs && pageKind(template.meta.layouts[page.layout]!) !== 'elastic',
      ),
      workers,
    ),
    composeChunk: (only, pageOffset) => compose({ edition, template, articles, generator: GENERATOR, hyphenators, only, pageOffset, marks }),
    workers,
    slots: opts.slots,
    pagedjs: run.pagedjs,
    onPages: (pages) => opts.progress?.({ stage: 'paginate', pages }),
  });
}

/** What a build has when its pages are laid out. */
interface Run {
  opts: BuildOptions;
  want: { pdf: boolean; epub: boolean };
  prepared: PreparedEdition;
  paged: PaginateResult;
  paginator: PaginatorDecision | undefined;
  diagnostics: Diagnostics;
  browser: BrowserHandle;
  timings: Record<string, number>;
  lap: (stage: string) => void;
  later: Later;
}

type Output = { name: string; data: Uint8Array | string; pages?: number };

/** After the pages: the report of the page, the PDF, the EPUB, preflight, and (when nothing is wrong) the files. */
async function finish(laidOut: Omit<Run, 'later'>, pending: Promise<Later>): Promise<BuildResult> {
  const { opts, want, prepared, paged, paginator, diagnostics, lap } = laidOut;
  const { edition, template, articles, composed, fonts, fontsCss, marks } = prepared;
  reportSlots(paged.measure, paged.slots, composed, diagnostics);
  reportUnusedJumps(edition.config.pages, articles, new Set(paged.slots.jumps.map((j) => j.article)), edition.locate, diagnostics);
  lap('paginate');
  const run: Run = { ...laidOut, later: await pending };
  const timestamp = buildTimestamp(edition.config.date, envOf(opts));
  const outputs: Output[] = [];
  const pdf = want.pdf ? await printPdf(run, timestamp) : undefined;
  if (pdf) {
    outputs.push({ name: `${edition.slug}.pdf`, data: pdf.pdf, pages: paged.measure.pages.length });
    lap('pdf');
  }
  if (run.later.epub) {
    outputs.push({ name: `${edition.slug}.epub`, data: await makeEpub(run, run.later.epub, timestamp) });
    lap('epub');
  }
  if (opts.html) outputs.push({ name: `${edition.slug}.html`, data: await (await import('./output/standalone-html.ts')).standaloneHtml(composed, fontsCss, fonts, edition, opts.htmlBase ?? opts.out ?? 'output') });
  const report = await run.later.preflight({ pdf: pdf?.pdf, measure: paged.measure, articles, plan: edition.config.pages.map((p) => ({ layout: p.layout, fixed: template.meta.layouts[p.layout]?.fixed ?? false })), diagnostics, area: typeArea(composed, marks) });
  lap('preflight');
  if (opts.strict) diagnostics.escalate(PAGE_RULES);

  const ok = diagnostics.errors.length === 0;
  const { written, stale } = ok && opts.write !== false ? await writeOutputs(run, outputs, pdf?.converter, timestamp) : { written: [], stale: { removed: [], kept: [] } };
  lap('write');
  return {
    slug: edition.slug, diagnostics, outputs: written, pages: paged.measure.pages.length, ok, ready: readyToPrint(diagnostics), timings: run.timings, preflight: report,
    paginators: paged.paginators, paginatorOfPage: paged.pageBy, paginatorReason: paged.paginators.includes('pagedjs') ? paginator?.reason : undefined, staleOutputs: stale, placed: placedSlots(paged, composed, marks),
    ...(prepared.plan ? { plan: prepared.plan } : {}),
  };
}

function envOf(opts: BuildOptions): NodeJS.ProcessEnv {
  return opts.sourceDateEpoch === undefined ? process.env : { SOURCE_DATE_EPOCH: opts.sourceDateEpoch };
}

/** The printed PDF: page boxes, metadata and outline, PDF/X or PDF/A when asked for. */
async function printPdf({ opts, prepared, paged, diagnostics, later }: Run, timestamp: Date): Promise<{ pdf: Uint8Array; converter?: string }> {
  const { edition, articles, composed, marks } = prepared;
  const finished = await later.finishPdf({
    pdf: paged.pdf,
    standard: opts.pdfx ? 'pdfx' : opts.pdfa ? 'pdfa' : undefined,
    trim: composed.geometry.trim,
    bleed: composed.geometry.bleed,
    marks: marks ? marksMargin(composed.geometry.bleed) : 0,
    metadata: {
      title: edition.config.title,
      author: edition.config.publication,
      subject: edition.config.description,
      keywords: edition.config.subjects,
      language: edition.config.language,
      creator: GENERATOR,
      producer: GENERATOR,
      date: timestamp,
    },
    outline: outlineFor(composed, paged, articles),
  });
  for (const m of finished.messages) diagnostics.warn('edition.yaml', 'pdf-standard', `${finished.converter}: ${m}`);
  if (opts.tagged && finished.converter) diagnostics.warn('edition.yaml', 'tagged', `${finished.converter} does not carry the structure tree over: the ${opts.pdfx ? 'PDF/X' : 'PDF/A'} file is not tagged`);
  return { pdf: finished.pdf, converter: finished.converter };
}

/** The EPUB from the same articles, its sections in the order of the pages, the front page as its cover. */
async function makeEpub({ prepared, paged, diagnostics }: Run, epubWriter: NonNullable<Later['epub']>, timestamp: Date): Promise<Uint8Array> {
  const { edition, articles, composed } = prepared;
  const cover = await paged.cover;
  if (cover?.problem) diagnostics.warn('edition.yaml', 'epub-cover', `the EPUB has no cover: ${cover.problem}`);
  return epubWriter.writeEpub(
    {
      config: edition.config,
      slug: edition.slug,
      sections: sectionsFor(composed, paged, articles),
      cover: cover?.jpeg ? { image: cover.jpeg } : undefined,
      timestamp,
      generator: GENERATOR,
      figures: epubWriter.figures,
    },
    diagnostics,
  );
}

/** Every output and the manifest written atomically into the output folder; older outputs of the edition removed or reported. */
async function writeOutputs(run: Run, outputs: Output[], converter: string | undefined, timestamp: Date): Promise<{ written: BuildResult['outputs']; stale: StaleOutputs }> {
  const { opts, want, prepared, paginator, diagnostics, browser, later } = run;
  const { edition, template, articles, fonts, marks } = prepared;
  const outDir = path.resolve(opts.out ?? 'output');
  const manifestOutputs = outputs.map((o) => ({ path: o.name, sha256: sha256(o.data), size: Buffer.byteLength(o.data), pages: o.pages }));
  const options = { pdf: want.pdf, epub: want.epub, html: !!opts.html, strict: !!opts.strict, marks, tagged: !!opts.tagged, pdfx: !!opts.pdfx, pdfa: !!opts.pdfa, ...recordedChoice(paginator) };
  const epoch = envOf(opts).SOURCE_DATE_EPOCH;
  const manifest = await later.buildManifest({ edition, template, articles, fonts, browserVersion: browser.version, converter, timestamp, sourceDateEpoch: epoch && /^\d+$/.test(epoch) ? epoch : undefined, options, outputs: manifestOutputs, outDir });
  const all: Output[] = [...outputs, { name: `${edition.slug}.manifest.json`, data: manifest }];
  // Again right before writing: no output is replaced when another one cannot be written.
  await checkOutputPaths(outDir, all.map((o) => o.name));
  const recorded = await later.recordedOutputs(outDir, edition.slug);
  const written: BuildResult['outputs'] = [];
  for (const o of all) {
    const p = path.join(outDir, o.name);
    await later.writeAtomic(p, o.data);
    written.push({ path: p, bytes: Buffer.byteLength(o.data), sha256: sha256(o.data), pages: o.pages });
  }
  // An earlier build's EPUB (or PDF, or HTML) must not pass for this build's (output/stale.ts).
  const stale = await later.removeStale(outDir, edition.slug, all.map((o) => o.name), recorded, diagnostics);
  return { written, stale };
}

type Later = Awaited<ReturnType<typeof afterPages>>;

/**
 * The modules the stages after pagination need (pdf-lib among them; the EPUB writer only for an
 * EPUB), and the EPUB's figures being read: started before the pages, used after them.
 */
async function afterPages(wantEpub: boolean, articles: RenderedArticle[]) {
  const epub = wantEpub
    ? import('./epub/index.ts').then((m) => ({ writeEpub: m.writeEpub, figures: m.readFigures(articles, { oneAtATime: true }) }))
    : Promise.resolve(undefined);
  const [{ finishPdf }, { preflight }, { buildManifest }, { writeAtomic }, { recordedOutputs, removeStale }] = await Promise.all([
    import('./pdf/finish.ts'),
    import('./preflight/preflight.ts'),
    import('./output/manifest.ts'),
    import('./output/atomic.ts'),
    import('./output/stale.ts'),
  ]);
  return { finishPdf, preflight, buildManifest, writeAtomic, recordedOutputs, removeStale, epub: await epub };
}

