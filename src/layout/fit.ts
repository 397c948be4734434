/**
 * In-page: fitting an article to its fixed slot (see page-lib.ts for how it runs). The slot's box
 * is given; what may move inside it, in this order:
 *
 * 1. Wide photos start at their own proportions (the frame's width × the picture's height/width).
 * 2. Copyfit (`fit: auto`): leading and tracking together, one parameter t in [-1, 1] over the
 *    template's ranges; a binary search finds the loosest t at which the text still fits, so it
 *    shrinks what is too long and stretches what is too short.
 * 3. The photos' depth, within the crop limit (a frame may lose at most 1 - keep of the picture,
 *    above and below or at the sides): when the text still runs over, the photos give up depth down
 *    to the limit; when the slot still has room, they take it up to the limit.
 *
 * 4. The lines are spread over the columns so that their bottoms are level (columns.ts).
 *
 * What still runs over is overset (or jumps), what is still empty is underset: both are measured
 * and reported (measure.ts, report.ts). A jumping article keeps its photos at their proportions
 * and its type as set: the text continues elsewhere.
 */
import type { levelColumns } from './columns.ts';
import type { overflows } from './text-dom.ts';

declare const PB: { overflows: typeof overflows; photoRange: typeof photoRange; setPhotoDepth: typeof setPhotoDepth; largest: typeof largest; columnShortfalls: typeof columnShortfalls; levelColumns: typeof levelColumns; copyfitBody: typeof copyfitBody };

/** A photo's frame keeps at least this share of the picture: a crop loses at most 40% (preflight warns past it). */
export const PHOTO_KEEP = 0.6;

/** Copyfit moves leading by up to ±8% and tracking by up to ±0.02 em: invisible to a reader. */
export const COPYFIT = { leading: 0.08, tracking: 0.02 };

export interface FitOptions {
  /** Copyfit range: leading ± this share of the base leading, tracking ± this many em. */
  leadingRange: number;
  trackingRange: number;
  /** The share of a photo a crop must keep (0.6: at most 40% lost). */
  keep: number;
  /** Level columns only where paragraphs meet (columns.ts). */
  wholeParagraphs?: boolean;
}

export interface SlotFit {
  article: string;
  /** Copyfit's setting (fit: auto only): leading and tracking together, in [-1, 1] of their ranges. */
  copyfit?: { t: number; fits: boolean };
  /** The photos' depth: their own, the crop limit's range, and as set (CSS px). */
  photos?: { natural: number; lo: number; hi: number; set: number };
}

/** A row of wide photos: the depth at their own proportions and the range their crops allow. */
export function photoRange(row: HTMLElement, keep: number): { natural: number; lo: number; hi: number; frames: HTMLElement[] } | undefined {
  const frames = Array.from(row.querySelectorAll<HTMLElement>('figure > img, figure > .pb-fpo'));
  if (!frames.length) return undefined;
  const naturals = frames.map((f) => {
    const w = f.getBoundingClientRect().width;
    const img = f as HTMLImageElement;
    // A missing photo's placeholder (FPO) stands for a 3:2 picture.
    return img.naturalWidth > 0 ? (w * img.naturalHeight) / img.naturalWidth : (w * 2) / 3;
  });
  const contain = frames.some((f) => f.closest('figure')?.classList.contains('fit'));
  let lo = Math.max(...naturals.map((n) => n * keep));
  let hi = Math.min(...naturals.map((n) => n / keep));
  const sorted = [...naturals].sort((a, b) => a - b);
  let natural = sorted[Math.floor(sorted.length / 2)]!;
  // {.fit} shows the whole picture: no crop, the frame keeps its proportions.
  if (contain || lo > hi) lo = hi = natural;
  natural = Math.min(hi, Math.max(lo, natural));
  return { natural, lo, hi, frames };
}

export function setPhotoDepth(frames: HTMLElement[], px: number): void {
  for (const f of frames) f.style.height = `${px}px`;
}

