/**
 * Packing one page: given the stories (or parts of stories) that go on it and each one's rows at
 * each width (its measured range on this page's grid), find bands, stacks and rows that fill the
 * page to its foot, every story within its range, priority descending down the page. Pure and
 * deterministic; a node budget bounds the search.
 *
 * A page is bands across it, one under the other; a band is cut into stacks (a split of the grid's
 * columns, from the template's planning.splits); a stack holds stories one under the other. The
 * positions of a band are taken in reading order, row by row (the top story of each stack left to
 * right, then the second story of each, …): stories are assigned to them by priority (most important
 * first; ties in any order the search likes), so nothing sits under a less important story. The page
 * is full when every stack's stories add up to its band's rows and the bands to the grid's rows;
 * ranges are intervals, so this is interval arithmetic, and the area of the page (columns × rows)
 * bounds the search: the stories' areas must add up to it exactly.
 */
import type { Band, Part, Stack } from './model.ts';

/** A story (or part of one) to place, with its rows at each width on this page. */
export interface Item {
  story: number;
  part: Part;
  /** Ordering: priority (1 first), then docket order; a story's rest (REST_PRIORITY) comes after every story. */
  priority: number;
  order: number;
  /** Placement weight (from its priority), for prominence. */
  weight: number;
  /** Rows it may take at each width (index = columns) under another story (a rule above it); undefined: not at that width. */
  ranges: ([number, number] | undefined)[];
  /** The same at the top of the page (no rule above it); default `ranges`. */
  top?: ([number, number] | undefined)[];
  /** Page 1's lead: its ranges with the lead headline, at the lead's position (the top). */
  leadRanges?: ([number, number] | undefined)[];
  /** Must take the page's lead position (band 1, first stack, top). */
  leads?: boolean;
  /** Pinned to a slot's width and depth (its ranges are that slot's). */
  pinned?: boolean;
}

export interface PackOptions {
  rows: number;
  columns: number;
  splits: number[][];
  maxBands: number;
  maxStack: number;
  /** Nodes the search may visit (deterministic bound). */
  budget: number;
  /** The lead's least width in columns (page 1: at least half the page, under the largest headline). */
  leadMin?: number;
}

export interface PackedPiece {
  item: Item;
  columns: number;
  rows: number;
  range: [number, number];
  lead: boolean;
  /** At the top of the page (no story, and no rule, above it). */
  top: boolean;
}

export interface PackResult {
  bands: { rows: number; stacks: { columns: number; pieces: PackedPiece[] }[] }[];
  score: number;
  nodes: number;
}

/** The ordering priority of a continued story's rest: under every story of its page. */
export const REST_PRIORITY = 9;

/** Weight of a story by priority: placing one more important story outweighs several less important ones. */
export const WEIGHT = [0, 1000, 400, 160, 60, 20] as const;

interface Pos {
  stack: number;
  level: number;
}

interface BandShape {
  split: number[];
  counts: number[];
  positions: Pos[];
}

/** Every band shape: a split and how many stories each stack holds; positions in reading order. */
export function bandShapes(opts: Pick<PackOptions, 'splits' | 'maxStack'>): BandShape[] {
  const shapes: BandShape[] = [];
  for (const split of opts.splits) {
    const counts = split.map(() => 1);
    for (;;) {
      const positions: Pos[] = [];
      for (let level = 0; level < Math.max(...counts); level++) {
        split.forEach((_, stack) => {
          if (counts[stack]! > level) positions.push({ stack, level });
        });
      }
      shapes.push({ split, counts: [...counts], positions });
      let i = 0;
      while (i < counts.length && counts[i] === opts.maxStack) counts[i++] = 1;
      if (i === counts.length) break;
      counts[i]!++;
    }
  }
  // Fewer stories first, then the template's order of splits.
  return shapes.sort((a, b) => a.positions.length - b.positions.length);
}

const shapeCache = new Map<string, BandShape[]>();

function shapesFor(opts: PackOptions): BandShape[] {
  const key = JSON.stringify([opts.splits, opts.maxStack]);
  let s = shapeCache.get(key);
  if (!s) shapeCache.set(key, (s = bandShapes(opts)));
  return s;
}

const byOrder = (a: Item, b: Item) => a.priority - b.priority || a.order - b.order;

/**
 * The best full page for these items, or undefined when none was found within the budget. Every
 * item is placed; the lead (an item with `leads`, else the first by priority) takes the top left.
 */
