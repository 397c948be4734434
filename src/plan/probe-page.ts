/**
 * In-page (sent to the browser with the slot pass's library, page-lib.ts; no imports, no module
 * state): how deep a story can be set in a slot of a given width, measured with the real stylesheet
 * and the real fit (fit.ts, columns.ts) and judged as the build's report judges a slot (report.ts).
 *
 * The probe document holds one page per story and width, the story alone in a slot of that width
 * reaching down the whole grid; the probe sets the slot's height in CSS px, fits the story as the
 * build does and measures it:
 *
 * - `min`: the shallowest slot the story fits whole, nothing overset or clipped. Copyfit is
 *   monotone (fit.ts: it takes the loosest setting that fits), so the story fits at a height exactly
 *   when it fits at the tightest leading and tracking with its photos cropped to their limit: one
 *   layout per height tried.
 * - `max`: the deepest slot the story fills, its columns ending within `underLines` lines of the
 *   foot after the fit stretches it (leading, tracking, photos) and levels its columns.
 *
 * Both are found by bisection to `precision` px from a bracket that three layouts of the story at
 * the full depth give (as set, tightest, loosest). A story's depth range at a width is [min, max];
 * the planner turns it into grid rows for each page's grid (planner rows = rectangles of the grid).
 */
import type { columnShortfalls, fitArticle, photoRange, setPhotoDepth } from '../layout/fit.ts';
import type { measurePages } from '../layout/measure.ts';
import type { overflows } from '../layout/text-dom.ts';

declare const PB: {
  probeOne: typeof probeOne; fitArticle: typeof fitArticle; measurePages: typeof measurePages; columnShortfalls: typeof columnShortfalls; overflows: typeof overflows;
  photoRange: typeof photoRange; setPhotoDepth: typeof setPhotoDepth;
};

export interface ProbeOptions {
  keep: number;
  leadingRange: number;
  trackingRange: number;
  /** A slot whose columns end more than this many lines above its foot is underset (report.ts). */
  underLines: number;
  /** Bisection precision, CSS px. */
  precision: number;
}

/** One story in one width, measured (CSS px). */
export interface ProbeResult {
  page: number;
  /** The shallowest slot it fits whole; absent: not even the whole grid's depth holds it. */
  min?: number;
  /** The deepest slot it fills without being underset; absent: none. */
  max?: number;
  /** Its depth as set (no copyfit, photos at their own proportions): what a jump's first part keeps. */
  natural: number;
  /** The depth above its text (head, photos as set) and its text's depth as set. */
  head: number;
  body: number;
  /** Characters of its text, and the body's line height. */
  chars: number;
  line: number;
  /** Depth at the tightest setting (photos cropped to their limit) and at the loosest, at most the grid's. */
  tight: number;
  loose: number;
  /** Whether it can be set whole at this width: too long even for the whole grid, too shallow for the width, underset even at its least depth. */
  verdict: 'ok' | 'long' | 'short' | 'underset';
  /** Layouts this probe took (for the report's timings). */
  layouts: number;
}

/**
 * The grid of each probe page as laid out: row height and gap, column width and gutter, and the
 * room a slot under another gives to the rule above it (CSS px), by plan page.
 */
export function probeFrames(pages: number[]): { page: number; row: number; gap: number; rows: number; column: number; gutter: number; rule: number }[] {
  return pages.map((page) => {
    const grid = document.querySelector<HTMLElement>(`.pb-page[data-plan-page="${page}"] .pb-grid`)!;
    const cs = getComputedStyle(grid);
    const tracks = (v: string) => v.split(/\s+/).map(parseFloat).filter((x) => !Number.isNaN(x));
    const rows = tracks(cs.gridTemplateRows);
    const ruled = document.createElement('div');
    ruled.className = 'pb-slot pb-rule-above';
    grid.append(ruled);
    const rule = parseFloat(getComputedStyle(ruled).paddingTop) || 0;
    ruled.remove();
    return { page, row: rows[0] ?? 0, gap: parseFloat(cs.rowGap) || 0, rows: rows.length, column: tracks(cs.gridTemplateColumns)[0] ?? 0, gutter: parseFloat(cs.columnGap) || 0, rule };
  });
}

