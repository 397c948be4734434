/**
 * The search as planEdition runs it (solve.ts): when continuing a long story leaves a page that
 * cannot be filled, the plan is searched again with no story continued; a docket that fills no plan
 * at all is an error naming the pages and what to change, never a plan with an empty page.
 */
import { describe, expect, it } from 'vitest';
import { PaibanError } from '../../src/errors.ts';
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
    expect(e.message).toMatch(/^no plan fills every page of the budget within the rules: pages? [\d, ]+ could not be filled$/);
    expect(e.where).toEqual(where);
    expect(e.hint).toMatch(/add stories to the docket or lower plan: pages/);
  });
});
