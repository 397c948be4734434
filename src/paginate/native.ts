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
import type { Page } from 'puppeteer-core';
import type { ComposedDocument, Geometry } from '../compose/compose.ts';
import type { ImageMeasure, PageMeasure } from './measure.ts';

/** Whether Chromium alone can paginate the document: flow pages only, and no printer's marks. */
export function printsNatively(composed: ComposedDocument): boolean {
  return composed.flowOnly && !composed.geometry.marks;
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

/** Chromium's PDF of a flow document, cleaned, and where everything landed. */
export async function printFlow(page: Page, composed: ComposedDocument, opts: { tagged: boolean; timeout: number }): Promise<{ pdf: Uint8Array; measure: PageMeasure }> {
  const areaPx = (composed.geometry.area.width * 96) / 72;
  const targets = await page.evaluate(markTargets, areaPx);
  const printed = await page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: opts.tagged, outline: false, timeout: opts.timeout });
  // pdf-lib loads only once there is a PDF (about 0.15 s of start-up otherwise).
  const { cleanNativePdf } = await import('./native-pdf.ts');
  const { pdf, dests, pageCount } = await cleanNativePdf(printed);
  return { pdf, measure: nativeMeasure(targets, dests, pageCount) };
}