/** Each probe page's story measured; `minDepth`: a story that cannot reach it at that width is not refined (too shallow for it). */
export async function probeStories(tasks: { page: number; minDepth: number; mode: 'estimate' | 'exact'; slot?: string }[], opts: ProbeOptions): Promise<ProbeResult[]> {
  const out: ProbeResult[] = [];
  for (const t of tasks) out.push(await PB.probeOne(t.page, t.mode, t.minDepth, opts, t.slot));
  return out;
}

/**
 * One story measured in its slot: the probe page's only slot, or (`slotName`) a slot of a composed
 * page as it stands (a jump's rest after the slot pass), which is put back as it was afterwards.
 */
export async function probeOne(page: number, mode: 'estimate' | 'exact', minDepth: number, opts: ProbeOptions, slotName?: string): Promise<ProbeResult> {
  const section = document.querySelector<HTMLElement>(`.pb-page[data-plan-page="${page}"]`)!;
  const slot = section.querySelector<HTMLElement>(slotName ? `.pb-slot[data-slot="${slotName}"]` : '.pb-slot')!;
  const original = slot.querySelector<HTMLElement>('article')!;
  const pristine = original.cloneNode(true) as HTMLElement;
  // Depths are the story's own (its slot's, less the room the slot gives to a rule above it).
  const pad = parseFloat(getComputedStyle(slot).paddingTop) || 0;
  const full = (slotName ? section.querySelector<HTMLElement>('.pb-grid')!.getBoundingClientRect().height : slot.getBoundingClientRect().height) - pad;
  const style = slot.getAttribute('style');
  let layouts = 0;
  // A fresh copy of the story in a slot `h` px deep (the fit and the column levelling change the DOM).
  const place = async (h: number) => {
    slot.style.alignSelf = 'start';
    slot.style.height = `${h + pad}px`;
    const art = pristine.cloneNode(true) as HTMLElement;
    slot.replaceChildren(art);
    await Promise.all(Array.from(art.querySelectorAll('img'), (img) => (img.complete ? undefined : img.decode().catch(() => undefined))));
    layouts++;
    return art;
  };
  const parts = (art: HTMLElement) => {
    const body = art.querySelector<HTMLElement>('.pb-body')!;
    const row = art.querySelector<HTMLElement>(':scope > .pb-photos');
    return { body, photos: row ? PB.photoRange(row, opts.keep) : undefined };
  };
  // Leading and tracking at t of their range, as fit.ts sets them.
  const setType = (body: HTMLElement, t: number) => {
    const cs = getComputedStyle(body);
    const leading = parseFloat(cs.lineHeight) / parseFloat(cs.fontSize) || 1.6;
    body.style.lineHeight = String(leading * (1 + t * opts.leadingRange));
    body.style.letterSpacing = `${t * opts.trackingRange}em`;
  };
  // How deep the story's content reaches from the slot's top (its fullest column).
  const depth = (body: HTMLElement) => {
    const top = slot.getBoundingClientRect().top + pad;
    const short = PB.columnShortfalls(body);
    return body.getBoundingClientRect().bottom - Math.min(...short) - top;
  };
  // What the build's report would say of the slot as it stands (report.ts): overset or clipped, underset.
  const judge = (body: HTMLElement): { over: boolean; empty: number } => {
    if (PB.overflows(body)) return { over: true, empty: 0 };
    const m = PB.measurePages(`.pb-page[data-plan-page="${page}"]`).slots.find((x) => !slotName || x.slot === slotName);
    if (!m) return { over: true, empty: Infinity };
    return { over: m.hiddenChars > 0 || m.clipped.length > 0, empty: m.emptyDepth / (m.lineHeight || 1) };
  };
  // The story at the full depth with its type at t and its photos at a depth: how deep its content reaches.
  const setAt = async (h: number, t: number, photo: 'lo' | 'natural' | 'hi') => {
    const a = await place(h);
    const p = parts(a);
    if (p.photos) PB.setPhotoDepth(p.photos.frames, p.photos[photo]);
    if (t !== 0 && a.dataset.fit === 'auto') setType(p.body, t);
    return p.body;
  };

  // As set: the story's natural depth, its head, its text (a story longer than the grid in a
  // deeper slot, laid out below the page: its depth per character serves jumps).
  let h = full;
  let body = await setAt(h, 0, 'natural');
  while (PB.overflows(body) && h < full * 16) body = await setAt((h *= 2), 0, 'natural');
  const line = parseFloat(getComputedStyle(body).lineHeight) || 16;
  const chars = (body.textContent ?? '').replace(/\s/g, '').length;
  const natural = depth(body);
  const head = body.getBoundingClientRect().top - slot.getBoundingClientRect().top - pad;
  const result: ProbeResult = { page, natural, head, body: natural - head, chars, line, tight: natural, loose: natural, verdict: 'ok', layouts: 0 };
  const done = async () => {
    result.layouts = layouts;
    if (slotName) {
      slot.replaceChildren(original);
      if (style === null) slot.removeAttribute('style');
      else slot.setAttribute('style', style);
    } else await place(full);
    return result;
  };
  // Tightest (leading, tracking, photos cropped to their limit) and loosest, at the full depth.
  body = await setAt(full, -1, 'lo');
  if (PB.overflows(body)) {
    result.verdict = 'long';
    return done();
  }
  result.tight = depth(body);
  body = await setAt(full, 1, 'hi');
  result.loose = PB.overflows(body) ? full : depth(body);
  // Too shallow for this width even stretched to the full.
  if (result.loose + opts.underLines * line < minDepth) result.verdict = 'short';
  if (result.verdict !== 'ok' || mode === 'estimate') return done();

  // Fits whole at h: at the tightest setting with photos cropped to their limit, nothing runs over.
  const fits = async (x: number) => !judge(await setAt(x, -1, 'lo')).over;
  // Lines left empty at h after the real fit (Infinity: overset or clipped).
  const empty = async (x: number) => {
    const a = await place(x);
    PB.fitArticle(a, opts);
    const j = judge(a.querySelector<HTMLElement>('.pb-body')!);
    return j.over ? Infinity : j.empty;
  };
  const fills = async (x: number) => (await empty(x)) <= opts.underLines;

  // min: the threshold of fits, bracketed from the tightest depth.
  let lo = Math.max(0, result.tight - opts.precision);
  let hi = Math.min(full, result.tight + opts.precision);
  while (lo > 0 && (await fits(lo))) lo = Math.max(0, lo - line);
  while (hi < full && !(await fits(hi))) hi = Math.min(full, hi + line);
  while (hi - lo > opts.precision) {
    const mid = (lo + hi) / 2;
    if (await fits(mid)) hi = mid;
    else lo = mid;
  }
  // Where it only just fits, the fit may have no room left to level its columns: the least depth
  // it fills is found a step at a time above (within two lines), else it is underset at this width.
  let least: number | undefined;
  for (let x = hi; x <= Math.min(full, hi + 2 * line); x += opts.precision) {
    if (await fills(x)) {
      least = x;
      break;
    }
  }
  if (least === undefined) {
    result.verdict = 'underset';
    return done();
  }
  result.min = least;
  // max: the lines left empty grow with the depth once the fit is at its loosest; from one
  // measurement past the loosest depth, then bracketed and bisected.
  const probe = Math.min(full, result.loose + (opts.underLines + 1) * line);
  const e = await empty(probe);
  let a = Math.max(result.min, Math.min(probe, probe - (e - opts.underLines) * line) - opts.precision);
  let z = a + 2 * opts.precision;
  while (a > result.min && !(await fills(a))) a = Math.max(result.min, a - line);
  while (z < full && (await fills(z))) {
    a = z;
    z = Math.min(full, z + line);
  }
  if (z >= full && (await fills(full))) a = z = full;
  while (z - a > opts.precision) {
    const mid = (a + z) / 2;
    if (await fills(mid)) a = mid;
    else z = mid;
  }
  result.max = a;
  return done();
}
