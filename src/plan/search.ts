/**
 * Planning the edition: which stories go on which page (or are held over, 留稿), which continue on
 * a later page, and how each page is cut (pack.ts). A greedy start fills the pages in order with the
 * most important stories that pack into a full page; a local search then tries moves (place a held
 * story, move or swap stories between pages and the held list, continue a long story on a later
 * page or take its jump back) and keeps each that raises the score, until none does or the budget
 * of evaluations is spent. Everything is in a fixed order: the same docket gives the same plan.
 *
 * The score: the placed stories' weights by priority (WEIGHT), minus a cost per jump, plus each
 * page's own score (prominence of the important stories, pieces near the middle of their ranges),
 * minus a little for each pair of stories out of priority order across pages. Hard rules are not
 * scored: a state that breaks one is never taken (rules.ts).
 */
import { rowsBetween, rowsDepth, type Frame, type Measure, type Plan, type PlannedPage, type Story } from './model.ts';
import { areaRange, clipRows, firstRanges, firstShare, restItem, restRanges, storyItem, wholeRanges, type Limits } from './items.ts';
import { pack, toBands, WEIGHT, type Item, type PackOptions, type PackResult } from './pack.ts';
import { moves, type MoveRules, type State } from './moves.ts';
import { holdReason, planViolations, stateViolations, type PageRule } from './rules.ts';

export interface PlanInput {
  stories: Story[];
  /** Measures by story index. */
  measures: Measure[][];
  /** The frame (grid) of each page, by page index. */
  frames: Frame[];
  pages: PageRule[];
  limits: Limits;
  pack: Pick<PackOptions, 'splits' | 'maxBands' | 'maxStack' | 'budget'>;
  jumps: boolean;
  /** The story that leads page 1. */
  lead: number;
  /** Evaluations the local search may spend. */
  moves: number;
}

/** A cost per continued story, in the weights' units: a jump must place something worth more than a priority 3 story. */
export const JUMP_COST = 200;
/** A cost per pair of stories out of priority order across pages, per step of priority. */
export const ORDER_COST = 20;

export type { State } from './moves.ts';

interface Evaluated {
  ok: boolean;
  score: number;
  packed: (PackResult | undefined)[];
}

export class Planner implements MoveRules {
  private readonly cache = new Map<string, PackResult | null>();
  /** Rests measured where they stood, by story, first part's columns and rows: depth range (px) by the rest's columns. */
  private readonly rests = new Map<string, Map<number, [number, number]>>();
  evaluations = 0;
  packs = 0;

  /** Stories no page could take at all (the hold-over rule does not count them). */
  readonly unplaceable: Set<number>;

  /** Stories that may continue on a later page: long ones (half a page deep at half its width, as set) that may jump. */
  readonly jumpers: Set<number>;

  /** The story that leads page 1. */
  get lead(): number {
    return this.input.lead;
  }

  constructor(readonly input: PlanInput) {
    const inside = input.frames[input.frames.length - 1]!;
    const half = rowsDepth(inside, inside.rows, false) / 2;
    const atHalfWidth = (ms: Measure[]) => ms.filter((m) => !m.lead && m.columns <= inside.columns / 2).sort((a, b) => b.columns - a.columns)[0];
    this.jumpers = new Set(input.stories.filter((st) => input.jumps && st.jump && (atHalfWidth(input.measures[st.index]!)?.natural ?? 0) >= half).map((st) => st.index));
    this.unplaceable = new Set(
      input.stories
        .filter((st) => !input.pages.some((_, p) => this.allowed(st, p + 1) && (wholeRanges(input.measures[st.index]!, input.frames[p]!, input.limits, false).some(Boolean) || (this.jumpers.has(st.index) && p + 1 < input.pages.length && firstRanges(input.measures[st.index]!, input.frames[p]!, input.limits).some(Boolean)))))
        .map((st) => st.index),
    );
  }

