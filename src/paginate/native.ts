/**
 * Pages printed by Chromium's own print layout, without Paged.js.
 *
 * A newspaper edition has two kinds of pages (compose.ts pageKinds). A fixed page fills exactly one
 * page: laid out on screen at the type area's width, it is laid out as it prints, so copyfit, jumps
 * and overset (slots.ts, measure.ts) run on the screen layout before printing. A flow page simply
 * runs on over as many pages as it needs: it is hidden on screen (never laid out twice) and left to
 * the print layout. Chromium has fragmented text, multi-column boxes, named pages and @page margin
 * boxes with counter(page) natively since version 131, and prints such a document several times
 * faster than Paged.js can lay it out in the DOM (docs/performance.md). What Paged.js did besides
 * is done here:
 *
 * - Bleed: Chromium knows no `@page { bleed }`, so the sheet is made trim + 2 × bleed and every
 *   margin grows by the bleed; margin boxes get the bleed as padding on their outer side, so the
 *   running heads sit where Paged.js puts them. With printer's marks the sheet grows by their
 *   margin too, and postprocess draws them (src/pdf/draw-marks.ts). An edition with elastic pages
 *   (slots on a page that may grow) is paginated by Paged.js.
 * - Where things landed: Chromium writes a named destination for every element that a link of
 *   the document points at. Each plan page, article and image gets such a link (empty anchors,
 *   which draw nothing and make no link annotation); the printed PDF's /Dests then tell which page
 *   each of them starts on. The destinations are removed again.
 * - Page numbers in jump lines ("转第N版") are those of the plan, counting a flow page as one page;
 *   when a longer flow moves a jump's page, the caller sets the fixed pages again with the pages as
 *   printed (paginate.ts).
 * - Soft hyphens: Chromium draws each as an empty glyph marked `/ActualText (U+00AD)`, so copied or
 *   searched words come out broken; those marks are emptied (the hyphen Chromium draws at a line
 *   break is a real U+2010 and stays); a ligature that took soft hyphens in (f·f·i) keeps its
 *   letters (withoutSoftHyphens).
 * - Lost text: Chromium does not drop text it cannot place (Paged.js does); what an article holds
 *   is taken as placed, and what a fixed slot hides is measured as overset.
 */
import type { PDFDocument } from 'pdf-lib';
import type { Page } from 'puppeteer-core';
import type { ComposedDocument, Geometry } from '../compose/compose.ts';
import type { ImageMeasure, PageMeasure, SlotMeasure } from './measure.ts';
import { marksMargin } from '../pdf/marks.ts';

/** Whether Chromium alone can paginate the document: fixed and flow pages only. */
export function printsNatively(composed: ComposedDocument): boolean {
  return composed.pageKinds.every((k) => k.kind !== 'elastic');
}

/** A selector for the document's flow pages ('' when it has none). */
export function flowPages(composed: ComposedDocument): string {
  return composed.pageKinds
    .filter((k) => k.kind === 'flow')
    .map((k) => `.pb-page[data-plan-page="${k.page}"]`)
    .join(', ');
}

const pt = (n: number) => `${Math.round(n * 1000) / 1000}pt`;

/**
 * The page CSS Chromium needs on top of the composed page.css: the sheet with its bleed, the first
 * folio, and the screen: the type area's width, flow pages hidden (`flows`, a selector).
 */
