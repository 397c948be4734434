/**
 * The pure parts of the in-page passes: where a jump may cut a line (jumps.ts) and how a body's
 * lines are shared out over its columns (columns.ts). The passes themselves run in Chromium
 * (tests/e2e/frontpage.test.ts, demo.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { partition } from '../../src/layout/columns.ts';
import { breakAllowed, CLOSING_MARKS, OPENING_MARKS } from '../../src/layout/jumps.ts';

const may = (text: string, k: number) => breakAllowed(text, k, CLOSING_MARKS, OPENING_MARKS);

describe('where a jump may cut (breakAllowed)', () => {
  it('between Han characters, never before a closing or pause mark, also after a space', () => {
    expect(may('党建统领', 2)).toBe(true);
    for (const mark of '，。、；：？！）」』”’》〉】〕〗…—·％') expect(may(`统领${mark}发展`, 2), mark).toBe(false);
    // Unedited copy: a space before the closing quote is not a place to break.
    expect(may('贾源.. ”他说', 5)).toBe(false);
    expect(may('贾源.. ”他说', 4)).toBe(false);
  });

  it('never after an opening mark, never inside a Latin word, at a word space', () => {
    expect(may('他说“好', 3)).toBe(false);
    expect(may('（接', 1)).toBe(false);
    expect(may('the harbour', 6)).toBe(false);
    expect(may('the harbour', 4)).toBe(true);
    expect(may('re\u00adopens', 3)).toBe(false);
  });
});

describe('sharing lines out over columns (partition)', () => {
  const lines = (n: number) => Array.from({ length: n }, () => 20);

  it('spreads 50 lines over 7 columns 7 or 8 deep instead of 8, 8, 8, 8, 8, 8, 2', () => {
    const starts = partition(lines(50), 7, 165)!;
    const runs = [0, ...starts, 50].slice(1).map((e, i) => e - [0, ...starts][i]!);
    expect(runs.reduce((a, b) => a + b, 0)).toBe(50);
    expect(Math.max(...runs) - Math.min(...runs)).toBeLessThanOrEqual(1);
  });

  it('never starts a column after a subhead or inside a word, keeps every column within its depth, or says it cannot', () => {
    const heights = [...lines(6), 50, ...lines(6)];
    // No column starts right after the subhead (unit 6), nor inside a word (unit 3).
    const noStart = heights.map((_, i) => i === 7 || i === 3);
    const starts = partition(heights, 2, 175, noStart)!;
    expect(starts).toEqual([6]);
    expect(partition([...lines(3), 200], 2, 160)).toBeUndefined();
    // A subhead's top margin is left out where it starts a column.
    expect(partition([...lines(7), 30, ...lines(7)], 2, 160, [], [...lines(7).map(() => 0), 10, ...lines(7).map(() => 0)])).toEqual([7]);
  });
});
