/**
 * Stage 4, paginate and print: load the composed document in Chromium, run paiban's slot passes
 * (copyfit, jumps) and measure every slot for overset, and print the PDF. Chromium's own print
 * layout paginates (native.ts); editions with elastic pages (and PAIBAN_PAGINATOR=pagedjs) are
 * laid out by Paged.js, whose work is checked (it silently drops what it cannot place: never
 * trust it). The EPUB cover is drawn from the printed PDF.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PDFDocument } from 'pdf-lib';
import type { Page } from 'puppeteer-core';
import type { ParsedPdf } from '../pdf/postprocess.ts';
import type { ComposedDocument } from '../compose/compose.ts';
import { ASSET_PREFIX, EDITION_PREFIX, ORIGIN } from '../compose/compose.ts';
import { Diagnostics } from '../diagnostics.ts';
import type { RenderedArticle } from '../model.ts';
import type { BrowserHandle } from '../browser/browser.ts';
import type { PageMeasure } from './measure.ts';
import { callInPage } from './page-lib.ts';
import { COPYFIT, PHOTO_KEEP } from './fit.ts';
import { collectRuns, subsetMisses, type FaceCoverage } from '../fonts/usage.ts';
import { fixSoftHyphens } from './hyphens.ts';
import type { SlotPassOptions, SlotPassResult } from './slots.ts';
import { serve, type Routes } from '../browser/server.ts';
import { reporter, type Tracer } from '../browser/refusals.ts';
import { layOutPages, pageLimitError, withBrowser } from '../browser/watchdog.ts';
import { coverFromPdf } from '../pdf/cover.ts';
import { loadFonts, nativeDocument, printNative, printsNatively, showAll, type NativeTargets } from './native.ts';
import { downsample, useScaled, type Scaled } from './print-images.ts';
import { LIMITS, timeBudgets } from '../limits.ts';
import { mergeMeasures, mergeSlotResults, runChunks, type Chunk } from './chunks.ts';
import { RunSlots } from '../browser/pool.ts';

// pagedjs's "exports" hide its dist/ folder: find it beside the CommonJS entry (lib/).
const require = createRequire(import.meta.url);
export const PAGED_JS = path.join(path.dirname(require.resolve('pagedjs')), '../dist/paged.polyfill.js');

export interface PaginateInput {
  composed: ComposedDocument;
  /** Print a tagged PDF (structure tree). */
  tagged?: boolean;
  /** @font-face rules for the prepared fonts; their URLs must be in `fontFiles`. */
  fontsCss: string;
  fontFiles: Map<string, string>;
  editionDir: string;
  articles: RenderedArticle[];
  browser: BrowserHandle;
  diagnostics: Diagnostics;
  /** Also render page 1 to a JPEG (the EPUB's cover). */
  cover?: boolean;
  timeoutMs?: number;
  /** Paged.js must lay out each next page within this (default: PAIBAN_PAGE_TIMEOUT). */
  pageMs?: number;
  /** Names the file and line that asked for a refused URL (browser/refusals.ts). */
  trace?: Tracer;
  /** Called with the paginated page before printing (tests make DOM assertions here). */
  inspect?: (page: Page) => Promise<void>;
  /**
   * Parallel pagination (chunks.ts): the plan's chunks and how to compose one. Without them, or
   * with one worker, one chunk, a tagged PDF or an inspect hook, the edition is one document.
   */
  chunks?: Chunk[];
  composeChunk?: (pages: number[], pageOffset: number) => ComposedDocument;
  workers?: number;
  /** Places for runs shared with other editions (`paiban build A B C`); default: `workers` of this edition's own. */
  slots?: RunSlots;
  /** Print images placed beyond 1.5 × this many ppi at it (edition.yaml print.downsample; print-images.ts). */
  downsample?: number | false;
  /** Each face's font coverage and what its subset kept (fonts/plan.ts keptFaces): the pages are checked. */
  fontCheck?: (FaceCoverage & { kept: Set<number> })[];
  /** Every page by Paged.js (choice.ts decided: --paginator pagedjs, or CSS only Paged.js implements). */
  pagedjs?: boolean;
  /** Pages laid out so far, as the runs go (for a progress line). */
  onPages?: (pages: number) => void;
}

