/**
 * Flow pages printed by Chromium's own print layout, without Paged.js.
 *
 * A flow page (a layout with no slots and no fixed size) has nothing for copyfit, jumps or overset
 * to do: its articles simply run on over as many pages as they need. Chromium has fragmented text,
 * multi-column boxes, named pages and @page margin boxes with counter(page) natively since
 * version 131, and prints such a document 3-4 times faster than Paged.js can lay it out in the
 * DOM (README, Performance). What Paged.js did besides is done here:
 *
 * - Bleed: Chromium knows no `@page { bleed }`, so the sheet is made trim + 2 × bleed and every
 *   margin grows by the bleed; margin boxes get the bleed as padding on their outer side, so the
 *   running heads sit where Paged.js puts them. (Printer's marks are drawn by Paged.js only: an
 *   edition with marks is paginated by Paged.js.)
 * - Where things landed: Chromium writes a named destination for every element that a link of
 *   the document points at. Each plan page, article and image gets such a link (empty anchors,
 *   which draw nothing and make no link annotation); the printed PDF's /Dests then tell which page
 *   each of them starts on. The destinations are removed again.
 * - Soft hyphens: Chromium draws each as an empty glyph marked `/ActualText (U+00AD)`, so copied or
 *   searched words come out broken; those marks are emptied (the hyphen Chromium draws at a line
 *   break is a real U+2010 and stays); a ligature that took soft hyphens in (f·f·i) keeps its
 *   letters (withoutSoftHyphens).
 * - Lost text: Chromium does not drop text it cannot place (Paged.js does); what an article holds
 *   is taken as placed.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { deflate, inflate } from 'node:zlib';
import { ParseSpeeds, PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFRef } from 'pdf-lib';
import type { Page } from 'puppeteer-core';
import type { ComposedDocument, Geometry } from '../compose/compose.ts';
import type { ImageMeasure, PageMeasure } from './measure.ts';

const execFileAsync = promisify(execFile);
const inflateAsync = promisify(inflate);
const deflateAsync = promisify(deflate);

/** Whether Chromium alone can paginate the document: flow pages only, and no printer's marks. */
export function printsNatively(composed: ComposedDocument): boolean {
  return composed.flowOnly && !/\bmarks\s*:\s*crop/.test(composed.pageCss);
}

const pt = (n: number) => `${Math.round(n * 1000) / 1000}pt`;

/** The page CSS Chromium needs on top of the composed page.css (bleed, and the first folio). */
export function nativePageCss(g: Geometry, pageOffset: number): string {
  const b = g.bleed;
  const m = g.margins;
  const rules = [
    '/* paiban, native print (src/paginate/native.ts): the sheet includes the bleed. */',
    // Only the print layout matters: the screen never lays out the whole document.
    '@media screen { html { display: none !important; } }',
    `@page { size: ${pt(g.trim.width + 2 * b)} ${pt(g.trim.height + 2 * b)}; margin: ${pt(m.top + b)} ${pt(m.right + b)} ${pt(m.bottom + b)} ${pt(m.left + b)}; }`,
  ];
  if (b > 0) {
    const side = (names: string[], prop: string) => names.map((n) => `@${n} { ${prop}: ${pt(b)}; }`).join(' ');
    rules.push(
      `@page { ${side(['top-left-corner', 'top-left', 'top-center', 'top-right', 'top-right-corner'], 'padding-top')} ` +
        `${side(['bottom-left-corner', 'bottom-left', 'bottom-center', 'bottom-right', 'bottom-right-corner'], 'padding-bottom')} ` +
        `${side(['left-top', 'left-middle', 'left-bottom'], 'padding-left')} ${side(['right-top', 'right-middle', 'right-bottom'], 'padding-right')} }`,
    );
  }
  // The page counter of a chunk's first page counts every page printed before it.
  if (pageOffset > 0) rules.push(`@page :first { counter-increment: page ${pageOffset + 1}; }`);
  return rules.join('\n') + '\n';
}

/** The document as Chromium prints it: the composed HTML with the native page CSS last in <head>. */
export function nativeDocument(composed: ComposedDocument, pageOffset: number): string {
  const css = nativePageCss(composed.geometry, pageOffset);
  return composed.html.replace(/<\/head>/i, `<style data-paiban="native">\n${css}</style>\n</head>`);
}

/** What the page tells before printing: the targets to find in the PDF, and what they hold. */
export interface NativeTargets {
  /** Destination id of each plan page's section, its plan number and layout. */
  pages: { dest: string; planPage: number; layout: string }[];
  articles: { dest: string; id: string; text: string }[];
  images: (Omit<ImageMeasure, 'page'> & { dest: string })[];
}

/**
 * Runs in the page (serialised by puppeteer; kept free of imports): gives every plan page, article
 * and image an id (keeping one it has) and a link pointing at it, and measures the images. The
 * screen shows nothing (nativePageCss); while images are measured, it shows the pages with their
 * text hidden from layout (content-visibility), so this costs no layout of the text.
 */
