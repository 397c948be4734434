/**
 * What the check before printing measured where a slot went wrong (verify.ts) goes back to the
 * planner: the story's depth range at that width (or a jump's rest's, for the first part it was cut
 * from) replaces the estimate, and the plan is mended with it, the least change first:
 *
 * 1. the same stories on the same pages, packed again;
 * 2. a page that no longer packs takes again the best set of its stories and the held ones that
 *    does (as the greedy start fills a page); if the plan then keeps every rule it is taken as it
 *    is (the pages it did not touch stay as checked), else the local search goes on from there (or
 *    from the plan as it was) until it does;
 * 3. else the whole search again (greedy start, local search) with everything measured so far.
 */
import type { Plan } from './model.ts';
import type { Planner, State } from './search.ts';
import { trace } from './session.ts';
import type { Fix } from './verify.ts';

/** A replan callback for verifyPlan, starting from `start` (the plan being checked). */
export function replanner(planner: Planner, start: State): (fixes: Fix[]) => Plan | undefined {
  let state = start;
  // The search's budget counts per search: each starts afresh, the total still adds up.
  const search = (from: State) => {
    const spent = planner.evaluations;
    planner.evaluations = 0;
    const r = planner.improve(from);
    planner.evaluations += spent;
    return r;
  };
  return (fixes) => {
    for (const f of fixes) {
      if (f.part === 'whole') planner.setMeasure(f.story, f.columns, f.lead, f.min, f.max);
      else if (f.part === 'rest' && f.first) planner.setRest(f.story, f.first, f.columns, f.min, f.max);
    }
    let e = planner.evaluate(state);
    if (!e.ok) {
      // A refill that keeps every rule is taken as it is: the pages it did not touch stay checked.
      const refilled = planner.refill(state);
      const direct = refilled && planner.evaluate(refilled);
      let r = direct?.ok ? { state: refilled!, evaluated: direct } : search(refilled ?? state);
      let how = direct?.ok ? 'refilled' : 'mended';
      if (!r.evaluated.ok) {
        r = search(planner.greedy());
        how = 'searched again';
      }
      trace(`replan: pages that no longer pack ${how}${r.evaluated.ok ? '' : ': no plan keeps every rule'}`);
      if (!r.evaluated.ok) return undefined;
      ({ state, evaluated: e } = r);
    }
    return planner.toPlan(state, e);
  };
}
