/**
 * The orchestrator: the only module that knows the order of the stages.
 * load → check plan → render → compose → fonts → paginate → post-process PDF; render → EPUB;
 * then, only when there are no errors, write every output atomically with a manifest.
 */
import path from 'node:path';
import { compose, pageKind, type ComposedDocument } from './compose/compose.ts';
import { checkPlan } from './compose/plan.ts';
import { loadHyphenators, type Hyphenator } from './compose/hyphenate.ts';
import { loadTemplate, type Template } from './compose/template.ts';
import { Diagnostics, PAGE_RULES, readyToPrint } from './diagnostics.ts';
import { fontFaceCss } from './fonts/css.ts';
import { prepareFonts, type PreparedFonts } from './fonts/prepare.ts';
import { reportFonts } from './fonts/report.ts';
import { faceRequests } from './fonts/stack.ts';
import { keptFaces, planFaces, planNotes } from './fonts/plan.ts';
import { loadEdition, type LoadedEdition } from './load/edition.ts';
import { reportEmptyArticles, reportUnusedJumps } from './load/notices.ts';
import { checkOutputPaths } from './load/output-path.ts';
import { checkRenderedLimits } from './limits.ts';
import { makeTracer, traceSources, type Tracer } from './paginate/refusals.ts';
import { sha256 } from './load/files.ts';
import { renderArticles } from './markdown/render.ts';
import type { RenderedArticle } from './model.ts';
import { launchBrowser, type BrowserHandle } from './paginate/browser.ts';
import { paginate, type PaginateResult, type Paginator } from './paginate/paginate.ts';
import { groupChunks, planChunks, workerCount, type RunSlots } from './paginate/pool.ts';
import { marksMargin } from './pdf/marks.ts';
import type { PreflightReport } from './preflight/preflight.ts';
import { PaibanError } from './errors.ts';
import { reportSlots } from './paginate/report.ts';
import { placedSlots, typeArea, type PlacedSlot } from './paginate/placed.ts';
import { decideFor, recordedChoice, type PaginatorChoice, type PaginatorDecision } from './paginate/choice.ts';
import type { StaleOutputs } from './output/stale.ts';
import { stageAfter, type BuildProgress } from './progress.ts';
import { GENERATOR } from './version.ts';
import { outlineFor, sectionsFor } from './navigation.ts';
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
  /** Who lays out the pages (--paginator); else PAIBAN_PAGINATOR, edition.yaml's paginator:, auto (paginate/choice.ts). */
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
  const timings: Record<string, number> = {};
  const t0 = performance.now();
  const lap = (name: string) => {
    timings[name] = Math.round(performance.now() - t0 - Object.values(timings).reduce((a, b) => a + b, 0));
    const next = stageAfter(name, wantPdf, wantEpub);
    if (next) opts.progress?.({ stage: next });
    opts.onStage?.(name, timings[name]);
  };
  opts.progress?.({ stage: 'load' });
  const env = opts.sourceDateEpoch === undefined ? process.env : { SOURCE_DATE_EPOCH: opts.sourceDateEpoch };
  const wantPdf = opts.pdf || !opts.epub;
  const wantEpub = opts.epub || !opts.pdf;
  const closeStarted = () => opts.launching?.then((b) => b.close(), () => undefined);
  opts.launching?.catch(() => undefined); // awaited below; a failed start is reported there
  try {
    if (opts.pdfx && opts.pdfa) throw new PaibanError('Usage', '--pdfx and --pdfa cannot be combined', { hint: 'PDF/X (for the press, CMYK) and PDF/A (for the archive, RGB) are separate files: build twice into different --out folders' });
    if (wantPdf && (opts.pdfx || opts.pdfa)) await (await import('./pdf/finish.ts')).checkConverter(opts.pdfx ? 'pdfx' : 'pdfa');
  } catch (e) {
    await closeStarted();
    throw e;
  }
  const diagnostics = new Diagnostics();
  let paginator: PaginatorDecision | undefined;

  // Chromium starts while the edition is read, rendered and its fonts prepared (about half a second).
  const launching = opts.browser ? undefined : (opts.launching ?? launchBrowser());
  launching?.catch(() => undefined); // awaited below; a failed start is reported there
  const prepared = await prepareEdition(editionDir, {
    marks: opts.marks,
    proof: opts.proof,
    browser: opts.browser ? Promise.resolve(opts.browser) : launching,
    diagnostics,
    lap,
    // An output that cannot be written fails the build now, not after the work.
    afterLoad: async (edition, template) => {
      paginator = await decideFor(edition, template, opts.paginator);
      const outNames = [wantPdf && 'pdf', wantEpub && 'epub', opts.html && 'html', 'manifest.json'].filter(Boolean).map((ext) => `${edition.slug}.${ext}`);
      if (opts.write !== false) await checkOutputPaths(opts.out ?? 'output', outNames);
    },
  }).catch(async (e: unknown) => {
    // A mistake in the edition: the Chromium started for it is not needed.
    await launching?.then((b) => b.close(), () => undefined);
    throw e;
  });
  const { edition, template, articles, composed, fonts, fontsCss, fontFiles, fontCheck, hyphenators, trace, marks, plan } = prepared;
  const pagedjs = paginator?.pagedjs ?? false;
  if (pagedjs) diagnostics.info('edition.yaml', 'paginator', `the pages are laid out by Paged.js: ${paginator?.reason}`);
  // What comes after the pages loads, and the EPUB's figures are read and scaled (libvips, on
  // threads of its own), while Chromium lays out the pages: the EPUB needs only their numbers and
  // the cover from it. The results are the same as when each stage starts after the one before.
  const later = afterPages(wantEpub, articles);
  later.catch(() => undefined); // awaited below
  const own = !opts.browser;
  const browser = opts.browser ?? (await launching!);
  let paged: PaginateResult;
  try {
    paged = await paginate({
      composed, fontsCss, fontFiles, fontCheck, editionDir: edition.dir, articles, browser, diagnostics, cover: wantEpub, inspect: opts.inspect, tagged: opts.tagged, trace,
      downsample: edition.config.print.downsample,
      // Pages in parallel: each chunk of the plan composed and paginated on its own (pool.ts).
      chunks: groupChunks(
        planChunks(
          edition.config.pages,
          (layout) => template.meta.layouts[layout]?.fixed ?? false,
          // Printed by Chromium alone (native.ts): fixed and flow pages, unless Paged.js was chosen.
          (page) => !pagedjs && pageKind(template.meta.layouts[page.layout]!) !== 'elastic',
        ),
        opts.workers ?? workerCount(),
      ),
      composeChunk: (only, pageOffset) => compose({ edition, template, articles, generator: GENERATOR, hyphenators, only, pageOffset, marks }),
      workers: opts.workers ?? workerCount(),
      slots: opts.slots,
      pagedjs,
      onPages: (pages) => opts.progress?.({ stage: 'paginate', pages }),
    });
  } catch (e) {
    if (own) await browser.close();
    throw e;
  }
  // Chromium closes (about 0.15 s) while the PDF and the EPUB are finished; awaited before returning.
  const closing = own ? browser.close() : Promise.resolve();
  try {
    return await afterPaginate();
  } finally {
    await closing;
  }

  async function afterPaginate(): Promise<BuildResult> {
    reportSlots(paged.measure, paged.slots, composed, diagnostics);
    reportUnusedJumps(edition.config.pages, articles, new Set(paged.slots.jumps.map((j) => j.article)), edition.locate, diagnostics);
    lap('paginate');
    const { finishPdf, preflight, buildManifest, writeAtomic, recordedOutputs, removeStale, epub: epubWriter } = await later;

    const timestamp = buildTimestamp(edition.config.date, env);
    const outputs: { name: string; data: Uint8Array | string; pages?: number }[] = [];
    const pageCount = paged.measure.pages.length;
    let pdf: Uint8Array | undefined;
    let converter: string | undefined;
    if (wantPdf) {
      const finished = await finishPdf({
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
      pdf = finished.pdf;
      converter = finished.converter;
      outputs.push({ name: `${edition.slug}.pdf`, data: pdf, pages: pageCount });
      lap('pdf');
    }
    if (epubWriter) {
      const cover = await paged.cover;
      if (cover?.problem) diagnostics.warn('edition.yaml', 'epub-cover', `the EPUB has no cover: ${cover.problem}`);
      const epub = await epubWriter.writeEpub(
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
      outputs.push({ name: `${edition.slug}.epub`, data: epub });
      lap('epub');
    }
    if (opts.html) outputs.push({ name: `${edition.slug}.html`, data: await (await import('./output/standalone-html.ts')).standaloneHtml(composed, fontsCss, fonts, edition, opts.htmlBase ?? opts.out ?? 'output') });
    const report = await preflight({ pdf, measure: paged.measure, articles, plan: edition.config.pages.map((p) => ({ layout: p.layout, fixed: template.meta.layouts[p.layout]?.fixed ?? false })), diagnostics, area: typeArea(composed, marks) });
    lap('preflight');
    if (opts.strict) diagnostics.escalate(PAGE_RULES);

    const ok = diagnostics.errors.length === 0;
    const written: BuildResult['outputs'] = [];
    let stale: StaleOutputs = { removed: [], kept: [] };
    if (ok && opts.write !== false) {
      const outDir = path.resolve(opts.out ?? 'output');
      const manifestOutputs = outputs.map((o) => ({ path: o.name, sha256: sha256(o.data), size: Buffer.byteLength(o.data), pages: o.pages }));
      const options = { pdf: wantPdf, epub: wantEpub, html: !!opts.html, strict: !!opts.strict, marks, tagged: !!opts.tagged, pdfx: !!opts.pdfx, pdfa: !!opts.pdfa, ...recordedChoice(paginator) };
      const epoch = env.SOURCE_DATE_EPOCH;
      const manifest = await buildManifest({ edition, template, articles, fonts, browserVersion: browser.version, converter, timestamp, sourceDateEpoch: epoch && /^\d+$/.test(epoch) ? epoch : undefined, options, outputs: manifestOutputs, outDir });
      outputs.push({ name: `${edition.slug}.manifest.json`, data: manifest });
      // Again right before writing: no output is replaced when another one cannot be written.
      await checkOutputPaths(outDir, outputs.map((o) => o.name));
      const recorded = await recordedOutputs(outDir, edition.slug);
      for (const o of outputs) {
        const p = path.join(outDir, o.name);
        await writeAtomic(p, o.data);
        written.push({ path: p, bytes: Buffer.byteLength(o.data), sha256: sha256(o.data), pages: o.pages });
      }
      // An earlier build's EPUB (or PDF, or HTML) must not pass for this build's (output/stale.ts).
      stale = await removeStale(outDir, edition.slug, outputs.map((o) => o.name), recorded, diagnostics);
    }
    lap('write');
    return { slug: edition.slug, diagnostics, outputs: written, pages: pageCount, ok, ready: readyToPrint(diagnostics), timings, preflight: report, paginators: paged.paginators, paginatorOfPage: paged.pageBy, paginatorReason: paged.paginators.includes('pagedjs') ? paginator?.reason : undefined, staleOutputs: stale, placed: placedSlots(paged, composed, marks), ...(plan ? { plan } : {}) };
  }
}

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

export interface PreparedEdition {
  edition: LoadedEdition;
  template: Template;
  articles: RenderedArticle[];
  composed: ComposedDocument;
  fonts: PreparedFonts;
  /** @font-face rules and the files they name under /_paiban/. */
  fontsCss: string;
  fontFiles: Map<string, string>;
  /** What each face's subset kept, when it was planned (fonts/plan.ts): paginate checks the pages. */
  fontCheck?: ReturnType<typeof keptFaces>;
  hyphenators: Map<string, Hyphenator>;
  trace: Tracer;
  marks: boolean;
  /** A `pages: auto` edition's plan (src/plan/). */
  plan?: import('./plan/index.ts').PlanReport;
}

/**
 * The stages up to the print document: load → check the plan → render → compose → fonts. Shared by
 * build (which goes on to paginate and write) and preview (which serves the document as it is).
 */
export async function prepareEdition(
  editionDir: string,
  opts: {
    marks?: boolean; diagnostics: Diagnostics; lap?: (stage: string) => void; afterLoad?: (edition: LoadedEdition, template: Template) => Promise<void>;
    /** Proof the articles' copy (src/proof/check.ts). */
    proof?: boolean;
    /** With a browser, each face is subset to the characters it sets (fonts/plan.ts); without (preview), to all. */
    browser?: Promise<BrowserHandle>;
  },
): Promise<PreparedEdition> {
  const { diagnostics } = opts;
  const lap = opts.lap ?? (() => undefined);
  let edition = await loadEdition(editionDir);
  const template = await loadTemplate(edition.config.template, edition.dir, edition.config.type);
  if (!edition.config.auto) checkPlan(edition, template);
  await opts.afterLoad?.(edition, template);
  if (opts.proof) await (await import('./proof/check.ts')).proofEdition(edition, diagnostics);
  lap('load');
  // pages: auto: planned from the docket first (src/plan/auto.ts), then built as listed.
  const planned = edition.config.auto ? await (await import('./plan/auto.ts')).planForBuild(edition, template, opts.browser, diagnostics, lap) : undefined;
  if (planned) edition = planned.edition;
  const articles = await renderArticles(edition.articles, { editionDir: edition.dir, config: edition.config, diagnostics });
  checkRenderedLimits(articles);
  reportEmptyArticles(articles, edition.articles, diagnostics);
  // A refused request names the article or template file and line that asked for it.
  const trace = makeTracer(traceSources(edition.dir, edition.articles, template.files));
  lap('render');
  const hyphenators = await loadHyphenators(articles.map((a) => a.language));
  const marks = opts.marks ?? edition.config.print.marks;
  const composed = compose({ edition, template, articles, generator: GENERATOR, hyphenators, marks });
  lap('compose');
  const faces = faceRequests(template.meta, edition.config);
  // PAIBAN_FACE_PLAN=0: every face keeps every character (bigger subsets, slower page loads; for comparing).
  const browser = opts.browser && process.env.PAIBAN_FACE_PLAN !== '0' ? await opts.browser : undefined;
  const plan = browser
    ? await planFaces({ faces, composed, styleText: template.styleText, editionDir: edition.dir, browser }).catch((e: unknown) => {
        // The pages still print, with every face subset to every character: bigger, slower to load.
        diagnostics.info('edition.yaml', 'font', `every face keeps every character: the browser could not say which it sets (${(e as Error).message.split('\n')[0]})`);
        return undefined;
      })
    : undefined;
  const fonts = await prepareFonts({ faces: plan?.faces ?? faces, dropLanguages: plan?.dropLanguages, text: composed.text }).catch((e: unknown) => {
    // A font that cannot be found or read is the edition's (or template's) fonts: setting, not a bug.
    if (e instanceof PaibanError) throw e;
    throw new PaibanError('FontsFailed', (e as Error).message, {
      where: { file: 'edition.yaml', ...(edition.config.fonts ? edition.locate(['fonts']) : {}) },
      hint: 'check fonts: in edition.yaml (or the template\'s): a fontconfig family (fc-list lists them) or a font file',
      cause: e,
    });
  });
  reportFonts(fonts, articles, diagnostics);
  for (const n of plan ? planNotes(plan) : []) diagnostics.add({ file: 'edition.yaml', severity: n.severity, rule: n.rule, message: n.message });
  lap('fonts');

  const fontFiles = new Map(fonts.faces.map((f) => [`font-${f.sha256.slice(0, 16)}.ttf`, f.file]));
  const fontsCss = fontFaceCss(fonts, (f) => `/_paiban/font-${f.sha256.slice(0, 16)}.ttf`);
  const fontCheck = plan && keptFaces(plan, fonts);
  return { edition, template, articles, composed, fonts, fontsCss, fontFiles, fontCheck, hyphenators, trace, marks, plan: planned?.report };
}
