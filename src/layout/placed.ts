/**
 * Where each filled slot landed on the printed PDF: its box in PDF points from the top-left corner
 * of its page's MediaBox (as `pdftotext -bbox` measures), and what it holds. For tests that check
 * an article's text lies inside its slot, and for callers that place things on the pages.
 */
import type { ComposedDocument } from '../compose/compose.ts';
import { marksMargin } from '../pdf/marks.ts';
import type { PaginateResult } from './paginate.ts';

export interface PlacedSlot {
  /** Printed page (1-based) and the plan page it belongs to. */
  page: number;
  planPage: number;
  slot: string;
  article: string;
  file: string;
  box: { x: number; y: number; width: number; height: number };
  /** The text columns across the box, and the gap between two of them (points). */
  columns: { count: number; gap: number };
  /** The article's characters in this slot, and how many of them are hidden (overset). */
  chars: number;
  hiddenChars: number;
  /** Share of the slot's text area left empty under the text. */
  emptyShare: number;
  /** For a jump: the first part (cut at the slot's foot) or the rest. */
  part?: 'first' | 'rest';
}

const PT_PER_PX = 0.75;

/** The type area on every PDF page, in points from the MediaBox's top-left corner. */
export function typeArea(composed: ComposedDocument, marks: boolean): { top: number; bottom: number; left: number; right: number } {
  const g = composed.geometry;
  const outside = g.bleed + (marks ? marksMargin(g.bleed) : 0);
  return { top: outside + g.margins.top, bottom: outside + g.margins.top + g.area.height, left: outside + g.margins.left, right: outside + g.margins.left + g.area.width };
}

export function placedSlots(paged: PaginateResult, composed: ComposedDocument, marks: boolean): PlacedSlot[] {
  const area = typeArea(composed, marks);
  const round = (n: number) => Math.round(n * 100) / 100;
  const fileOf = (id: string) => composed.placements.find((p) => p.articleId === id)?.file ?? id;
  return paged.measure.slots.map((s) => ({
    page: s.page,
    planPage: s.planPage,
    slot: s.slot,
    article: s.article,
    file: fileOf(s.article),
    box: {
      x: round(area.left + s.box.x * PT_PER_PX),
      y: round(area.top + s.box.y * PT_PER_PX),
      width: round(s.box.width * PT_PER_PX),
      height: round(s.box.height * PT_PER_PX),
    },
    columns: { count: s.textColumns, gap: round(s.columnGap * PT_PER_PX) },
    chars: s.chars,
    hiddenChars: s.hiddenChars,
    emptyShare: Math.round(s.emptyShare * 1000) / 1000,
    ...(s.part ? { part: s.part } : {}),
  }));
}