export async function markTargets(areaWidthPx: number): Promise<NativeTargets> {
  // The print layout does not wait for web fonts: every declared face is loaded first.
  await Promise.all(Array.from(document.fonts, (f) => f.load().catch(() => undefined)));
  let n = 0;
  const ids: string[] = [];
  const target = (el: Element) => {
    if (!el.id) el.id = `pb-dest-${++n}`;
    ids.push(el.id);
    return el.id;
  };
  const pages = Array.from(document.querySelectorAll<HTMLElement>('.pb-page')).map((el) => ({ dest: target(el), planPage: Number(el.dataset.planPage ?? 0), layout: el.dataset.layout ?? '' }));
  const articles = Array.from(document.querySelectorAll<HTMLElement>('[data-article]')).map((el) => ({
    dest: target(el),
    id: el.dataset.article!,
    text: Array.from(el.querySelectorAll('.pb-photos, .pb-body')).map((p) => p.textContent ?? '').join(' '),
  }));
  const style = document.createElement('style');
  style.textContent = `html { display: block !important; width: ${areaWidthPx}px; overflow: hidden; } :is(p, li, blockquote, h1, h2, h3, h4, h5, h6, pre, table, dl):not(:has(img)) { content-visibility: hidden; }`;
  document.head.append(style);
  const images = Array.from(document.querySelectorAll<HTMLImageElement>('.pb-page img')).flatMap((img) => {
    const r = img.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return [];
    return [{ dest: target(img), src: img.getAttribute('src') ?? '', width: r.width, height: r.height, naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight, fit: getComputedStyle(img).objectFit }];
  });
  style.remove();
  // Empty anchors draw nothing and make no link annotation, but Chromium writes their targets as
  // named destinations. In the first plan page: an element before it would print a page of its own.
  const nav = document.createElement('nav');
  nav.setAttribute('aria-hidden', 'true');
  for (const id of ids) {
    const a = document.createElement('a');
    a.href = `#${id}`;
    nav.append(a);
  }
  (document.querySelector('.pb-page') ?? document.body).prepend(nav);
  return { pages, articles, images };
}

/** The page number (1-based) of every named destination in the PDF's catalog /Dests. */
export function readDestinations(doc: PDFDocument): Map<string, number> {
  const out = new Map<string, number>();
  const dests = doc.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict);
  if (!dests) return out;
  const pageOf = new Map(doc.getPages().map((p, i) => [p.ref.toString(), i + 1]));
  for (const [name, value] of dests.entries()) {
    const arr = value instanceof PDFRef ? doc.context.lookup(value) : value;
    const ref = arr instanceof PDFArray ? arr.get(0) : undefined;
    const page = ref instanceof PDFRef ? pageOf.get(ref.toString()) : undefined;
    if (page) out.set(name.decodeText(), page);
  }
  return out;
}

/** The measure of a natively printed document, from its targets and the PDF's destinations. */
export function nativeMeasure(targets: NativeTargets, dests: Map<string, number>, pageCount: number): PageMeasure {
  const starts = targets.pages.map((p) => ({ ...p, start: dests.get(p.dest) ?? 0 }));
  const pages: PageMeasure['pages'] = [];
  for (let i = 1; i <= pageCount; i++) {
    let current = starts[0];
    for (const s of starts) if (s.start > 0 && s.start <= i) current = s;
    pages.push({ planPage: current?.planPage ?? 0, layout: current?.layout ?? '' });
  }
  const articleStart: Record<string, number> = {};
  const placedText: Record<string, string> = {};
  for (const a of targets.articles) {
    const page = dests.get(a.dest);
    if (page && !(a.id in articleStart)) articleStart[a.id] = page;
    placedText[a.id] = (placedText[a.id] ?? '') + a.text;
  }
  const images = targets.images.flatMap(({ dest, ...im }) => {
    const page = dests.get(dest);
    return page ? [{ ...im, page }] : [];
  });
  return { pages, articleStart, placedText, slots: [], images };
}

/** A marked-content span whose /ActualText (UTF-16BE hex with its byte-order mark) holds a soft hyphen, up to its EMC. */
const SHY_SPAN = /\/Span\s*<<\s*\/ActualText\s*<feff((?:[0-9a-f]{4})*?00ad(?:[0-9a-f]{4})*)>\s*>>\s*BDC(\s[\s\S]*?)EMC/gi;
/** One glyph shown in such a span: an optional move, then a hex string shown with Tj. */
const GLYPH_SHOW = /(?:[-\d.]+\s+[-\d.]+\s+Td\s+)?<[0-9a-f]*>\s*Tj/gi;

/**
 * The span without its soft hyphens' text. A span of soft hyphens alone gets an empty ActualText.
 * A ligature that took soft hyphens in (f·f·i) draws their (empty) glyphs after its own: those
 * move into a span of their own with an empty ActualText, so that a text extractor spreads the
 * ligature's letters over the ligature alone and does not run them into the next glyph.
 */
