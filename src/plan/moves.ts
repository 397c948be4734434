/**
 * The local search's moves (search.ts, improve): from a state, in a fixed order, the states one
 * step away: place a held story (or swap it for a less important one on that page), move a story to
 * another page or swap two across pages, continue a long story on a later page, take a jump back.
 */
import type { Story } from './model.ts';

/** Where each story is: its page (0: held over), and the page its rest continues on (0: none). */
export interface State {
  at: number[];
  rest: number[];
}

/** What the moves ask of the planner. */
export interface MoveRules {
  /** Whether a story may go on page p (its section, its pin). */
  allowed(st: Story, p: number): boolean;
  /** Stories that may continue on a later page. */
  readonly jumpers: ReadonlySet<number>;
  /** The story that leads page 1 (it stays there). */
  readonly lead: number;
}

/** The moves from s, in a fixed order: place a held story, move one, swap two, continue one, take a jump back. */
export function* moves(s: State, movers: Story[], stories: Story[], pages: number, planner: MoveRules): Generator<State> {
  const copy = (): State => ({ at: [...s.at], rest: [...s.rest] });
  for (const a of movers) {
    const i = a.index;
    if (!s.at[i]) {
      for (let p = 1; p <= pages; p++) {
        if (!planner.allowed(a, p)) continue;
        const t = copy();
        t.at[i] = p;
        yield t;
        // Held for a less important placed story: swap them.
        for (const b of stories) {
          if (s.at[b.index] === p && !s.rest[b.index] && b.priority >= a.priority && !b.pin && !(p === 1 && b.index === planner.lead)) {
            const u = copy();
            u.at[i] = p;
            u.at[b.index] = 0;
            yield u;
          }
        }
      }
      continue;
    }
    if (a.pin || i === planner.lead) continue;
    for (let p = 1; p <= pages; p++) {
      if (p === s.at[i] || !planner.allowed(a, p)) continue;
      const t = copy();
      t.at[i] = p;
      if (t.rest[i] && t.rest[i]! <= p) t.rest[i] = 0;
      yield t;
      for (const b of stories) {
        if (s.at[b.index] !== p || b.pin || b.index === planner.lead || s.rest[b.index] || !planner.allowed(b, s.at[i]!)) continue;
        const u = copy();
        u.at[i] = p;
        u.at[b.index] = s.at[i]!;
        u.rest[i] = 0;
        yield u;
      }
    }
    if (planner.jumpers.has(i)) {
      if (s.rest[i]) {
        const t = copy();
        t.rest[i] = 0;
        yield t;
      }
      for (let q = s.at[i]! + 1; q <= pages; q++) {
        if (q === s.rest[i]) continue;
        const t = copy();
        t.rest[i] = q;
        yield t;
      }
    }
  }
}
