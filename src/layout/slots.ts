/**
 * In-page: the page-time features of fixed slots, after the pages are laid out and before they are
 * measured (see page-lib.ts for how these functions run in the browser): every article is fitted to
 * its slot (fit.ts: photos within their crop limit, copyfit), then jumps are cut (jumps.ts) with the
 * page numbers as printed.
 */
import type { levelColumns } from './columns.ts';
import type { columnShortfalls, copyfitBody, fitArticle, SlotFit } from './fit.ts';
import type { overflows } from './text-dom.ts';
import type { jumpArticle } from './jumps.ts';

declare const PB: { fitArticle: typeof fitArticle; jumpArticle: typeof jumpArticle; levelColumns: typeof levelColumns; columnShortfalls: typeof columnShortfalls; copyfitBody: typeof copyfitBody; overflows: typeof overflows };

export interface SlotPassOptions {
  /** Jump lines with `{n}` for the printed page number. */
  jumpTo: string;
  jumpFrom: string;
  /** Copyfit range: leading ± this share of the base leading, tracking ± this many em. */
  leadingRange: number;
  trackingRange: number;
  /** The share of a photo a crop must keep. */
  keep: number;
  /** CSS px every slot is fitted short of its foot (default 2): what rounding in print may take. */
  slack?: number;
  /** Level columns only where paragraphs meet, never cutting one (a tagged PDF: one P per paragraph). */
  wholeParagraphs?: boolean;
  /** Printed pages before this document (pages paginated in parallel, see chunks.ts). */
  pageOffset?: number;
  /**
   * The printed page of each plan page, when the pages are not Paged.js's (native print lays out
   * fixed pages on screen: native.ts). Without it, pages are counted from `.pagedjs_page`.
   */
  pageOf?: Record<string, number>;
}

export interface SlotPassResult {
  copyfit: { article: string; t: number; fits: boolean }[];
  /** Printed pages, and the plan pages they were taken from; characters before the cut, of all. */
  jumps: { article: string; fromPage: number; toPage: number; fromPlan: number; toPlan: number; cutAt: number; total: number }[];
  /** Each fixed slot's article as fitted: its photos' depth. */
  fits: SlotFit[];
}

export function slotPass(opts: SlotPassOptions): SlotPassResult {
  const result: SlotPassResult = { copyfit: [], jumps: [], fits: [] };
  // Everything is fitted into slots a hair shorter than they print: the print layout rounds the
  // page's area, and a line that just fits on screen would be pushed out of its slot in print.
  const hair = document.createElement('style');
  hair.textContent = `.pb-slot { margin-bottom: ${opts.slack ?? 2}px !important; }`;
  document.head.append(hair);
  const pages = Array.from(document.querySelectorAll('.pagedjs_page'));
  const pageOf = opts.pageOf;
  const printedPageOf = (el: Element) =>
    pageOf ? (pageOf[el.closest<HTMLElement>('.pb-page')?.dataset.planPage ?? ''] ?? 0) : pages.findIndex((p) => p.contains(el)) + 1 + (opts.pageOffset ?? 0);
  const printedPageOfPlan = (plan: string) => {
    if (pageOf) return pageOf[plan] ?? Number(plan);
    const sec = document.querySelector(`.pb-page[data-plan-page="${plan}"]`);
    return sec ? printedPageOf(sec) : Number(plan);
  };
  for (const art of Array.from(document.querySelectorAll<HTMLElement>('.pb-slot > article:not([data-continued-from])'))) {
    const fit = PB.fitArticle(art, opts);
    result.fits.push(fit);
    if (fit.copyfit) result.copyfit.push({ article: fit.article, ...fit.copyfit });
  }
  for (const src of Array.from(document.querySelectorAll<HTMLElement>('.pb-slot > article[data-continue-page]'))) {
    const id = src.dataset.article!;
    const target = document.querySelector<HTMLElement>(
      `.pb-page[data-plan-page="${src.dataset.continuePage}"] .pb-slot[data-slot="${src.dataset.continueSlot}"] article[data-article="${id}"]`,
    );
    if (!target) continue;
    const fromPage = printedPageOf(src);
    const toPage = printedPageOfPlan(src.dataset.continuePage!);
    const jump = PB.jumpArticle(src, target, { to: opts.jumpTo.replace('{n}', String(toPage)), from: opts.jumpFrom.replace('{n}', String(fromPage)) });
    if (!jump) continue;
    const fromPlan = Number(src.closest<HTMLElement>('.pb-page')?.dataset.planPage ?? 0);
    result.jumps.push({ article: id, fromPage, toPage, fromPlan, toPlan: Number(src.dataset.continuePage), cutAt: jump.cutAt, total: jump.total });
  }
  // The rest of a jump is copyfit too (fit: auto), and ends level; continuation slots whose article
  // did not jump (it fit) are left empty.
  for (const j of result.jumps) {
    const art = document.querySelector<HTMLElement>(`.pb-page[data-plan-page="${j.toPlan}"] article[data-continued-from][data-article="${j.article}"]`);
    const rest = art?.querySelector<HTMLElement>('.pb-body');
    if (!art || !rest) continue;
    if (art.dataset.fit === 'auto') result.copyfit.push({ article: j.article, t: PB.copyfitBody(rest, opts), fits: !PB.overflows(rest) });
    PB.levelColumns(rest, PB.columnShortfalls, opts.wholeParagraphs);
  }
  for (const c of Array.from(document.querySelectorAll<HTMLElement>('article[data-continued-from]'))) {
    if (!result.jumps.some((j) => j.article === c.dataset.article)) c.remove();
  }
  hair.remove();
  return result;
}
