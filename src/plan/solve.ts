/**
 * The search as the planner runs it (search.ts): greedy start, then local search. When continuing
 * stories leaves no plan that fills every page within the rules (a story too long for a page whose
 * rest no later page can take), the search runs again with no story continued. A plan that breaks a
 * rule only because of pins is returned (the report lists what it breaks), unless the exhaustive
 * search of a small docket (exhaust.ts) finds one that keeps them all; one that leaves a page
 * unfilled never is: the edition gets an error saying which pages and what to change.
 */
import { PaibanError, type ErrorLocation } from '../errors.ts';
import { exhaust } from './exhaust.ts';
import { Planner, type PlanInput } from './search.ts';

/** Evaluations the exhaustive search may spend (about a second on the unit tests' dockets). */
export const EXHAUST_BUDGET = 20_000;

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
  // A small docket: every way to share it among the pages, within a budget.
  const planner = new Planner({ ...input, jumps: false });
  const every = exhaust(planner, EXHAUST_BUDGET);
  if (every) return { planner, ...every };
  for (const f of [found, whole]) if (f && !unfilled(f).length) return f;
  const empty = unfilled(found);
  const most = pagesOfText(input);
  const short = most < input.pages.length ? ` (the docket's stories, set as loosely as copyfit allows, fill about ${(Math.floor(most * 10) / 10).toFixed(1)} of the ${input.pages.length} pages)` : '';
  throw new PaibanError('EditionInvalid', `no plan fills every page of the budget within the rules: ${empty.length === 1 ? 'page' : 'pages'} ${empty.join(', ')} could not be filled${short}`, {
    where,
    hint: most < input.pages.length
      ? `add stories to the docket, or lower plan: pages to ${Math.max(1, Math.floor(most))} or fewer (docs/planning.md)`
      : 'add stories to the docket or lower plan: pages; or set jump: false on a story longer than a page, or loosen its pins or sections (docs/planning.md)',
  });
}

/** How many inside pages the whole docket fills at most: each story at its deepest, at the width where it is largest. */
export function pagesOfText(input: PlanInput): number {
  const frame = input.frames[input.frames.length - 1]!;
  const pitch = frame.row + frame.gap;
  let area = 0;
  for (const ms of input.measures) {
    area += Math.max(0, ...ms.filter((m) => !m.lead).map((m) => m.columns * Math.ceil((m.max ?? m.natural) / pitch)));
  }
  return area / (frame.rows * frame.columns);
}
