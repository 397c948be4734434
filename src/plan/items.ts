/**
 * From measured depths (CSS px, measure.ts) to rows on a page's grid: what each story may take at
 * each width on that page, whole, as the first part of a jump, or as the rest of one.
 *
 * - Whole: the rows whose depth lies in the story's measured range [min, max] at that width, and no
 *   fewer than the template allows for the width (planning.minRows, rowsPerColumn × columns).
 * - First part of a jump: set as it is (no copyfit, photos at their proportions, cut at the slot's
 *   foot: never underset), deep enough for its head, photos and a few lines with the jump line, and
 *   short enough to leave a real rest.
 * - Rest: the text the first part leaves, at the rest's width, under its continued headline and
 *   jump line: estimated from the depth per character measured at each width (the check before
 *   printing measures the real rest and moves rows: verify.ts).
 */
import type { Frame, Measure, Story } from './model.ts';
import { rowsBetween, rowsDepth } from './model.ts';
import { REST_PRIORITY, WEIGHT, type Item } from './pack.ts';
import { COPYFIT } from '../layout/fit.ts';

export interface Limits {
  minRows: number;
  rowsPerColumn: number;
  /** Underset allows this many lines empty at a slot's foot (report.ts). */
  underLines: number;
  /** The widths a story may take (grid columns). */
  widths: number[];
}

/** Lines a first part keeps at least, and leaves at least for its rest. */
export const JUMP_LINES = { first: 8, rest: 10 };

/** The continued headline over a rest (styles: 16pt, 1.25 leading) and the space under a head (3.5 mm), CSS px. */
const CONTINUED = { title: (16 * 1.25 * 96) / 72, gap: (3.5 * 96) / 25.4, em: (16 * 96) / 72 };

export function minRowsFor(columns: number, l: Pick<Limits, 'minRows' | 'rowsPerColumn'>): number {
  return Math.max(l.minRows, Math.ceil(l.rowsPerColumn * columns));
}

/** Rows within the template's least rows for the width and the grid. */
export function clipRows(r: [number, number] | undefined, columns: number, frame: Frame, l: Pick<Limits, 'minRows' | 'rowsPerColumn'>): [number, number] | undefined {
  if (!r) return undefined;
  const lo = Math.max(r[0], minRowsFor(columns, l));
  const hi = Math.min(r[1], frame.rows);
  return lo <= hi ? [lo, hi] : undefined;
}

/** Rows a story may take whole at each width on this frame (index = columns), under a rule (`ruled`: a slot above it) or not. */
export function wholeRanges(ms: Measure[], frame: Frame, l: Limits, lead: boolean, ruled = true): ([number, number] | undefined)[] {
  const out: ([number, number] | undefined)[] = [];
  for (const m of ms) {
    if (m.lead !== lead || !l.widths.includes(m.columns) || m.min === undefined || m.max === undefined) continue;
    out[m.columns] = clipRows(rowsBetween(frame, m.min, m.max, ruled), m.columns, frame, l);
  }
  return out;
}

/**
 * A whole story's least and greatest area on a frame, in cells (columns × rows, over the widths it
 * may take, at the top of a page); undefined when it fits no width whole.
 */
export function areaRange(ms: Measure[], frame: Frame, l: Limits): [number, number] | undefined {
  const rs = wholeRanges(ms, frame, l, false, false).flatMap((r, w) => (r ? [[w * r[0], w * r[1]] as const] : []));
  return rs.length ? [Math.min(...rs.map((r) => r[0])), Math.max(...rs.map((r) => r[1]))] : undefined;
}

/** Rows the first part of a jump may take at each width: its head and photos and a few lines, leaving a real rest. */
export function firstRanges(ms: Measure[], frame: Frame, l: Limits, ruled = true): ([number, number] | undefined)[] {
  const out: ([number, number] | undefined)[] = [];
  for (const m of ms) {
    if (m.lead || !l.widths.includes(m.columns)) continue;
    const lo = m.head + (JUMP_LINES.first + 1) * m.line;
    const hi = m.natural - JUMP_LINES.rest * m.line;
    out[m.columns] = clipRows(rowsBetween(frame, lo, hi, ruled), m.columns, frame, l);
  }
  return out;
}

/** The share of the story's text a first part of `rows` rows at `columns` holds (by depth as set). */
export function firstShare(ms: Measure[], columns: number, rows: number, frame: Frame, ruled: boolean): number {
  const m = ms.find((x) => x.columns === columns && !x.lead);
  if (!m || !(m.body > 0)) return 0;
  return Math.max(0, Math.min(1, (rowsDepth(frame, rows, ruled) - m.head - m.line) / m.body));
}

/**
 * Rows the rest of a jump may take at each width, when its first part held `share` of the text:
 * its continued headline and jump line, and its text copyfit like a whole story's (leading within
 * ±COPYFIT.leading), from a quarter line under its tightest depth to a line under its loosest.
 */
export function restRanges(ms: Measure[], share: number, titleChars: number, frame: Frame, l: Limits, ruled = true): ([number, number] | undefined)[] {
  const out: ([number, number] | undefined)[] = [];
  for (const m of ms) {
    if (m.lead || !l.widths.includes(m.columns) || !(m.body > 0)) continue;
    const width = m.columns * frame.column + (m.columns - 1) * frame.gutter;
    const titleLines = Math.max(1, Math.ceil((titleChars * CONTINUED.em) / Math.max(1, width)));
    const head = titleLines * CONTINUED.title + CONTINUED.gap + m.line;
    const text = (1 - share) * m.body;
    const lo = head + text * (1 - COPYFIT.leading) + m.line / 4;
    const hi = head + text * (1 + COPYFIT.leading) + m.line;
    out[m.columns] = clipRows(rowsBetween(frame, lo, hi, ruled), m.columns, frame, l);
  }
  return out;
}

type Ranges = ([number, number] | undefined)[];

/** An item for the packer: a story whole (or the first part of its jump) with its ranges on a page, under a rule and at the top. */
export function storyItem(s: Story, part: 'whole' | 'first', ranges: { ruled: Ranges; top: Ranges }, leadRanges?: Ranges, leads = false): Item {
  return { story: s.index, part, priority: s.priority, order: s.index, weight: WEIGHT[s.priority] ?? 1, ranges: ranges.ruled, top: ranges.top, ...(leadRanges ? { leadRanges } : {}), ...(leads ? { leads } : {}) };
}

export function restItem(s: Story, ranges: { ruled: Ranges; top: Ranges }): Item {
  return { story: s.index, part: 'rest', priority: REST_PRIORITY, order: s.index, weight: 0, ranges: ranges.ruled, top: ranges.top };
}
