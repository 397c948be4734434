/**
 * Runs inside the paginated page (serialised by puppeteer): what each slot holds and hides, which
 * page each article starts on, and the text of each article as it ended up on the pages. Kept
 * free of imports but types: its source is sent to the browser (page-lib.ts).
 */
import type { columnShortfalls } from './fit.ts';
export interface SlotMeasure {
  page: number;
  planPage: number;
  slot: string;
  article: string;
  /** Characters pushed out of sight (into columns beyond the slot, or below it). */
  hiddenChars: number;
  /** Estimated lines over: hidden characters divided by characters a line holds. */
  linesOver: number;
  /** Share of the slot's text area left empty under its columns (0..1), for underset reports. */
  emptyShare: number;
  /** The deepest a column ends above the text area's foot, and the body's line height (CSS px). */
  emptyDepth: number;
  lineHeight: number;
  /** Characters of the article's text in this slot's body, shown and hidden. */
  chars: number;
  /** The body's text columns and the gap between them (CSS px). */
  textColumns: number;
  columnGap: number;
  /** The slot's box on its page, from the type area's top-left corner (CSS px). */
  box: { x: number; y: number; width: number; height: number };
  /** Parts of the article that do not fit the slot: kicker, headline, deck, byline, photo, caption, text. */
  clipped: string[];
  /** For a jump: the first part (cut at the slot's foot) or the rest. */
  part?: 'first' | 'rest';
}

export interface PageMeasure {
  /** Paginated pages: the plan page each belongs to, and its layout. */
  pages: { planPage: number; layout: string }[];
  /** First paginated page (1-based) of each article. */
  articleStart: Record<string, number>;
  /** Text of each article's body across all its pages, as placed. */
  placedText: Record<string, string>;
  slots: SlotMeasure[];
  /** Every image on the pages as placed, for preflight's effective resolution (src/preflight/). */
  images: ImageMeasure[];
}

export interface ImageMeasure {
  /** 1-based paginated page. */
  page: number;
  /** The src attribute as written (relative to the edition). */
  src: string;
  /** Placed box in CSS px (1/96 in). */
  width: number;
  height: number;
  naturalWidth: number;
  naturalHeight: number;
  /** Computed object-fit: how the pixels fill the box. */
  fit: string;
}

/**
 * `pageSelector`: the elements that are pages: Paged.js's, or (native print, native.ts) the plan
 * pages themselves, of which only the fixed ones are laid out on screen and measured for slots.
 */
declare const PB: { columnShortfalls: typeof columnShortfalls };