export function withoutSoftHyphens(hex: string, body: string): { span: string; removed: number } {
  const units = hex.toLowerCase().match(/[0-9a-f]{4}/g)!;
  const kept = units.filter((u) => u !== '00ad');
  const removed = units.length - kept.length;
  const shows = body.match(GLYPH_SHOW) ?? [];
  if (kept.length === 0 || shows.length <= removed) return { span: `/Span<</ActualText <feff${kept.join('')}> >> BDC${body}EMC`, removed };
  const cut = body.lastIndexOf(shows[shows.length - removed]!);
  return { span: `/Span<</ActualText <feff${kept.join('')}> >> BDC${body.slice(0, cut)}EMC\n/Span<</ActualText <feff> >> BDC\n${body.slice(cut)}EMC`, removed };
}

/**
 * Empty the `/ActualText <FEFF00AD>` marks Chromium puts on soft hyphens (see the module comment),
 * and drop the named destinations of the targets. Returns how many soft hyphens were emptied.
 */
export async function cleanNativePdf(doc: PDFDocument): Promise<number> {
  let emptied = 0;
  const streams = doc.getPages().flatMap((page) => {
    const contents = page.node.get(PDFName.of('Contents'));
    return (contents instanceof PDFArray ? contents.asArray() : [contents]).filter((r): r is PDFRef => r instanceof PDFRef);
  });
  // zlib's async calls run on libuv's thread pool: the streams are inflated and deflated in parallel.
  await Promise.all(
    streams.map(async (ref) => {
      const stream = doc.context.lookup(ref);
      if (!(stream instanceof PDFRawStream)) return;
      const filter = stream.dict.get(PDFName.of('Filter'));
      const flate = filter === PDFName.of('FlateDecode');
      if (filter && !flate) return;
      const raw = Buffer.from(stream.contents);
      const text = (flate ? await inflateAsync(raw) : raw).toString('latin1');
      if (!/00ad/i.test(text)) return;
      const fixed = text.replace(SHY_SPAN, (_, hex: string, body: string) => {
        const { span, removed } = withoutSoftHyphens(hex, body);
        emptied += removed;
        return span;
      });
      if (fixed === text) return;
      const bytes = Buffer.from(fixed, 'latin1');
      const body = flate ? await deflateAsync(bytes) : bytes;
      const dict = stream.dict.clone(doc.context);
      dict.set(PDFName.of('Length'), PDFNumber.of(body.length));
      doc.context.assign(ref, PDFRawStream.of(dict, body));
    }),
  );
  doc.catalog.delete(PDFName.of('Dests'));
  return emptied;
}

/** Chromium's PDF of a flow document, cleaned, and where everything landed. */
export async function printFlow(page: Page, composed: ComposedDocument, opts: { tagged: boolean; timeout: number }): Promise<{ pdf: Uint8Array; measure: PageMeasure }> {
  const areaPx = (composed.geometry.area.width * 96) / 72;
  const targets = await page.evaluate(markTargets, areaPx);
  const printed = await page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: opts.tagged, outline: false, timeout: opts.timeout });
  // As in src/pdf/postprocess.ts: no metadata stamped, no yielding to the event loop while parsing or writing.
  const doc = await PDFDocument.load(printed, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
  const measure = nativeMeasure(targets, readDestinations(doc), doc.getPageCount());
  await cleanNativePdf(doc);
  const pdf = await doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false, objectsPerTick: Infinity });
  return { pdf, measure };
}

/** Tallest cover (px) and its JPEG quality: as for the cover Paged.js pages are screenshot for. */
const COVER_HEIGHT = 1600;
const COVER_QUALITY = 60;

/**
 * Page 1 of a printed PDF as a JPEG for the EPUB's cover, drawn by poppler's pdftoppm (PAIBAN_PDFTOPPM):
 * at 96 dpi (a CSS pixel per px, like a screenshot), at most COVER_HEIGHT px tall. Undefined, with
 * the reason, when pdftoppm is missing or fails: the EPUB then goes without a cover.
 */
export async function coverFromPdf(pdf: Uint8Array, pageHeightPt: number): Promise<{ jpeg?: Uint8Array; problem?: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'paiban-cover-'));
  try {
    const input = path.join(dir, 'in.pdf');
    await writeFile(input, pdf);
    const heightPx = (pageHeightPt * 96) / 72;
    const scale = heightPx > COVER_HEIGHT ? ['-scale-to-y', String(COVER_HEIGHT), '-scale-to-x', '-1'] : ['-r', '96'];
    const tool = process.env.PAIBAN_PDFTOPPM ?? 'pdftoppm';
    await execFileAsync(tool, ['-f', '1', '-l', '1', '-singlefile', '-jpeg', '-jpegopt', `quality=${COVER_QUALITY}`, ...scale, input, path.join(dir, 'cover')], { timeout: 60_000 });
    return { jpeg: new Uint8Array(await readFile(path.join(dir, 'cover.jpg'))) };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { problem: err.code === 'ENOENT' ? 'pdftoppm is not installed (Debian package poppler-utils; npm run setup installs it)' : `pdftoppm failed: ${String(err.message).split('\n')[0]}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
