/**
 * What the check before printing measures goes back to the planner (replan.ts): a story found deeper
 * where it stood than its estimate is packed again within the measured range, and the plan still
 * breaks no rule; a measure that changes nothing gives the same plan.
 */
import { describe, expect, it } from 'vitest';
import { rowsBetween, rowsDepth, type Plan } from '../../src/plan/model.ts';
import { replanner } from '../../src/plan/replan.ts';
import { Planner } from '../../src/plan/search.ts';
import { agreed, type SlotCheck } from '../../src/plan/verify.ts';
import type { PlacedRect } from '../../src/plan/emit.ts';
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

  it('moves a story the check found no depth for at its width, every page still full and within the rules', () => {
    const planner = new Planner(planInput(mixedDocket(18), 4));
    const { state, evaluated } = planner.improve(planner.greedy());
    const before = planner.toPlan(state, evaluated);
    const target = pieces(before).find((x) => x.page === 3 && x.part === 'whole')!;
    // Neither fits nor fills at any depth of its width (the exact probe's "underset" verdict).
    const after = replanner(planner, state)([{ story: target.story, part: 'whole', columns: target.columns, lead: false, min: Infinity, max: -Infinity }]);
    expect(after).toBeDefined();
    expect(planner.violations(after!)).toEqual([]);
    for (const p of after!.pages) expect(p.bands.reduce((a, b) => a + b.rows, 0)).toBe(FRAME.rows);
    expect(pieces(after!).filter((x) => x.story === target.story && x.columns === target.columns)).toEqual([]);
  });

  it('searches again from the start when mending the pages as they stand keeps no rule', () => {
    const input = planInput(mixedDocket(18), 4);
    const planner = new Planner(input);
    const { state } = planner.improve(planner.greedy());
    // Story 9 found wrong at 4 columns: no refill of its page and no local search from there
    // gives a plan within the rules; the search from the start does.
    expect(state.at[8]).toBeGreaterThan(0);
    const probe = new Planner(planInput(mixedDocket(18), 4));
    probe.setMeasure(8, 4, false, Infinity, -Infinity);
    expect(probe.improve(probe.refill(state) ?? state).evaluated.ok).toBe(false);
    const after = replanner(planner, state)([{ story: 8, part: 'whole', columns: 4, lead: false, min: Infinity, max: -Infinity }]);
    expect(after).toBeDefined();
    expect(planner.violations(after!)).toEqual([]);
    for (const p of after!.pages) expect(p.bands.reduce((a, b) => a + b.rows, 0)).toBe(FRAME.rows);
    expect(pieces(after!).filter((x) => x.story === 8 && x.columns === 4)).toEqual([]);
  });

  it('takes a refill that keeps every rule as it is: the other pages stay as they were checked', () => {
    const fresh = () => {
      const planner = new Planner(planInput(mixedDocket(18), 4));
      return { planner, ...planner.improve(planner.greedy()) };
    };
    const { planner: p0, state: s0, evaluated: e0 } = fresh();
    const before = p0.toPlan(s0, e0);
    // A story of page 3 found with no depth at its width, whose page a refill mends within the rules.
    const target = pieces(before).find((x) => {
      if (x.page !== 3 || x.part !== 'whole') return false;
      const { planner, state } = fresh();
      planner.setMeasure(x.story, x.columns, false, Infinity, -Infinity);
      const r = planner.refill(state);
      return !!r && planner.evaluate(r).ok;
    })!;
    expect(target).toBeDefined();
    const { planner, state } = fresh();
    const after = replanner(planner, state)([{ story: target.story, part: 'whole', columns: target.columns, lead: false, min: Infinity, max: -Infinity }])!;
    expect(planner.violations(after)).toEqual([]);
    for (const n of [1, 2, 4]) expect(JSON.stringify(after.pages[n - 1]), `page ${n}`).toBe(JSON.stringify(before.pages[n - 1]));
    expect(JSON.stringify(after.pages[2])).not.toBe(JSON.stringify(before.pages[2]));
  });

  it('refills a page that no longer packs from its own stories and the held ones', () => {
    const planner = new Planner(planInput(mixedDocket(18), 4));
    const { state, evaluated } = planner.improve(planner.greedy());
    const before = planner.toPlan(state, evaluated);
    // Every width of a story on page 2 found wrong: page 2 no longer packs with it.
    const target = pieces(before).find((x) => x.page === 2 && x.part === 'whole')!;
    for (const w of [2, 3, 4, 5, 6, 8]) planner.setMeasure(target.story, w, false, Infinity, -Infinity);
    expect(planner.evaluate(state).packed[1]).toBeUndefined();
    const refilled = planner.refill(state)!;
    expect(refilled).toBeDefined();
    const e = planner.evaluate(refilled);
    expect(e.packed.every(Boolean)).toBe(true);
    expect(refilled.at[target.story]).toBe(0);
    // The pages before it keep their stories.
    for (const st of planner.input.stories) if (state.at[st.index] === 1) expect(refilled.at[st.index]).toBe(1);
  });
});

describe('a measured range that agrees with the slot as judged', () => {
  const at: PlacedRect = { page: 2, slot: 'a', story: 0, part: 'whole', column: 1, columns: 4, row: 1, rows: 30, lead: false };
  const check = (problem: SlotCheck['problem']): SlotCheck => ({ page: 2, slot: 'a', story: 0, part: 'whole', problem, empty: 0.01, emptyLines: 2.1 });
  const depth = rowsDepth(FRAME, 30, false);

  it('takes a slot judged underset at rows the bisection still allows as past the deep end', () => {
    const r = agreed(depth - 100, depth + 3, check('underset'), at, FRAME);
    expect(rowsBetween(FRAME, r.min, r.max, false)).toEqual([rowsBetween(FRAME, depth - 100, depth, false)![0], 29]);
  });

  it('takes a slot judged overset at rows the bisection still allows as past the shallow end', () => {
    const r = agreed(depth - 2, depth + 100, check('overset'), at, FRAME);
    expect(rowsBetween(FRAME, r.min, r.max, false)![0]).toBe(31);
  });

  it('keeps a measured range that already leaves the slot\'s rows out', () => {
    expect(agreed(depth - 200, depth - 40, check('underset'), at, FRAME)).toEqual({ min: depth - 200, max: depth - 40 });
  });
});