/** Who laid out the pages: Chromium's own print layout (native.ts) or Paged.js. */
export type Paginator = 'chromium' | 'pagedjs';

export interface PaginateResult {
  /**
   * The PDF as printed; when Chromium printed it alone or a pool printed several parts, already
   * parsed, cleaned and merged, for the PDF stage to finish without parsing it again.
   */
  pdf: Uint8Array | ParsedPdf;
  /** Who laid out the pages, each once (a pool's runs may differ). */
  paginators: Paginator[];
  /** Who laid out each printed page (index 0 is page 1). */
  pageBy: Paginator[];
  measure: PageMeasure;
  /** What copyfit and jumps did. */
  slots: SlotPassResult;
  /**
   * Page 1 as a JPEG, when `cover` was asked for: drawn from the printed PDF by pdftoppm while the
   * caller finishes the PDF (pdf/cover.ts); `problem` says why there is none.
   */
  cover?: Promise<Cover>;
}

export interface Cover {
  jpeg?: Uint8Array;
  problem?: string;
}

/**
 * Lay out and print within the time budgets (PAIBAN_TIMEOUT for the whole, PAIBAN_PAGE_TIMEOUT per
 * page); when Chromium crashes or hangs, once more with a fresh one, then BrowserFailed (browser/watchdog.ts).
 * Only the attempt that succeeds reports its diagnostics.
 */
export async function paginate(input: PaginateInput): Promise<PaginateResult> {
  const result = await withBrowser(input.browser, input.diagnostics, async (budgets) => {
    const diagnostics = new Diagnostics();
    // Pages laid out by each run (by its first page), summed for the progress line.
    const laidOut = new Map<number, number>();
    const onRunPages = (offset: number, n: number) => {
      laidOut.set(offset, n);
      input.onPages?.([...laidOut.values()].reduce((a, b) => a + b, 0));
    };
    const run = { ...input, diagnostics, timeoutMs: input.timeoutMs ?? budgets.buildMs, pageMs: input.pageMs ?? budgets.pageMs, onRunPages };
    const chunks = input.chunks ?? [];
    const workers = Math.min(input.workers ?? 1, chunks.length);
    // Merging drops a tagged PDF's structure tree, and inspect wants the whole edition at once.
    // Chromium prints flow pages faster in one piece than in several (each later one waits for
    // the page count of those before it).
    const whole = workers <= 1 || !input.composeChunk || input.tagged || input.inspect || (native(input.composed, input) && input.composed.pageKinds.every((k) => k.kind === 'flow'));
    const slots = input.slots ?? new RunSlots(workers);
    const one = async () => [await slots.run(() => paginateOnce(run, input.composed, 0))];
    let parts = whole ? await one() : await runChunks(chunks, workers, (chunk, _i, offset) => paginateOnce(run, input.composeChunk!(chunk.pages, offset), offset), slots);
    // A fixed page that spilled onto a second page shifts every later page number: lay out the
    // edition as one document instead (preflight reports the spill).
    if (!whole && parts.some((p, i) => chunks[i]!.fixed && p.measure.pages.length !== chunks[i]!.pages.length)) {
      diagnostics.items.length = 0;
      parts = await one();
    }
    input.diagnostics.merge(diagnostics);
    // The cover is drawn by another process while the pages are merged and the PDF finished.
    const cover = input.cover ? coverFromPdf(parts[0]!.printed) : undefined;
    const pageBy = parts.flatMap((p) => p.measure.pages.map(() => p.paginators[0]!));
    if (parts.length === 1) {
      const [{ printed, doc, ...part }] = parts as [Run];
      return { ...part, pageBy, pdf: doc ? { printed: [printed], doc } : printed, cover };
    }
    return {
      pageBy,
      // pdf-lib loads only when there is something to merge.
      pdf: { printed: parts.map((p) => p.printed), doc: await (await import('../pdf/merge.ts')).mergeDocuments(parts.map((p) => p.doc ?? p.printed)) },
      paginators: [...new Set(parts.flatMap((p) => p.paginators))].sort(),
      measure: mergeMeasures(parts.map((p) => p.measure)),
      slots: mergeSlotResults(parts.map((p) => p.slots)),
      cover,
    };
  });
  checkPlaced(input.articles, result.measure, input.diagnostics);
  return result;
}

/** The last renderer start asked for: the next waits for it (paginateOnce). */
let opening: Promise<void> = Promise.resolve();

