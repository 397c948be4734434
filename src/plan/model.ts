/**
 * The planner's model (src/plan/): stories of the docket with their measured depth ranges, page
 * frames, and a plan of pages cut into bands, stacks and pieces. Pure data, no I/O.
 */

/** A story of the docket, as the planner sees it. */
export interface Story {
  /** Position on the docket (0-based): ties of priority go to the story listed first. */
  index: number;
  id: string;
  file: string;
  title: string;
  /** 1 most important … 5. */
  priority: number;
  section?: string;
  /** Whether it may continue on a later page. */
  jump: boolean;
  /**
   * Pins from the docket: the page (1-based), and the slot: 'lead' (the page's lead story), or a
   * slot of the page's current plan, whose width and depth the story keeps.
   */
  pin?: { page: number; slot?: string; columns?: number; rows?: number };
  /** Wide photos above its text (they stay with it: they are part of its rectangle). */
  photos: number;
  /** Characters of its text. */
  chars: number;
}

/** A story's depth at one width, measured in Chromium (CSS px of the slot's height; probe-page.ts). */
export interface Measure {
  columns: number;
  /** Measured with the page's lead headline (page 1's lead slot). */
  lead: boolean;
  /** Bisected with the real fit (exact), or estimated from the tightest and loosest settings. */
  exact: boolean;
  /** Whole and filled between these depths; absent: not at this width. */
  min?: number;
  max?: number;
  /** Depth at the tightest setting and at the loosest (the estimate's basis). */
  tight: number;
  loose: number;
  /** Depth as set (no copyfit, photos at their proportions), the part of it above the text, and the text's. */
  natural: number;
  head: number;
  body: number;
  chars: number;
  line: number;
}

/**
 * A page's grid as laid out (CSS px): rows of `row` with `gap` between them (none since rows are
 * fine strips), columns of `column` with `gutter`; a slot under another gives `rule` at its top to
 * the rule between them (the template's rowGap), and every slot is fitted `slack` short of its foot.
 */
export interface Frame {
  row: number;
  gap: number;
  rows: number;
  columns: number;
  column: number;
  gutter: number;
  rule: number;
  slack: number;
}

/** What the slot pass leaves at the foot of every slot (src/layout/slots.ts, its `slack` default). */
export const SLOT_SLACK = 2;

/** The depth a story has in `k` rows of a frame (px): its slot's, less the rule above it (`ruled`) and the slack. */
export function rowsDepth(f: Frame, k: number, ruled = false): number {
  return k <= 0 ? 0 : k * f.row + (k - 1) * f.gap - f.slack - (ruled ? f.rule : 0);
}

/** The rows k whose depth (rowsDepth) lies in [lo, hi], as [first, last]; undefined when none does. */
export function rowsBetween(f: Frame, lo: number, hi: number, ruled = false): [number, number] | undefined {
  const pitch = f.row + f.gap;
  const off = f.gap - f.slack - (ruled ? f.rule : 0);
  const first = Math.max(1, Math.ceil((lo - off) / pitch - 1e-9));
  const last = Math.min(f.rows, Math.floor((hi - off) / pitch + 1e-9));
  return first <= last ? [first, last] : undefined;
}

/** Whole story, or the two parts of a story that continues on a later page. */
export type Part = 'whole' | 'first' | 'rest';

/** A story (or one part of it) in a rectangle of the page. */
export interface Piece {
  story: number;
  part: Part;
  rows: number;
  /** The rows it could take (its measured range on this page's frame). */
  range: [number, number];
}

export interface Stack {
  columns: number;
  pieces: Piece[];
}

export interface Band {
  rows: number;
  stacks: Stack[];
}

export interface PlannedPage {
  /** 1-based plan page. */
  number: number;
  layout: string;
  section?: string;
  bands: Band[];
}

/** Why a story was held over (留稿). */
export interface Held {
  story: number;
  reason: string;
}

export interface Plan {
  pages: PlannedPage[];
  held: Held[];
  /** Stories continued on a later page: from page, to page. */
  jumps: { story: number; from: number; to: number }[];
  score: number;
}
