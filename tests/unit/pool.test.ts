/** The page pool's plan: chunks, grouping, page offsets, merged measures. */
import { describe, expect, it } from 'vitest';
import type { PagePlan } from '../../src/config/schema.ts';
import type { PageMeasure } from '../../src/layout/measure.ts';
import { groupChunks, mergeMeasures, planChunks, runChunks } from '../../src/layout/chunks.ts';
import { RunSlots } from '../../src/browser/pool.ts';

const page = (layout: string, cont?: { page: number; slot: string }): PagePlan => ({
  layout,
  articles: cont ? [{ file: 'a.md', slot: 'lead', fit: 'none', continue: cont }] : [],
});
const fixed = (l: string) => l !== 'flow';
const measure = (pages: number, id?: string): PageMeasure => ({
  pages: Array.from({ length: pages }, () => ({ planPage: 1, layout: 'front' })),
  articleStart: id ? { [id]: 1 } : {},
  placedText: id ? { [id]: id } : {},
  slots: [{ page: 1, planPage: 1, slot: 'lead', article: id ?? 'x', hiddenChars: 0, linesOver: 0, emptyShare: 0, emptyDepth: 0, lineHeight: 16, textColumns: 2, columnGap: 12, chars: 10, box: { x: 0, y: 0, width: 100, height: 100 }, clipped: [] }],
  images: [],
});

describe('planChunks', () => {
  it('gives each page its own chunk, but keeps a jump and the pages between it together', () => {
    const chunks = planChunks([page('front', { page: 3, slot: 'top' }), page('feature'), page('feature'), page('flow'), page('front')], fixed);
    expect(chunks).toEqual([
      { pages: [1, 2, 3], fixed: true },
      { pages: [4], fixed: false },
      { pages: [5], fixed: true },
    ]);
  });
});

describe('groupChunks', () => {
  it('groups consecutive chunks into one run per worker, balanced by pages', () => {
    const units = Array.from({ length: 24 }, (_, i) => ({ pages: [i + 1], fixed: true }));
    const groups = groupChunks(units, 2);
    expect(groups.map((g) => g.pages.length)).toEqual([12, 12]);
    expect(groups[1]!.pages[0]).toBe(13);
    expect(groupChunks(units, 1)).toHaveLength(1);
  });

  it('keeps runs of pages printed by Chromium alone apart from pages that need Paged.js', () => {
    const units = planChunks([page('front'), page('flow'), page('flow'), page('feature'), page('front')], fixed, (p) => p.layout === 'flow');
    expect(units.map((u) => !!u.native)).toEqual([false, true, true, false, false]);
    expect(groupChunks(units, 2)).toEqual([
      { pages: [1], fixed: true },
      { pages: [2, 3], fixed: false, native: true },
      { pages: [4, 5], fixed: true },
    ]);
  });
});

describe('runChunks', () => {
  it('starts each chunk after the printed pages before it: fixed counts up front, a flow when done', async () => {
    const chunks = [
      { pages: [1, 2], fixed: true },
      { pages: [3], fixed: false },
      { pages: [4], fixed: true },
    ];
    const offsets: number[] = [];
    const flowPages = 5;
    const results = await runChunks(chunks, 2, async (chunk, i, offset) => {
      offsets[i] = offset;
      return { measure: measure(chunk.fixed ? chunk.pages.length : flowPages) };
    });
    expect(offsets).toEqual([0, 2, 2 + flowPages]);
    expect(results.map((r) => r.measure.pages.length)).toEqual([2, 5, 1]);
  });

  it('fails with the first error after every chunk has settled', async () => {
    let finished = 0;
    await expect(
      runChunks([{ pages: [1], fixed: true }, { pages: [2], fixed: true }], 2, async (_c, i) => {
        await new Promise((r) => setTimeout(r, i === 0 ? 1 : 20));
        finished++;
        if (i === 0) throw new Error('boom');
        return { measure: measure(1) };
      }),
    ).rejects.toThrow('boom');
    expect(finished).toBe(2);
  });
});

describe('mergeMeasures', () => {
  it('renumbers pages of later parts and keeps the first start of each article', () => {
    const m = mergeMeasures([measure(2, 'a'), measure(3, 'b'), measure(1, 'a')]);
    expect(m.pages).toHaveLength(6);
    expect(m.articleStart).toEqual({ a: 1, b: 3 });
    expect(m.slots.map((s) => s.page)).toEqual([1, 3, 6]);
    expect(m.placedText.a).toBe('aa');
  });
});

describe('RunSlots', () => {
  it('lets at most its size of runs go at once, across every user, in the order asked', async () => {
    const slots = new RunSlots(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const work = async (n: number, ms: number) => {
      running++;
      most = Math.max(most, running);
      order.push(n);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      return n;
    };
    // Two "editions" sharing the slots: runChunks of one, single runs of the other.
    const a = runChunks([{ pages: [1], fixed: true }, { pages: [2], fixed: true }, { pages: [3], fixed: true }], 2, async (c) => ({ measure: measure(1), n: await work(c.pages[0]!, 15) }), slots);
    const b = Promise.all([slots.run(() => work(10, 5)), slots.run(() => work(11, 5))]);
    const [ra, rb] = await Promise.all([a, b]);
    expect(most).toBe(2);
    expect(ra.map((r) => r.n)).toEqual([1, 2, 3]);
    expect(rb).toEqual([10, 11]);
    expect(order.length).toBe(5);
  });

  it('frees the slot when a run fails', async () => {
    const slots = new RunSlots(1);
    await expect(slots.run(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(await slots.run(async () => 'next')).toBe('next');
  });
});