/** What one run printed: its bytes, parsed already when Chromium printed it alone. */
type Run = Omit<PaginateResult, 'pdf' | 'cover' | 'pageBy'> & { printed: Uint8Array; doc?: PDFDocument };

type RunInput = PaginateInput & { onRunPages?: (pageOffset: number, pages: number) => void };

/** One document laid out and printed in a page of its own (its own renderer process). */
async function paginateOnce(input: RunInput, composed: ComposedDocument, pageOffset: number, pagedJs = false): Promise<Run> {
  const { diagnostics } = input;
  const timeout = input.timeoutMs ?? 120_000;
  const mark = tracer(`run at page ${pageOffset + 1}`);
  // One renderer starts at a time: two starting at once took 1.6 s each where one takes 0.6 s.
  // The tab Chromium opened at its start, if no run took it yet; else a browser context of its own.
  const opened = opening.then(async () => {
    const initial = await input.browser.takeInitialPage();
    if (initial) return { context: undefined, page: initial };
    const context = await input.browser.browser.createBrowserContext();
    return { context, page: await context.newPage() };
  });
  opening = opened.then(() => undefined, () => undefined);
  const { context, page } = await opened;
  mark('context');
  try {
    const assets: Routes['assets'] = new Map([
      ['fonts.css', { body: input.fontsCss, type: 'text/css' }],
      ['page.css', { body: composed.pageCss, type: 'text/css' }],
      ['paged-config.js', { body: 'window.PagedConfig = { auto: false };', type: 'application/javascript' }],
      ['paged.polyfill.js', { file: PAGED_JS, type: 'application/javascript' }],
    ]);
    for (const s of composed.stylesheets) assets.set(s.url.split('/').pop()!, { file: s.file, type: 'text/css' });
    for (const [name, file] of input.fontFiles) assets.set(name, { file, type: 'font/ttf' });
    const chromium = !pagedJs && native(composed, input);
    // Refusals and blocked loads are reported against the file that asked for them (browser/refusals.ts).
    const report = reporter(diagnostics, input.trace ?? (() => ({ file: 'edition.yaml' })));
    const document = chromium ? nativeDocument(composed, pageOffset) : asPagedSource(composed.html);
    await serve(page, { assets, editionDir: input.editionDir, document }, report.refused);
    report.watch(page);
    page.setDefaultTimeout(timeout);
    // tsx/esbuild wraps named functions in __name(); functions we send to the page need it too.
    await page.evaluateOnNewDocument('globalThis.__name = (f) => f;');
    await page.goto(`${ORIGIN}/`, { waitUntil: 'load', timeout });
    mark('load');
    if (chromium) {
      const printed = await printNatively(page, composed, input, { pageOffset, timeout, mark, assets });
      if (printed) {
        input.onRunPages?.(pageOffset, printed.measure.pages.length);
        return printed;
      }
      // The jump lines still name the wrong pages: Paged.js lays the document out.
      await (context ?? page).close().catch(() => undefined);
      return await paginateOnce(input, composed, pageOffset, true);
    }
    await page.addScriptTag({ url: `${ORIGIN}/_paiban/paged-config.js` });
    await page.addScriptTag({ url: `${ORIGIN}/_paiban/paged.polyfill.js` });
    // Each next page within the page budget, at most LIMITS.pages pages (browser/watchdog.ts).
    await layOutPages(page, { pageMs: input.pageMs ?? timeBudgets().pageMs }, undefined, (n) => input.onRunPages?.(pageOffset, n));
    mark('Paged.js');
    const slots = await page.evaluate(callInPage('slotPass', slotOptions(composed, pageOffset, undefined, input.tagged))) as SlotPassResult;
    // After copyfit and jumps, the last layout change: settle soft hyphens into real ones.
    await page.evaluate(fixSoftHyphens);
    mark('copyfit, jumps, hyphens');
    const measure = await page.evaluate(callInPage('measurePages')) as PageMeasure;
    await checkFonts(page, input);
    mark('measure');
    if (input.inspect) await input.inspect(page);
    // tagged: a structure tree for accessibility (--tagged); its size cost is in docs/print.md.
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: input.tagged ?? false, outline: false, timeout });
    mark('print');
    return { printed: pdf, measure, slots, paginators: ['pagedjs'] };
  } finally {
    await (context ?? page).close().catch(() => undefined);
  }
}

