/**
 * The rows a jump's rest may take (items.ts restRanges): its continued headline and jump line, and
 * the text its first part left, copyfit like a whole story (its leading within ±COPYFIT.leading):
 * from a quarter line under its tightest depth to a line under its loosest.
 */
import { describe, expect, it } from 'vitest';
import { COPYFIT } from '../../src/layout/fit.ts';
import { restRanges } from '../../src/plan/items.ts';
import { rowsBetween } from '../../src/plan/model.ts';
import { FRAME, measuresFor } from '../helpers/docket.ts';

const limits = { minRows: 6, rowsPerColumn: 2, underLines: 2, widths: [2, 3, 4, 5, 6, 8] };

describe('the rows of a jump\'s rest', () => {
  const ms = measuresFor({ priority: 2, text: 12_000 });
  const m4 = ms.find((m) => m.columns === 4)!;

  it('spans the copyfit range of the text left, not only the underset the build allows', () => {
    const share = 0.5;
    const r = restRanges(ms, share, 4, FRAME, limits, true)[4]!;
    const text = (1 - share) * m4.body;
    // The text left stretches and shrinks by the leading's range: several rows, where the underset
    // alone (two lines) is about one.
    expect(r[1] - r[0]).toBeGreaterThanOrEqual(Math.floor((2 * COPYFIT.leading * text) / FRAME.row) - 1);
    expect(r[1] - r[0]).toBeGreaterThan(2);
    const exact = rowsBetween(FRAME, text * (1 - COPYFIT.leading), text * (1 + COPYFIT.leading) + 200, true)!;
    expect(r[0]).toBeGreaterThanOrEqual(exact[0]);
    expect(r[1]).toBeLessThanOrEqual(exact[1]);
  });

  it('takes fewer rows the more of the text the first part held', () => {
    const more = restRanges(ms, 0.7, 4, FRAME, limits, true)[4]!;
    const less = restRanges(ms, 0.5, 4, FRAME, limits, true)[4]!;
    expect(more[1]).toBeLessThan(less[0]);
  });
});