  /** Items of page p (1-based) in state s, given the pages before it as packed. */
  private items(s: State, p: number, packed: (PackResult | undefined)[]): Item[] | undefined {
    const { stories, measures, frames, limits } = this.input;
    const frame = frames[p - 1]!;
    const items: Item[] = [];
    for (const st of stories) {
      const i = st.index;
      if (s.at[i] === p) {
        const leads = (p === 1 && i === this.input.lead) || (st.pin?.page === p && st.pin.slot === 'lead');
        const lead1 = p === 1 && i === this.input.lead;
        const ms = measures[i]!;
        const item = s.rest[i]
          ? storyItem(st, 'first', { ruled: firstRanges(ms, frame, limits, true), top: firstRanges(ms, frame, limits, false) }, undefined, leads)
          : storyItem(st, 'whole', { ruled: wholeRanges(ms, frame, limits, false, true), top: wholeRanges(ms, frame, limits, false, false) }, lead1 ? wholeRanges(ms, frame, limits, true, false) : undefined, leads);
        items.push(st.pin?.columns ? pinned(item, st.pin.columns, st.pin.rows!) : item);
      }
      if (s.rest[i] === p) {
        const from = packed[s.at[i]! - 1];
        const piece = from?.bands.flatMap((b) => b.stacks.flatMap((x) => x.pieces)).find((x) => x.item.story === i && x.item.part === 'first');
        if (!piece) return undefined;
        const share = firstShare(measures[i]!, piece.columns, piece.rows, frames[s.at[i]! - 1]!, !piece.top);
        const ranges = { ruled: restRanges(measures[i]!, share, st.title.length, frame, limits, true), top: restRanges(measures[i]!, share, st.title.length, frame, limits, false) };
        // A rest measured where it stood (the check before printing), for this first part.
        for (const [w, o] of this.rests.get(`${i}:${piece.columns}:${piece.rows}`) ?? []) {
          ranges.ruled[w] = clipRows(rowsBetween(frame, o[0], o[1], true), w, frame, limits);
          ranges.top[w] = clipRows(rowsBetween(frame, o[0], o[1], false), w, frame, limits);
        }
        items.push(restItem(st, ranges));
      }
    }
    return items;
  }