export function measurePages(pageSelector = '.pagedjs_page'): PageMeasure {
  const pageEls = Array.from(document.querySelectorAll<HTMLElement>(pageSelector));
  const pages: PageMeasure['pages'] = [];
  const articleStart: Record<string, number> = {};
  const placedText: Record<string, string> = {};
  const slots: SlotMeasure[] = [];
  const images: ImageMeasure[] = [];
  const visible = (el: Element, box: DOMRect) => {
    let hidden = 0;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent ?? '';
      for (let i = 0; i < text.length; i++) {
        if (/\s/.test(text[i]!)) continue;
        range.setStart(n, i);
        range.setEnd(n, i + 1);
        const r = range.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        if (r.left >= box.right - 0.5 || r.top >= box.bottom - 0.5 || r.right <= box.left + 0.5) hidden++;
      }
    }
    return hidden;
  };
  pageEls.forEach((pageEl, i) => {
    const section = pageEl.matches('.pb-page') ? pageEl : pageEl.querySelector<HTMLElement>('.pb-page');
    // Not data-page: Paged.js writes the named page into that attribute.
    const planPage = Number(section?.dataset.planPage ?? 0);
    pages.push({ planPage, layout: section?.dataset.layout ?? '' });
    pageEl.querySelectorAll('img').forEach((img) => {
      const r = img.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) images.push({ page: i + 1, src: img.getAttribute('src') ?? '', width: r.width, height: r.height, naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight, fit: getComputedStyle(img).objectFit });
    });
    pageEl.querySelectorAll<HTMLElement>('[data-article]').forEach((a) => {
      const id = a.dataset.article!;
      if (!(id in articleStart)) articleStart[id] = i + 1;
      const parts = Array.from(a.querySelectorAll('.pb-photos, .pb-body'));
      placedText[id] = (placedText[id] ?? '') + parts.map((p) => p.textContent ?? '').join(' ');
    });
    pageEl.querySelectorAll<HTMLElement>('.pb-slot').forEach((slot) => {
      const art = slot.querySelector<HTMLElement>('[data-article]');
      const body = art?.querySelector<HTMLElement>('.pb-body');
      if (!art || !body) return;
      const box = body.getBoundingClientRect();
      const slotBox = slot.getBoundingClientRect();
      const origin = (section ?? pageEl).getBoundingClientRect();
      // A slot in an elastic (auto) row can grow past its page: the page's edge clips it too.
      const pageBottom = slot.closest('.pb-page')?.getBoundingClientRect().bottom ?? slotBox.bottom;
      const bottom = Math.min(box.bottom, slotBox.bottom, pageBottom);
      const clip = new DOMRect(box.left, box.top, box.width, Math.max(0, bottom - box.top));
      const hiddenChars = body.scrollWidth > body.clientWidth + 1 || body.scrollHeight > body.clientHeight + 1 || box.bottom > bottom + 1 ? visible(body, clip) : 0;
      const style = getComputedStyle(body);
      const fontSize = parseFloat(style.fontSize) || 12;
      const lineHeight = parseFloat(style.lineHeight) || fontSize * 1.5;
      const cols = Math.max(1, Number(style.columnCount) || 1);
      const gap = parseFloat(style.columnGap) || 0;
      const perLine = Math.max(1, Math.floor((box.width - (cols - 1) * gap) / cols / fontSize));
      // How far each column's text ends above the foot, for underset: how much of the text area stays empty.
      const short = hiddenChars ? [0] : PB.columnShortfalls(body);
      const chars = (body.textContent ?? '').replace(/\s/g, '').length;
      slots.push({
        page: i + 1,
        planPage,
        slot: slot.dataset.slot!,
        article: art.dataset.article!,
        hiddenChars,
        linesOver: Math.ceil(hiddenChars / perLine),
        // Empty share of the slot below the text (the body itself may be shorter than the slot).
        emptyShare: box.height > 0 ? short.reduce((a, b) => a + b, 0) / short.length / box.height : 0,
        emptyDepth: chars ? Math.max(...short) : 0,
        lineHeight,
        textColumns: cols,
        columnGap: gap,
        chars,
        box: { x: slotBox.left - origin.left, y: slotBox.top - origin.top, width: slotBox.width, height: slotBox.height },
        clipped: clippedParts(art, body, chars),
        ...(art.dataset.continuePage && body.querySelector('.pb-jump-to') ? { part: 'first' as const } : art.dataset.continuedFrom ? { part: 'rest' as const } : {}),
      });
    });
  });
  /** What of the article does not fit its box: head lines, photos and captions past its foot, or no room for the text. */
  function clippedParts(art: HTMLElement, body: HTMLElement, chars: number): string[] {
    const foot = art.getBoundingClientRect().bottom + 0.5;
    const parts: [string, string][] = [['.pb-kicker', 'kicker'], ['.pb-title', 'headline'], ['.pb-deck', 'deck'], ['.pb-byline', 'byline'], [':scope > .pb-photos figure > :is(img, .pb-fpo)', 'photo'], [':scope > .pb-photos figcaption', 'caption']];
    const out: string[] = [];
    for (const [sel, name] of parts) {
      if (Array.from(art.querySelectorAll(sel)).some((el) => el.getBoundingClientRect().bottom > foot) && !out.includes(name)) out.push(name);
    }
    const line = parseFloat(getComputedStyle(body).lineHeight) || 16;
    if (chars > 0 && body.clientHeight < line) out.push('text');
    return out;
  }
  return { pages, articleStart, placedText, slots, images };
}