/** PAIBAN_TRACE=1: each run's phases (ms since the last) on stderr, for profiling; otherwise nothing. */
function tracer(run: string): (phase: string) => void {
  if (process.env.PAIBAN_TRACE !== '1') return () => undefined;
  let last = performance.now();
  return (phase) => {
    const now = performance.now();
    process.stderr.write(`paiban trace: ${run}: ${phase} ${Math.round(now - last)} ms (at ${Math.round(now)} ms)\n`);
    last = now;
  };
}

/** Whether this document goes to Chromium's own print layout (native.ts); never when Paged.js was chosen (choice.ts). */
function native(composed: ComposedDocument, input: PaginateInput): boolean {
  return !input.pagedjs && printsNatively(composed);
}

/**
 * A document printed by Chromium itself (native.ts): the fixed pages' slots fitted, jumped and
 * measured on screen, then the print. Jump lines first count each plan page as one printed page;
 * when a flow before a jump's page ran on longer, the page is set again (from the body as it was
 * before the slot pass) with the pages as printed. Undefined when they still come out wrong.
 */
async function printNatively(page: Page, composed: ComposedDocument, input: PaginateInput, run: { pageOffset: number; timeout: number; mark: (phase: string) => void; assets: Routes['assets'] }): Promise<Run | undefined> {
  const { pageOffset, timeout, mark } = run;
  await page.evaluate(loadFonts);
  mark('fonts');
  const fixed = composed.pageKinds.some((k) => k.kind === 'fixed');
  let pageOf: Record<string, number> = Object.fromEntries(composed.pageKinds.map((k, i) => [String(k.page), pageOffset + i + 1]));
  const jumps = fixed && (await page.evaluate(keepBody));
  for (let attempt = 0; attempt < 2; attempt++) {
    if (attempt > 0) await page.evaluate(restoreBody);
    const slots = fixed ? ((await page.evaluate(callInPage('slotPass', slotOptions(composed, pageOffset, pageOf, input.tagged)))) as SlotPassResult) : { copyfit: [], jumps: [], fits: [] };
    const slotMeasure = fixed ? ((await page.evaluate(callInPage('measurePages', '.pb-page'))) as PageMeasure).slots : [];
    mark('copyfit, jumps, measure');
    if (attempt === 0) {
      await checkFonts(page, input);
      if (input.inspect) {
        await page.evaluate(showAll, true);
        await input.inspect(page);
        await page.evaluate(showAll, false);
      }
    }
    let scaled: Scaled[] = [];
    const beforePrint = async (targets: NativeTargets) => {
      if (input.downsample) scaled = await useScaledImages(page, targets, input.downsample, input.editionDir, run.assets);
    };
    const { pdf, doc, measure } = await printNative(page, composed, { tagged: input.tagged ?? false, timeout, slots: slotMeasure, beforePrint });
    mark('native print');
    if (measure.pages.length > LIMITS.pages) throw pageLimitError();
    const printed: Record<string, number> = Object.fromEntries(composed.pageKinds.map((k) => [String(k.page), pageOffset + measure.pages.findIndex((p) => p.planPage === k.page) + 1]));
    const wrong = slots.jumps.some((j) => printed[j.fromPlan] !== j.fromPage || printed[j.toPlan] !== j.toPage);
    if (!wrong) {
      reportScaled(scaled, input);
      return { printed: pdf, doc, measure, slots, paginators: ['chromium'] };
    }
    if (!jumps) break;
    pageOf = printed;
  }
  return undefined;
}

/**
 * Images placed far beyond `ppi` take scaled copies before printing (print-images.ts), served among
 * the run's assets; the targets then tell the pixels printed.
 */
async function useScaledImages(page: Page, targets: NativeTargets, ppi: number, editionDir: string, assets: Routes['assets']): Promise<Scaled[]> {
  const scaled = await downsample(targets.images, ppi, editionDir);
  if (!scaled.length) return scaled;
  for (const s of scaled) assets.set(s.name, { body: s.body, type: 'image/png' });
  await page.evaluate(useScaled, scaled.map((s) => ({ dest: s.dest, url: `${ORIGIN}${ASSET_PREFIX}${s.name}`, width: s.from.width, height: s.from.height })));
  for (const s of scaled) {
    const im = targets.images.find((i) => i.dest === s.dest);
    if (im) Object.assign(im, { naturalWidth: s.to.width, naturalHeight: s.to.height });
  }
  return scaled;
}

