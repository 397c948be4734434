/**
 * Page boxes for print: from the MediaBox Chromium printed, work out where the trim and the bleed
 * are, so that imposition software and preflight can find them (TrimBox, BleedBox, CropBox).
 *
 * Where Chromium puts the page: it rounds the CSS page size to its own device grid, so the printed
 * MediaBox is up to about ±0.5 pt off the size asked for (measured with Chromium 156:
 * 396 × 546 mm → 1122.96 × 1548 pt instead of 1122.52 × 1547.72; 210 × 297 mm → 594.96 × 841.92
 * instead of 595.28 × 841.89). The content is not scaled: it is painted 1:1 from the top-left
 * corner and the rounding is absorbed at the right and bottom edges. So the trim is placed
 * `bleed + marks` in from the top-left corner of the printed MediaBox and keeps its exact size;
 * every box is then clipped to the MediaBox (ISO 32000-1 §14.11.2 does the same).
 */
import { PaibanError } from '../errors.ts';

/** A rectangle as PDF writes it: lower-left and upper-right corners, in points. */
export interface Rect {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface PageGeometry {
  trim: { width: number; height: number };
  bleed: number;
  marks: number;
}

export interface PageBoxes {
  trim: Rect;
  bleed: Rect;
}

/** How far the printed page may be from trim + 2·(bleed + marks), in points. */
export const PAGE_SIZE_TOLERANCE = 1;

/** Box coordinates are written to 1/1000 pt (0.35 µm): enough for any RIP, and no float noise. */
export function round3(v: number): number {
  const r = Math.round(v * 1000) / 1000;
  return Object.is(r, -0) ? 0 : r;
}

/** The page size the geometry asks for, in points. */
export function expectedPageSize(g: PageGeometry): { width: number; height: number } {
  const outset = 2 * (g.bleed + g.marks);
  return { width: g.trim.width + outset, height: g.trim.height + outset };
}

/**
 * Throws when the printed MediaBox is not the size the edition asks for (more than
 * {@link PAGE_SIZE_TOLERANCE} off in either direction). `page` is 1-based, for the message.
 */
export function checkPageSize(media: Rect, g: PageGeometry, page: number): void {
  const want = expectedPageSize(g);
  const got = { width: media.x2 - media.x1, height: media.y2 - media.y1 };
  const ok =
    Math.abs(got.width - want.width) <= PAGE_SIZE_TOLERANCE + 1e-9 && Math.abs(got.height - want.height) <= PAGE_SIZE_TOLERANCE + 1e-9;
  if (ok) return;
  throw new PaibanError(
    'OutputFailed',
    `the printed page size is wrong: page ${page} is ${size(got)} but ${size(want)} was expected ` +
      `(trim ${size(g.trim)} + ${mm(g.bleed)} mm bleed + ${mm(g.marks)} mm marks on every side)`,
    { hint: 'the @page size of the print stylesheet must be the paper size plus bleed and marks; check the template against paper: and print: in edition.yaml' },
  );
}

/** Trim and bleed boxes for one page, placed from the top-left corner of the printed MediaBox. */
export function pageBoxes(media: Rect, g: PageGeometry): PageBoxes {
  const inset = g.bleed + g.marks;
  const tx1 = media.x1 + inset;
  const ty2 = media.y2 - inset;
  const trim = { x1: tx1, y1: ty2 - g.trim.height, x2: tx1 + g.trim.width, y2: ty2 };
  const bleed = { x1: trim.x1 - g.bleed, y1: trim.y1 - g.bleed, x2: trim.x2 + g.bleed, y2: trim.y2 + g.bleed };
  return { trim: clipRound(trim, media), bleed: clipRound(bleed, media) };
}

/** Normalizes a PDF rectangle array (corners may come in any order) to a {@link Rect}. */
export function rectFrom(nums: readonly number[]): Rect {
  const [a = 0, b = 0, c = 0, d = 0] = nums;
  return { x1: Math.min(a, c), y1: Math.min(b, d), x2: Math.max(a, c), y2: Math.max(b, d) };
}

function clipRound(r: Rect, to: Rect): Rect {
  return {
    x1: round3(Math.max(r.x1, to.x1)),
    y1: round3(Math.max(r.y1, to.y1)),
    x2: round3(Math.min(r.x2, to.x2)),
    y2: round3(Math.min(r.y2, to.y2)),
  };
}

function mm(pt: number): string {
  return String(Math.round(((pt * 25.4) / 72) * 100) / 100);
}

function size(s: { width: number; height: number }): string {
  return `${s.width.toFixed(2)} × ${s.height.toFixed(2)} pt (${mm(s.width)} × ${mm(s.height)} mm)`;
}