export function nativePageCss(g: Geometry, pageOffset: number, flows = ''): string {
  // Printer's marks need a margin outside the bleed (marks.ts), drawn into later by postprocess.
  const b = g.bleed + (g.marks ? marksMargin(g.bleed) : 0);
  const m = g.margins;
  const rules = [
    '/* paiban, native print (src/paginate/native.ts): the sheet includes the bleed. */',
    // The body is one type area wide on screen and in print alike: Chromium rounds the printed
    // page's area, and a CJK line set exactly to the measure would break elsewhere in print than
    // on screen, where copyfit and overset measured it. On screen only fixed pages are laid out.
    `html, body { margin: 0 !important; padding: 0 !important; } body { width: ${pt(g.area.width)}; }`,
    // Nothing is laid out on screen before every face is loaded (loadFonts): each face that arrives
    // would set all the text again (24 broadsheet pages: 1.3 s of loading instead of 0.3 s).
    `@media screen { html:not(.pb-fonts-loaded) body { display: none !important; } }`,
    ...(flows ? [`@media screen { html:not(.pb-show-all) :is(${flows}) { display: none !important; } }`] : []),
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
  const css = nativePageCss(composed.geometry, pageOffset, flowPages(composed));
  return composed.html.replace(/<\/head>/i, `<style data-paiban="native">\n${css}</style>\n</head>`);
}

/**
 * Runs in the page: every declared face loaded (the print layout does not wait for web fonts, and
 * copyfit must measure in the faces that print).
 */
export async function loadFonts(): Promise<void> {
  await Promise.all(Array.from(document.fonts, (f) => f.load().catch(() => undefined)));
  document.documentElement.classList.add('pb-fonts-loaded');
}

/** Runs in the page: flow pages laid out on screen too (a test's inspect hook sees every page), or hidden again. */
export function showAll(show: boolean): void {
  document.documentElement.classList.toggle('pb-show-all', show);
}

/** What the page tells before printing: the targets to find in the PDF, and what they hold. */
export interface NativeTargets {
  /** Destination id of each plan page's section, its plan number and layout. */
  pages: { dest: string; planPage: number; layout: string }[];
  articles: { dest: string; id: string; text: string }[];
  images: (Omit<ImageMeasure, 'page'> & { dest: string })[];
}

/**
 * Runs in the page (serialised by puppeteer; kept free of imports), after loadFonts and the slot
 * pass: gives every plan page, article and image an id (keeping one it has) and a link pointing at
 * it, and measures the images: those of fixed pages as they are laid out on screen, those of flow
 * pages (`flows`) with the pages shown and their text hidden from layout (content-visibility), so
 * this costs no layout of the text.
 */
export function markTargets(flows: string): NativeTargets {
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
  const boxes = new Map<HTMLImageElement, DOMRect>();
  const measure = (imgs: Iterable<HTMLImageElement>) => {
    for (const img of imgs) boxes.set(img, img.getBoundingClientRect());
  };
  const all = Array.from(document.querySelectorAll<HTMLImageElement>('.pb-page img'));
  measure(flows ? all.filter((img) => !img.closest(flows)) : all);
  if (flows) {
    const style = document.createElement('style');
    style.textContent = `:is(${flows}) :is(p, li, blockquote, h1, h2, h3, h4, h5, h6, pre, table, dl):not(:has(img)) { content-visibility: hidden; }`;
    document.head.append(style);
    document.documentElement.classList.add('pb-show-all');
    measure(all.filter((img) => img.closest(flows)));
    document.documentElement.classList.remove('pb-show-all');
    style.remove();
  }
  const images = all.flatMap((img) => {
    const r = boxes.get(img)!;
    if (r.width === 0 || r.height === 0) return [];
    return [{ dest: target(img), src: img.getAttribute('src') ?? '', width: r.width, height: r.height, naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight, fit: getComputedStyle(img).objectFit }];
  });
  // Empty anchors draw nothing and make no link annotation, but Chromium writes their targets as
  // named destinations. In the first plan page (an element before it would print a page of its
  // own), out of its flow: a fixed page's grid must not get another item.
  const nav = document.createElement('nav');
  nav.setAttribute('aria-hidden', 'true');
  nav.style.cssText = 'position: absolute; width: 0; height: 0; overflow: hidden;';
  for (const id of ids) {
    const a = document.createElement('a');
    a.href = `#${id}`;
    nav.append(a);
  }
  (document.querySelector('.pb-page') ?? document.body).prepend(nav);
  return { pages, articles, images };
}

/**
 * The measure of a natively printed document, from its targets and the PDF's destinations; the
 * fixed pages' slots (measured on screen with plan pages for pages) get their printed pages.
 */
export function nativeMeasure(targets: NativeTargets, dests: Map<string, number>, pageCount: number, slots: SlotMeasure[] = []): PageMeasure {
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
  const startOf = new Map(starts.map((s) => [s.planPage, s.start]));
  return { pages, articleStart, placedText, slots: slots.map((s) => ({ ...s, page: startOf.get(s.planPage) ?? s.page })), images };
}

/** Chromium's PDF of the document as printed and parsed (cleaned), and where everything landed. */
export async function printNative(
  page: Page,
  composed: ComposedDocument,
  opts: { tagged: boolean; timeout: number; slots?: SlotMeasure[]; beforePrint?: (targets: NativeTargets) => Promise<void> },
): Promise<{ pdf: Uint8Array; doc: PDFDocument; measure: PageMeasure }> {
  const targets = await page.evaluate(markTargets, flowPages(composed));
  await opts.beforePrint?.(targets);
  const printed = await page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: opts.tagged, outline: false, timeout: opts.timeout });
  // pdf-lib loads only once there is a PDF (about 0.15 s of start-up otherwise).
  const { cleanNativePdf } = await import('./native-pdf.ts');
  const { doc, dests, pageCount } = await cleanNativePdf(printed);
  return { pdf: printed, doc, measure: nativeMeasure(targets, dests, pageCount, opts.slots) };
}
