/**
 * Pages of an edition paginated in parallel: the page plan is cut into chunks (each fixed page on
 * its own; a flow page with its run of pages; an article's jump keeps its two pages, and every page
 * between, in one chunk), each chunk is laid out and printed in its own browser context (its own
 * renderer process) by the pool of workers (src/browser/pool.ts), and the parts are merged in order.
 * Page numbers stay those of the whole edition: each chunk starts its page counter where the chunks
 * before it ended (known up front for fixed pages, awaited after a flow).
 */
import type { PagePlan } from '../config/schema.ts';
import { RunSlots } from '../browser/pool.ts';
import type { PageMeasure } from './measure.ts';
import type { SlotPassResult } from './slots.ts';

export interface Chunk {
  /** Plan page numbers (1-based), consecutive. */
  pages: number[];
  /** Every page has a fixed layout: the chunk prints exactly pages.length pages. */
  fixed: boolean;
  /** Every page is one Chromium prints without Paged.js (native.ts). */
  native?: boolean;
}

/**
 * `isNative` names the plan pages Chromium prints alone (native.ts): a run of them is kept apart
 * from pages that need Paged.js.
 */
export function planChunks(pages: PagePlan[], isFixed: (layout: string) => boolean, isNative: (page: PagePlan) => boolean = () => false): Chunk[] {
  // Ranges that must stay together: a jump's source page through its target page.
  const joinedTo = pages.map((_, i) => i);
  pages.forEach((p, i) => {
    for (const a of p.articles) if (a.continue) for (let j = i; j < a.continue.page - 1; j++) joinedTo[j] = Math.max(joinedTo[j]!, a.continue.page - 1);
  });
  const chunks: Chunk[] = [];
  for (let i = 0; i < pages.length; ) {
    let end = i;
    for (let j = i; j <= end; j++) end = Math.max(end, joinedTo[j]!);
    const nums = Array.from({ length: end - i + 1 }, (_, k) => i + k + 1);
    const native = nums.every((n) => isNative(pages[n - 1]!));
    chunks.push({ pages: nums, fixed: nums.every((n) => isFixed(pages[n - 1]!.layout)), ...(native ? { native } : {}) });
    i = end + 1;
  }
  return chunks;
}

/**
 * Each chunk costs a document load (Paged.js, fonts, styles: about a second), so the units of
 * planChunks are grouped into as many runs of consecutive pages as there are workers, balanced by
 * page count. Units Chromium prints alone and units that need Paged.js are never put in one run.
 */
export function groupChunks(units: Chunk[], workers: number): Chunk[] {
  const total = units.reduce((n, u) => n + u.pages.length, 0);
  // A run shorter than this costs more in its own document load than it saves.
  const runs = Math.max(1, Math.min(workers, Math.floor(total / MIN_PAGES_PER_RUN)));
  const target = Math.ceil(total / runs);
  const groups: Chunk[] = [];
  for (const u of units) {
    const last = groups[groups.length - 1];
    if (last && !!last.native === !!u.native && last.pages.length + u.pages.length <= target) {
      last.pages.push(...u.pages);
      last.fixed &&= u.fixed;
    } else groups.push({ pages: [...u.pages], fixed: u.fixed, ...(u.native ? { native: true } : {}) });
  }
  return groups;
}

/** The fewest plan pages worth a run of their own (a document load is about half a second). */
export const MIN_PAGES_PER_RUN = 4;

/**
 * Run `work(chunk, pageOffset)` for every chunk with at most `workers` at a time (or in `slots`,
 * shared with other editions), each starting once the printed pages before it are known; results
 * in chunk order.
 */
export async function runChunks<T extends { measure: PageMeasure }>(chunks: Chunk[], workers: number, work: (chunk: Chunk, index: number, pageOffset: number) => Promise<T>, slots = new RunSlots(workers)): Promise<T[]> {
  const done: Promise<T>[] = [];
  chunks.forEach((chunk, i) => {
    done.push(
      (async () => {
        let offset = 0;
        for (let j = 0; j < i; j++) offset += chunks[j]!.fixed ? chunks[j]!.pages.length : (await done[j]!).measure.pages.length;
        return slots.run(() => work(chunk, i, offset));
      })(),
    );
  });
  // Settle all before failing, so no work is left running in the background.
  const settled = await Promise.allSettled(done);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

/** One measure for the whole edition from the chunks' measures, pages renumbered in order. */
export function mergeMeasures(parts: PageMeasure[]): PageMeasure {
  const out: PageMeasure = { pages: [], articleStart: {}, placedText: {}, slots: [], images: [] };
  let offset = 0;
  for (const m of parts) {
    out.pages.push(...m.pages);
    for (const [id, p] of Object.entries(m.articleStart)) if (!(id in out.articleStart)) out.articleStart[id] = p + offset;
    for (const [id, t] of Object.entries(m.placedText)) out.placedText[id] = (out.placedText[id] ?? '') + t;
    out.slots.push(...m.slots.map((s) => ({ ...s, page: s.page + offset })));
    out.images.push(...m.images.map((im) => ({ ...im, page: im.page + offset })));
    offset += m.pages.length;
  }
  return out;
}

export function mergeSlotResults(parts: SlotPassResult[]): SlotPassResult {
  return { copyfit: parts.flatMap((p) => p.copyfit), jumps: parts.flatMap((p) => p.jumps), fits: parts.flatMap((p) => p.fits) };
}