export function pack(items: Item[], opts: PackOptions): PackResult | undefined {
  if (!items.length) return undefined;
  const sorted = [...items].sort((a, b) => Number(!!b.leads) - Number(!!a.leads) || byOrder(a, b));
  const area = opts.rows * opts.columns;
  const all = (it: Item) => [...it.ranges.entries(), ...(it.top ?? []).entries(), ...(it.leadRanges ?? []).entries()];
  const minArea = sorted.map((it) => Math.min(...all(it).flatMap(([w, r]) => (r ? [w * r[0]] : []))));
  const maxArea = sorted.map((it) => Math.max(...all(it).flatMap(([w, r]) => (r ? [w * r[1]] : []))));
  if (minArea.some((a) => !Number.isFinite(a)) || sum(minArea) > area || sum(maxArea) < area) return undefined;
  const shapes = shapesFor(opts);
  const state = { nodes: 0, best: undefined as PackResult | undefined };
  const used = sorted.map(() => false);
  const bands: { shape: BandShape; items: Item[]; lo: number; hi: number }[] = [];

  // Area of the items not yet placed, low and high.
  const remaining = () => {
    let lo = 0;
    let hi = 0;
    used.forEach((u, i) => {
      if (!u) {
        lo += minArea[i]!;
        hi += maxArea[i]!;
      }
    });
    return [lo, hi] as const;
  };

  const recurse = (rowsLo: number, rowsHi: number): void => {
    if (state.nodes > opts.budget) return;
    const left = used.filter((u) => !u).length;
    if (left === 0) {
      if (rowsLo <= opts.rows && rowsHi >= opts.rows) finish();
      return;
    }
    if (bands.length === opts.maxBands) return;
    const [remLo, remHi] = remaining();
    // Rows already taken leave the rest of the page to the items left: their areas must cover it.
    if (remLo > (opts.rows - rowsLo) * opts.columns || remHi < (opts.rows - rowsHi) * opts.columns) return;
    for (const shape of shapes) {
      if (shape.positions.length > left) break;
      // The lead's stack is the widest of the first band (and wide enough on page 1).
      if (bands.length === 0 && (shape.split[0]! < Math.max(...shape.split) || shape.split[0]! < (opts.leadMin ?? 0))) continue;
      const last = bands.length === opts.maxBands - 1;
      if (last && shape.positions.length !== left) continue;
      assign(shape, 0, [], rowsLo, rowsHi);
      if (state.nodes > opts.budget) return;
    }
  };

  // Items to the band's positions in reading order: the next by priority, any of a tie.
  const assign = (shape: BandShape, at: number, chosen: Item[], rowsLo: number, rowsHi: number): void => {
    state.nodes++;
    if (state.nodes > opts.budget) return;
    if (at === shape.positions.length) {
      const iv = bandInterval(shape, chosen, bands.length === 0);
      if (!iv) return;
      const lo = Math.max(iv[0], 1);
      if (rowsLo + lo > opts.rows || iv[1] < lo) return;
      bands.push({ shape, items: chosen, lo, hi: iv[1] });
      recurse(rowsLo + lo, rowsHi + iv[1]);
      bands.pop();
      return;
    }
    const first = used.indexOf(false);
    if (first < 0) return;
    const head = sorted[first]!;
    for (let i = first; i < sorted.length; i++) {
      if (used[i]) continue;
      const it = sorted[i]!;
      // The lead goes first; then by priority, ties in any order.
      if (i !== first && (head.leads || byTie(it, head) !== 0)) break;
      const pos = shape.positions[at]!;
      const width = shape.split[pos.stack]!;
      const isLead = bands.length === 0 && at === 0;
      const r = rangeOf(it, width, isLead, bands.length === 0 && pos.level === 0);
      if (!r) continue;
      used[i] = true;
      chosen.push(it);
      assign(shape, at + 1, chosen, rowsLo, rowsHi);
      chosen.pop();
      used[i] = false;
      if (state.nodes > opts.budget) return;
    }
  };

  const finish = () => {
    const result = allocate(bands, opts.rows);
    if (!result) return;
    const score = scorePage(result);
    if (!state.best || score > state.best.score) state.best = { bands: result, score, nodes: 0 };
  };

  recurse(0, 0);
  if (state.best) state.best.nodes = state.nodes;
  return state.best;
}

/** Items of equal standing for the order: the same priority. */
function byTie(a: Item, b: Item): number {
  return a.priority - b.priority;
}

/** An item's rows at a width: at the page's lead position, at the top of the page, or under another story. */
function rangeOf(it: Item, width: number, isLead: boolean, top: boolean): [number, number] | undefined {
  if (isLead && it.leadRanges) return it.leadRanges[width];
  return top && it.top ? it.top[width] : it.ranges[width];
}