/** The largest value in [lo, hi] for which ok() holds (ok assumed monotone, true at lo), to `precision`. */
export function largest(lo: number, hi: number, ok: (v: number) => boolean, precision: number): number {
  if (ok(hi)) return hi;
  while (hi - lo > precision) {
    const mid = (lo + hi) / 2;
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * How far each text column of a body ends above the body's foot (CSS px): its lines and figures
 * are assigned to the column their middle falls in. A column holding nothing ends at the top.
 */
export function columnShortfalls(body: HTMLElement): number[] {
  const box = body.getBoundingClientRect();
  const cs = getComputedStyle(body);
  const n = Math.max(1, Number(cs.columnCount) || 1);
  const gap = parseFloat(cs.columnGap) || 0;
  const width = (box.width - (n - 1) * gap) / n;
  const bottoms = Array.from({ length: n }, () => box.top);
  const range = document.createRange();
  range.selectNodeContents(body);
  for (const r of Array.from(range.getClientRects())) {
    if (r.width <= 0 || r.height <= 0 || r.top >= box.bottom - 0.5 || r.left >= box.right || r.right <= box.left) continue;
    const i = Math.min(n - 1, Math.max(0, Math.floor(((r.left + r.right) / 2 - box.left) / (width + gap))));
    bottoms[i] = Math.max(bottoms[i]!, Math.min(r.bottom, box.bottom));
  }
  return bottoms.map((b) => Math.max(0, box.bottom - b));
}

/**
 * Leading and tracking of a body set together, at the loosest point of their ranges at which it
 * still fits its box (to a thousandth of the range, rounded down), or the tightest: the point, in
 * [-1, 1]. A whole article and a jump's rest are fitted so.
 */
export function copyfitBody(body: HTMLElement, opts: Pick<FitOptions, 'leadingRange' | 'trackingRange'>): number {
  const cs = getComputedStyle(body);
  const leading = parseFloat(cs.lineHeight) / parseFloat(cs.fontSize) || 1.6;
  const apply = (t: number) => {
    body.style.lineHeight = String(leading * (1 + t * opts.leadingRange));
    body.style.letterSpacing = `${t * opts.trackingRange}em`;
  };
  apply(-1);
  const t = PB.overflows(body) ? -1 : Math.floor(PB.largest(-1, 1, (v) => (apply(v), !PB.overflows(body)), 0.001) * 1000) / 1000;
  apply(t);
  return t;
}

/** Fit one article in its slot (see the header); returns what was set. */
export function fitArticle(art: HTMLElement, opts: FitOptions): SlotFit {
  const body = art.querySelector<HTMLElement>('.pb-body');
  const result: SlotFit = { article: art.dataset.article! };
  if (!body) return result;
  const row = art.querySelector<HTMLElement>(':scope > .pb-photos');
  const photos = row ? PB.photoRange(row, opts.keep) : undefined;
  if (photos) PB.setPhotoDepth(photos.frames, photos.natural);
  if (art.dataset.continuePage) return { ...result, ...(photos ? { photos: { natural: photos.natural, lo: photos.lo, hi: photos.hi, set: photos.natural } } : {}) };
  if (art.dataset.fit === 'auto') result.copyfit = { t: PB.copyfitBody(body, opts), fits: true };
  if (photos) {
    const fitsAt = (px: number) => (PB.setPhotoDepth(photos.frames, px), !PB.overflows(body));
    const set = PB.overflows(body) ? (fitsAt(photos.lo) ? PB.largest(photos.lo, photos.natural, fitsAt, 0.5) : photos.lo) : PB.largest(photos.natural, photos.hi, fitsAt, 0.5);
    PB.setPhotoDepth(photos.frames, set);
    result.photos = { natural: photos.natural, lo: photos.lo, hi: photos.hi, set };
  }
  // Whether the text fits in the end, photos given up to their crop limit; then its columns level.
  if (result.copyfit) result.copyfit.fits = !PB.overflows(body);
  PB.levelColumns(body, PB.columnShortfalls, opts.wholeParagraphs);
  return result;
}