function reportScaled(scaled: Scaled[], input: PaginateInput): void {
  for (const s of scaled) {
    const at = input.trace?.(new URL(s.src, `${ORIGIN}${EDITION_PREFIX}`).href) ?? { file: 'edition.yaml' };
    input.diagnostics.info(at.file, 'image-downsampled', `${s.src} (${s.from.width} × ${s.from.height} px, ${s.from.ppi} ppi as placed) is printed at ${s.to.width} × ${s.to.height} px, ${input.downsample} ppi (print.downsample; false keeps every pixel)`, at.line);
  }
}

/** Runs in the page: keeps the body as composed, for another slot pass; whether any article jumps. */
function keepBody(): boolean {
  const jumps = !!document.querySelector('[data-continue-page]');
  if (jumps) (window as unknown as { __paibanBody?: string }).__paibanBody = document.body.innerHTML;
  return jumps;
}

/** Runs in the page: the body as keepBody kept it (fonts and images stay loaded). */
async function restoreBody(): Promise<void> {
  document.body.innerHTML = (window as unknown as { __paibanBody?: string }).__paibanBody ?? document.body.innerHTML;
  await Promise.all(Array.from(document.images, (img) => img.decode().catch(() => undefined)));
}

/** The slot pass's settings for a composed document (also the live preview's). */
export function slotOptions(composed: ComposedDocument, pageOffset = 0, pageOf?: Record<string, number>, tagged = false): SlotPassOptions {
  return {
    // A tagged PDF keeps each paragraph one P: columns are levelled only where paragraphs meet.
    wholeParagraphs: tagged,
    jumpTo: composed.locale.continuedOn('{n}'),
    jumpFrom: composed.locale.continuedFrom('{n}'),
    leadingRange: COPYFIT.leading,
    trackingRange: COPYFIT.tracking,
    keep: PHOTO_KEEP,
    pageOffset,
    ...(pageOf ? { pageOf } : {}),
  };
}

/** The faces were subset to what the document's styles give them (fonts/plan.ts); the pages are what prints. */
async function checkFonts(page: Page, input: PaginateInput): Promise<void> {
  if (!input.fontCheck) return;
  const misses = subsetMisses(await page.evaluate(collectRuns), input.fontCheck);
  if (misses.length) input.diagnostics.warn('edition.yaml', 'font-subset', `${misses.length} characters are set in another family than their face on the pages (e.g. "${misses.slice(0, 10).join('')}"): the pages' styles differ from the document's; build with PAIBAN_FACE_PLAN=0 and report it with the edition`);
}

/**
 * The document with its body inside Paged.js's source template (template[data-ref=pagedjs-content],
 * which Paged.js takes as it is instead of copying the body into one). Chromium then never lays out
 * the whole unpaginated document before Paged.js starts: for a 260-page flow edition that first
 * layout took 2.5-3.5 s of the load. Paged.js loads every declared font itself before laying out.
 */
export function asPagedSource(html: string): string {
  return html.replace(/(<body\b[^>]*>)/, '$1<template data-ref="pagedjs-content">').replace(/<\/body>(?![\s\S]*<\/body>)/, '</template></body>');
}

/**
 * Every character of every article must be on the pages. What Paged.js lost is an error; what a
 * slot hides is overset and reported as such (the orchestrator reports overset).
 */
function checkPlaced(articles: RenderedArticle[], measure: PageMeasure, diagnostics: Diagnostics): void {
  for (const a of articles) {
    const placed = count(measure.placedText[a.id] ?? '');
    const lost: string[] = [];
    for (const [ch, n] of count(a.text)) if ((placed.get(ch) ?? 0) < n) lost.push(ch);
    if (lost.length) {
      diagnostics.error(a.file, 'content-lost', `${lost.length} distinct characters of this article are not on any page (e.g. "${lost.slice(0, 10).join('')}"): the paginator dropped them`);
    }
  }
}

function count(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const ch of text) if (!/\s/.test(ch)) m.set(ch, (m.get(ch) ?? 0) + 1);
  return m;
}