/** The rows a band may take: every stack's items must add up to them. */
function bandInterval(shape: BandShape, items: Item[], first: boolean): [number, number] | undefined {
  let lo = 0;
  let hi = Infinity;
  for (let s = 0; s < shape.split.length; s++) {
    let slo = 0;
    let shi = 0;
    shape.positions.forEach((p, i) => {
      if (p.stack !== s) return;
      const r = rangeOf(items[i]!, shape.split[s]!, first && i === 0, first && p.level === 0)!;
      slo += r[0];
      shi += r[1];
    });
    lo = Math.max(lo, slo);
    hi = Math.min(hi, shi);
  }
  return lo <= hi ? [lo, hi] : undefined;
}

/**
 * Rows for every band and piece: the page's rows shared out over the bands within their ranges,
 * then each band's rows over each stack's pieces, each in proportion to its slack (so every piece
 * sits as near the middle of its range as the others allow). Largest remainders, in order.
 */
function allocate(bands: { shape: BandShape; items: Item[]; lo: number; hi: number }[], rows: number): PackResult['bands'] | undefined {
  const bandRows = share(rows, bands.map((b) => [b.lo, b.hi] as [number, number]));
  if (!bandRows) return undefined;
  const out: PackResult['bands'] = [];
  for (const [bi, b] of bands.entries()) {
    const stacks: PackResult['bands'][number]['stacks'] = b.shape.split.map((columns) => ({ columns, pieces: [] }));
    for (let s = 0; s < b.shape.split.length; s++) {
      const idx = b.shape.positions.flatMap((p, i) => (p.stack === s ? [i] : []));
      const ranges = idx.map((i) => rangeOf(b.items[i]!, b.shape.split[s]!, bi === 0 && i === 0, bi === 0 && b.shape.positions[i]!.level === 0)!);
      const got = share(bandRows[bi]!, ranges);
      if (!got) return undefined;
      idx.forEach((i, k) => stacks[s]!.pieces.push({ item: b.items[i]!, columns: b.shape.split[s]!, rows: got[k]!, range: ranges[k]!, lead: bi === 0 && i === 0, top: bi === 0 && b.shape.positions[i]!.level === 0 }));
    }
    out.push({ rows: bandRows[bi]!, stacks });
  }
  return out;
}

/** `total` as a sum of one value per range, each within its range, slack shared in proportion. */
export function share(total: number, ranges: [number, number][]): number[] | undefined {
  const lo = sum(ranges.map((r) => r[0]));
  const hi = sum(ranges.map((r) => r[1]));
  if (total < lo || total > hi) return undefined;
  const slack = hi - lo;
  const extra = total - lo;
  const exact = ranges.map((r) => (slack ? ((r[1] - r[0]) * extra) / slack : 0));
  const out = ranges.map((r, i) => r[0] + Math.floor(exact[i]!));
  let left = total - sum(out);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    if (out[i]! < ranges[i]![1]) {
      out[i]!++;
      left--;
    }
  }
  return left === 0 ? out : undefined;
}

/**
 * A page's own score (its items are given): the important stories wide (a bigger headline), each
 * piece near the middle of its range (the fit has room both ways), the more important of two
 * stories not narrower than the other, fewer bands.
 */
export function scorePage(bands: PackResult['bands']): number {
  const pieces = bands.flatMap((b) => b.stacks.flatMap((s) => s.pieces));
  let score = 0;
  for (const p of pieces) {
    if (p.item.part === 'rest') continue;
    score += 0.03 * p.item.weight * (p.columns / 8);
    const half = (p.range[1] - p.range[0]) / 2;
    const off = half > 0 ? Math.abs(p.rows - (p.range[0] + half)) / half : 0;
    score -= 2 * off * off;
  }
  for (const a of pieces) {
    for (const b of pieces) {
      if (a.item.part !== 'rest' && b.item.part !== 'rest' && a.item.priority < b.item.priority && a.columns < b.columns) score -= 0.02 * (a.item.weight - b.item.weight);
    }
  }
  return score - 3 * bands.length;
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

/** The packed page as the plan's bands (pieces by story and part). */
export function toBands(r: PackResult): Band[] {
  return r.bands.map((b) => ({
    rows: b.rows,
    stacks: b.stacks.map((s): Stack => ({ columns: s.columns, pieces: s.pieces.map((p) => ({ story: p.item.story, part: p.item.part, rows: p.rows, range: p.range })) })),
  }));
}
