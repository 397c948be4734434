/**
 * What the check before printing measures goes back to the planner (replan.ts): a story found deeper
 * where it stood than its estimate is packed again within the measured range, and the plan still
 * breaks no rule; a measure that changes nothing gives the same plan.
 */
import { describe, expect, it } from 'vitest';
import { rowsBetween, rowsDepth, type Plan } from '../../src/plan/model.ts';
import { replanner } from '../../src/plan/replan.ts';
import { Planner } from '../../src/plan/search.ts';
import { FRAME, mixedDocket, planInput } from '../helpers/docket.ts';

/** Every piece of a plan, with its page, width, and whether it stands at the top of its page (unruled). */
const pieces = (plan: Plan) => plan.pages.flatMap((p) => p.bands.flatMap((b, bi) => b.stacks.flatMap((s) => s.pieces.map((x, i) => ({ ...x, page: p.number, columns: s.columns, top: bi === 0 && i === 0 })))));

describe('replanning with what was measured where a slot stood', () => {
  it('packs the pages again with a whole story\'s measured range, breaking no rule', () => {
    const planner = new Planner(planInput(mixedDocket(18), 4));
    const { state, evaluated } = planner.improve(planner.greedy());
    const before = planner.toPlan(state, evaluated);
    // A whole story on page 2 under another: as laid out it needed 3 rows more.
    const target = pieces(before).find((x) => x.page === 2 && x.part === 'whole' && !x.top && x.rows + 5 <= FRAME.rows)!;
    expect(target).toBeDefined();
    const min = rowsDepth(FRAME, target.rows + 3, true) - 1;
    const max = rowsDepth(FRAME, target.rows + 5, true) + 1;
    const after = replanner(planner, state)([{ story: target.story, part: 'whole', columns: target.columns, lead: false, min, max }]);
    expect(after).toBeDefined();
    expect(planner.violations(after!)).toEqual([]);
    for (const p of after!.pages) expect(p.bands.reduce((a, b) => a + b.rows, 0)).toBe(FRAME.rows);
    // Wherever the story now stands at that width, its rows lie in the measured range.
    const [lo, hi] = rowsBetween(FRAME, min, max, true)!;
    for (const x of pieces(after!).filter((y) => y.story === target.story && y.columns === target.columns && !y.top)) {
      expect(x.rows, `story ${target.story} on page ${x.page}`).toBeGreaterThanOrEqual(lo);
      expect(x.rows).toBeLessThanOrEqual(hi);
    }
    expect(JSON.stringify(after!.pages)).not.toBe(JSON.stringify(before.pages));
  });

  it('gives the same plan when the measure still holds the story\'s rows', () => {
    const planner = new Planner(planInput(mixedDocket(18), 4));
    const { state, evaluated } = planner.improve(planner.greedy());
    const before = planner.toPlan(state, evaluated);
    const target = pieces(before).find((x) => x.page === 2 && x.part === 'whole' && !x.top)!;
    const after = replanner(planner, state)([{ story: target.story, part: 'whole', columns: target.columns, lead: false, min: rowsDepth(FRAME, target.range[0], true) - 1, max: rowsDepth(FRAME, target.range[1], true) + 1 }]);
    expect(JSON.stringify(after!.pages)).toBe(JSON.stringify(before.pages));
  });
});
