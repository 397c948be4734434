/**
 * What the check before printing measured where a slot went wrong (verify.ts) goes back to the
 * planner: the story's depth range at that width (or a jump's rest's, for the first part it was cut
 * from) replaces the estimate, and the pages are packed again with it; when they no longer pack,
 * the local search goes on from the plan as it was until they do.
 */
import type { Plan } from './model.ts';
import type { Planner, State } from './search.ts';
import type { Fix } from './verify.ts';

/** A replan callback for verifyPlan, starting from `start` (the plan being checked). */
export function replanner(planner: Planner, start: State): (fixes: Fix[]) => Plan | undefined {
  let state = start;
  return (fixes) => {
    for (const f of fixes) {
      if (f.part === 'whole') planner.setMeasure(f.story, f.columns, f.lead, f.min, f.max);
      else if (f.part === 'rest' && f.first) planner.setRest(f.story, f.first, f.columns, f.min, f.max);
    }
    let e = planner.evaluate(state);
    if (!e.ok) {
      // The search's budget counts per search: this one starts afresh, the total still adds up.
      const spent = planner.evaluations;
      planner.evaluations = 0;
      const r = planner.improve(state);
      planner.evaluations += spent;
      if (!r.evaluated.ok) return undefined;
      ({ state, evaluated: e } = r);
    }
    return planner.toPlan(state, e);
  };
}
