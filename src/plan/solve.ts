/**
 * The search as the planner runs it (search.ts): greedy start, then local search. When continuing
 * stories leaves no plan that fills every page within the rules (a story too long for a page whose
 * rest no later page can take), the search runs again with no story continued. A plan that breaks a
 * rule only because of pins is returned (the report lists what it breaks); one that leaves a page
 * unfilled never is: the edition gets an error saying which pages and what to change.
 */
import { PaibanError, type ErrorLocation } from '../errors.ts';
import { Planner, type PlanInput } from './search.ts';

type Found = { planner: Planner } & ReturnType<Planner['improve']>;

export function solve(input: PlanInput, where: ErrorLocation): Found {
  const run = (i: PlanInput): Found => {
    const planner = new Planner(i);
    return { planner, ...planner.improve(planner.greedy()) };
  };
  const unfilled = (f: Found) => f.evaluated.packed.flatMap((p, i) => (p ? [] : [i + 1]));
  const found = run(input);
  if (found.evaluated.ok) return found;
  const whole = input.jumps ? run({ ...input, jumps: false }) : undefined;
  if (whole?.evaluated.ok) return whole;
  for (const f of [found, whole]) if (f && !unfilled(f).length) return f;
  const empty = unfilled(found);
  throw new PaibanError('EditionInvalid', `no plan fills every page of the budget within the rules: ${empty.length === 1 ? 'page' : 'pages'} ${empty.join(', ')} could not be filled`, {
    where,
    hint: 'add stories to the docket or lower plan: pages; or set jump: false on a story longer than a page, or loosen its pins or sections (docs/planning.md)',
  });
}
