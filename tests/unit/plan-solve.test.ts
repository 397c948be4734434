/**
 * The search as planEdition runs it (solve.ts): when continuing a long story leaves a page that
 * cannot be filled, the plan is searched again with no story continued; a docket that fills no plan
 * at all is an error naming the pages and what to change, never a plan with an empty page.
 */
import { describe, expect, it } from 'vitest';
import { PaibanError } from '../../src/errors.ts';
import { Planner } from '../../src/plan/search.ts';
import { solve } from '../../src/plan/solve.ts';
import { mixedDocket, planInput } from '../helpers/docket.ts';

const where = { file: 'edition.yaml', line: 7 };

describe('solving a docket', () => {
  it('takes the plan with no story continued when continuing leaves a page unfilled', () => {
    // A priority 2 story about a page deep: continuing it leaves page 2 unfillable; whole, it fills page 2.
    const input = planInput([{ priority: 2, text: 14_000 }, ...mixedDocket(7)], 2);
    const { planner, state, evaluated } = solve(input, where);
    expect(evaluated.ok).toBe(true);
    const plan = planner.toPlan(state, evaluated);
    expect(plan.jumps).toEqual([]);
    expect(plan.pages.every((p) => p.bands.length > 0)).toBe(true);
    expect(planner.violations(plan)).toEqual([]);
  });

  it('finds the plan of a small docket that the greedy start and the local search miss', () => {
    // Five stories on two pages: one way to share them fills both pages within the rules.
    const input = planInput(mixedDocket(7).slice(2), 2, { jumps: false });
    const planner = new Planner(input);
    expect(planner.improve(planner.greedy()).evaluated.ok).toBe(false);
    const found = solve(input, where);
    expect(found.evaluated.ok).toBe(true);
    const plan = found.planner.toPlan(found.state, found.evaluated);
    expect(found.planner.violations(plan)).toEqual([]);
    expect(plan.pages.every((p) => p.bands.reduce((a, b) => a + b.rows, 0) === 60)).toBe(true);
    // Exhaustive: no sharing of the stories among the pages scores higher.
    let best = -Infinity;
    for (let code = 0; code < 3 ** 5; code++) {
      const at = [0, 1, 2, 3, 4].map((i) => Math.floor(code / 3 ** i) % 3);
      const e = planner.evaluate({ at, rest: [0, 0, 0, 0, 0] });
      if (e.ok) best = Math.max(best, e.score);
    }
    expect(found.evaluated.score).toBe(best);
  });

  it('refuses a docket that cannot fill the pages, naming them and what to do', () => {
    const input = planInput(mixedDocket(3), 3);
    let error: unknown;
    try {
      solve(input, where);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PaibanError);
    const e = error as PaibanError;
    expect(e.message).toMatch(/^no plan fills every page of the budget within the rules: pages? [\d, ]+ could not be filled \(the docket's stories, set as loosely as copyfit allows, fill about 1\.9 of the 3 pages\)$/);
    expect(e.where).toEqual(where);
    expect(e.hint).toBe('add stories to the docket, or lower plan: pages to 1 or fewer (docs/planning.md)');
  });
});
