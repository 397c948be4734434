/**
 * The last resort for a small docket (solve.ts): when the greedy start and the local search find no
 * plan that fills every page within the rules, every way to share the stories among the pages (or
 * hold them over) is tried, pages in order, within a budget of evaluations: the best plan that
 * keeps every rule, or none. Nothing continues on another page. A page takes a set of stories only
 * when their least and greatest areas (columns × rows over the widths they may take there) bracket
 * the page's area, which prunes most sets before any is packed.
 */
import { areaRange } from './items.ts';
import type { Story } from './model.ts';
import type { Planner, State } from './search.ts';

export interface Exhausted {
  state: State;
  evaluated: ReturnType<Planner['evaluate']>;
}

/** The best plan of every sharing tried (undefined: none keeps the rules, or the budget ran out first). */
export function exhaust(planner: Planner, budget: number): Exhausted | undefined {
  const { stories, pages, frames, measures, limits, lead } = planner.input;
  const sorted = [...stories].sort((a, b) => a.priority - b.priority || a.index - b.index);
  const start = planner.evaluations;
  const spent = () => planner.evaluations - start >= budget;
  // Each story's least and greatest area on each page, whole, with no rule above it (the loosest).
  const areas = pages.map((_, p) => stories.map((st) => areaRange(measures[st.index]!, frames[p]!, limits)));
  let best: Exhausted | undefined;
  const n = stories.length;
  const page = (s: State, p: number): void => {
    if (p > pages.length) {
      const e = planner.evaluate(s);
      if (e.ok && (!best || e.score > best.evaluated.score)) best = { state: { at: [...s.at], rest: [...s.rest] }, evaluated: e };
      return;
    }
    const area = frames[p - 1]!.rows * frames[p - 1]!.columns;
    const forced = sorted.filter((st) => !s.at[st.index] && (st.pin?.page === p || (p === 1 && st.index === lead)));
    const free = sorted.filter((st) => !s.at[st.index] && !forced.includes(st) && planner.allowed(st, p) && areas[p - 1]![st.index]);
    if (forced.some((st) => !areas[p - 1]![st.index])) return;
    const lo0 = forced.reduce((a, st) => a + areas[p - 1]![st.index]![0], 0);
    const hi0 = forced.reduce((a, st) => a + areas[p - 1]![st.index]![1], 0);
    // What the free stories from i on could still add at most.
    const rest = free.map((_, i) => free.slice(i).reduce((a, st) => a + areas[p - 1]![st.index]![1], 0));
    const chosen: Story[] = [];
    const choose = (i: number, lo: number, hi: number): void => {
      if (spent() || lo > area || hi + (rest[i] ?? 0) < area) return;
      if (i === free.length) {
        if (hi < area) return;
        const t: State = { at: [...s.at], rest: new Array<number>(n).fill(0) };
        for (const st of [...forced, ...chosen]) t.at[st.index] = p;
        if (planner.evaluatePrefix(t, p) !== undefined) page(t, p + 1);
        return;
      }
      const st = free[i]!;
      const [a, b] = areas[p - 1]![st.index]!;
      chosen.push(st);
      choose(i + 1, lo + a, hi + b);
      chosen.pop();
      choose(i + 1, lo, hi);
    };
    choose(0, lo0, hi0);
  };
  page({ at: new Array<number>(n).fill(0), rest: new Array<number>(n).fill(0) }, 1);
  return best;
}