  private packPage(p: number, items: Item[]): PackResult | undefined {
    const key = `${p}|${items.map((it) => `${it.story}:${it.part}:${it.leads ? 'L' : ''}:${it.part === 'rest' || it.pinned ? JSON.stringify([it.ranges, it.top]) : ''}`).sort().join(';')}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit ?? undefined;
    this.packs++;
    const f = this.input.frames[p - 1]!;
    const r = items.length ? pack(items, { ...this.input.pack, rows: f.rows, columns: f.columns, leadMin: p === 1 ? Math.ceil(f.columns / 2) : 0 }) : undefined;
    this.cache.set(key, r ?? null);
    return r;
  }

  /**
   * A state's score; a state that breaks rules or leaves pages unpacked scores below every valid
   * one, the fewer problems the higher (so the search can climb out of it), never taken as the plan.
   */
  evaluate(s: State): Evaluated {
    this.evaluations++;
    const packed: (PackResult | undefined)[] = [];
    let problems = stateViolations(s, { ...this.input, unplaceable: this.unplaceable }).length;
    for (let p = 1; p <= this.input.pages.length; p++) {
      const items = this.items(s, p, packed);
      const r = items && items.length ? this.packPage(p, items) : undefined;
      packed.push(r);
      if (!r) problems++;
    }
    return { ok: problems === 0, score: problems ? -1e9 * problems + this.score(s, packed) * 1e-3 : this.score(s, packed), packed };
  }

  score(s: State, packed: (PackResult | undefined)[]): number {
    const { stories } = this.input;
    let score = 0;
    for (const st of stories) {
      if (s.at[st.index]) score += WEIGHT[st.priority] ?? 0;
      if (s.rest[st.index]) score -= JUMP_COST;
    }
    for (const r of packed) score += r?.score ?? 0;
    // Priority descends through the edition: each pair out of order costs a little.
    for (const a of stories) {
      for (const b of stories) {
        const pa = s.at[a.index]!;
        const pb = s.at[b.index]!;
        if (pa && pb && pa < pb && b.priority < a.priority) score -= ORDER_COST * (a.priority - b.priority);
      }
    }
    return score;
  }

  /** The greedy start: pages in order, each with the most important stories that pack it full. */
  greedy(): State {
    const n = this.input.stories.length;
    const s: State = { at: new Array<number>(n).fill(0), rest: new Array<number>(n).fill(0) };
    const sorted = [...this.input.stories].sort((a, b) => a.priority - b.priority || a.index - b.index);
    for (let p = 1; p <= this.input.pages.length; p++) {
      const best = this.fillPage(s, p, sorted);
      if (best) {
        s.at = best.at;
        s.rest = best.rest;
      }
    }
    return s;
  }

  /** The best set of stories for page p on top of state s (earlier pages fixed), by weight and page score. */
  private fillPage(s: State, p: number, sorted: Story[], jumps = this.input.jumps): State | undefined {
    const pageCount = this.input.pages.length;
    const eligible = sorted.filter((st) => !s.at[st.index] && this.allowed(st, p) && (!st.pin || st.pin.page === p));
    const forced = eligible.filter((st) => st.pin?.page === p || (p === 1 && st.index === this.input.lead));
    const free = eligible.filter((st) => !forced.includes(st));
    const area = this.input.frames[p - 1]!.rows * this.input.frames[p - 1]!.columns;
    const minArea = (st: Story) => areaRange(this.input.measures[st.index]!, this.input.frames[p - 1]!, this.input.limits)?.[0] ?? Infinity;
    const candidates: Story[][] = [];
    // Prefixes of the free stories (by priority) that could fill the page, the largest first, and
    // each with one of its last stories swapped for one of the next (a better fit).
    // The rests owed to this page take their room first.
    const before: (PackResult | undefined)[] = [];
    for (let q = 1; q < p; q++) {
      const items = this.items(s, q, before);
      before.push(items?.length ? this.packPage(q, items) : undefined);
    }
    const rests = (this.items(s, p, before) ?? []).filter((it) => it.part === 'rest');
    let total = rests.reduce((a, it) => a + Math.min(...it.ranges.flatMap((r, w) => (r ? [w * r[0]] : [])), area), 0);
    total += forced.reduce((a, st) => a + (Number.isFinite(minArea(st)) ? minArea(st) : 0), 0);
    const prefix: Story[] = [];
    for (const st of free) {
      const a = minArea(st);
      if (!Number.isFinite(a)) continue;
      if (total + a > area) continue;
      prefix.push(st);
      total += a;
    }
    for (let k = prefix.length; k >= 0; k--) {
      const base = prefix.slice(0, k);
      candidates.push(base);
      const after = free.filter((st) => !base.includes(st)).slice(0, 6);
      for (let drop = Math.max(0, k - 3); drop < k; drop++) {
        for (const add of after) candidates.push([...base.slice(0, drop), ...base.slice(drop + 1), add]);
      }
      for (const add of after) candidates.push([...base, add]);
    }
    let best: { state: State; score: number } | undefined;
    const tryState = (t: State) => {
      const e = this.evaluatePrefix(t, p);
      if (e !== undefined && (!best || e > best.score)) best = { state: t, score: e };
    };
    // The hold-over rule as if this page were the last: a story left out is not two steps more
    // important than one taken (the search may still move them later); other sets only if none is.
    const fair = (set: Story[]) => {
      const skipped = free.filter((st) => !set.includes(st) && !this.unplaceable.has(st.index));
      const worst = Math.max(0, ...set.filter((st) => !st.pin).map((st) => st.priority));
      return !skipped.some((st) => worst >= st.priority + 2);
    };
    const ordered = [...candidates.filter(fair), ...candidates.filter((c) => !fair(c))];
    for (const set of ordered) {
      if (best && !fair(set) && candidates.some(fair)) break;
      const t: State = { at: [...s.at], rest: [...s.rest] };
      for (const st of [...forced, ...set]) t.at[st.index] = p;
      tryState(t);
      // A long story that fits no page whole, or the page's last story, continued on the next page
      // (if that page can still be filled with its rest).
      if (jumps && p < pageCount) {
        for (const st of [...forced, ...set].filter((x) => this.jumpers.has(x.index)).slice(-2)) {
          const j: State = { at: [...t.at], rest: [...t.rest] };
          j.rest[st.index] = p + 1;
          const score = this.evaluatePrefix(j, p);
          if (score !== undefined && (!best || score > best.score) && this.fillPage(j, p + 1, sorted, false)) best = { state: j, score };
        }
      }
    }
    return best?.state;
  }

  /**
   * State s with each page that does not pack filled again, pages in order: the page's whole
   * stories go back among the held ones, and the page takes the best set of those that packs, as
   * the greedy start chooses (its lead and pins kept, nothing continued). Undefined when a page
   * still does not pack.
   */
  refill(s: State): State | undefined {
    const sorted = [...this.input.stories].sort((a, b) => a.priority - b.priority || a.index - b.index);
    let t: State = { at: [...s.at], rest: [...s.rest] };
    for (let p = 1; p <= this.input.pages.length; p++) {
      // Refilling a page changes the rests it sends on: later pages are judged as they now stand.
      if (this.evaluate(t).packed[p - 1]) continue;
      const u: State = { at: [...t.at], rest: [...t.rest] };
      for (const st of this.input.stories) if (u.at[st.index] === p && !u.rest[st.index]) u.at[st.index] = 0;
      const filled = this.fillPage(u, p, sorted, false);
      if (!filled) return undefined;
      t = filled;
    }
    return t;
  }

  /** Score of the pages up to p (later pages ignored) when they all pack; undefined otherwise. */
  evaluatePrefix(s: State, p: number): number | undefined {
    this.evaluations++;
    const packed: (PackResult | undefined)[] = [];
    for (let q = 1; q <= p; q++) {
      const items = this.items(s, q, packed);
      const r = items && this.packPage(q, items);
      if (!r) return undefined;
      packed.push(r);
    }
    // Rests owed to later pages must fit a slot there at some width.
    const { measures, frames, limits } = this.input;
    for (const st of this.input.stories) {
      const q = s.rest[st.index]!;
      if (q <= p || s.at[st.index]! > p) continue;
      const first = packed[s.at[st.index]! - 1]!.bands.flatMap((b) => b.stacks.flatMap((x) => x.pieces)).find((x) => x.item.story === st.index)!;
      const share = firstShare(measures[st.index]!, first.columns, first.rows, frames[s.at[st.index]! - 1]!, !first.top);
      if (!restRanges(measures[st.index]!, share, st.title.length, frames[q - 1]!, limits, true).some(Boolean)) return undefined;
    }
    return this.score(s, packed);
  }

  /** Whether a story may go on page p: its section, its pin. */
  allowed(st: Story, p: number): boolean {
    const page = this.input.pages[p - 1]!;
    if (st.pin && st.pin.page !== p) return false;
    return !page.section || !st.section || page.section === st.section;
  }

  /** Local search from s: moves in a fixed order, the first that raises the score kept, until none does. */
  improve(start: State): { state: State; evaluated: Evaluated } {
    let state = start;
    let cur = this.evaluate(state);
    const stories = [...this.input.stories].sort((a, b) => a.priority - b.priority || a.index - b.index);
    const pages = this.input.pages.length;
    // Round the stories in order: a story with a move that raises the score is tried again, one
    // without passes to the next; a whole round without a kept move ends the search.
    let at = 0;
    for (let quiet = 0; quiet < stories.length && this.evaluations < this.input.moves; ) {
      const a = stories[at]!;
      let kept = false;
      for (const move of moves(state, [a], stories, pages, this)) {
        if (this.evaluations >= this.input.moves) break;
        const e = this.evaluate(move);
        if (e.score > cur.score + 1e-9) {
          state = move;
          cur = e;
          kept = true;
          break;
        }
      }
      quiet = kept ? 0 : quiet + 1;
      if (!kept) at = (at + 1) % stories.length;
    }
    return { state, evaluated: cur };
  }

  /** The whole search: greedy start, local search, the plan. */
  plan(): Plan {
    const start = this.greedy();
    const { state, evaluated } = this.improve(start);
    return this.toPlan(state, evaluated);
  }

  /** A story's depth range at a width, measured where it stood (the check before printing): the plan's pages pack with it from now on. */
  setMeasure(story: number, columns: number, lead: boolean, min: number, max: number): void {
    const m = this.input.measures[story]!.find((x) => x.columns === columns && x.lead === lead);
    if (m) Object.assign(m, { min, max, exact: true });
    this.cache.clear();
  }

  /** A rest's depth range at a width, measured where it stood, for the first part it was cut from. */
  setRest(story: number, first: { columns: number; rows: number }, columns: number, min: number, max: number): void {
    const key = `${story}:${first.columns}:${first.rows}`;
    this.rests.set(key, (this.rests.get(key) ?? new Map()).set(columns, [min, max]));
    this.cache.clear();
  }

  /** The hard rules a plan of this docket breaks (rules.ts). */
  violations(plan: Plan): string[] {
    return planViolations(plan, { ...this.input, unplaceable: this.unplaceable });
  }

  toPlan(s: State, e: Evaluated): Plan {
    const { stories, pages } = this.input;
    const planned: PlannedPage[] = pages.map((pg, i) => ({ number: i + 1, layout: pg.layout, ...(pg.section ? { section: pg.section } : {}), bands: e.packed[i] ? toBands(e.packed[i]!) : [] }));
    const held = stories.filter((st) => !s.at[st.index]).map((st) => ({ story: st.index, reason: holdReason(st, s, this.input) }));
    const jumps = stories.filter((st) => s.rest[st.index]).map((st) => ({ story: st.index, from: s.at[st.index]!, to: s.rest[st.index]! }));
    return { pages: planned, held, jumps, score: e.score };
  }
}

/** A story pinned to a slot of the current plan: that width and depth only, if its measures allow them. */
function pinned(item: Item, columns: number, rows: number): Item {
  const only = (rs: ([number, number] | undefined)[] | undefined) => {
    if (!rs) return rs;
    const r = rs[columns];
    const out: ([number, number] | undefined)[] = [];
    if (r && r[0] <= rows && rows <= r[1]) out[columns] = [rows, rows];
    return out;
  };
  return { ...item, pinned: true, ranges: only(item.ranges)!, ...(item.top ? { top: only(item.top) } : {}), ...(item.leadRanges ? { leadRanges: only(item.leadRanges) } : {}) };
}
