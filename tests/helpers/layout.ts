/**
 * Where text landed on a PDF page, from poppler's `pdftotext -bbox` (points from the MediaBox's
 * top-left corner, as BuildResult.placed gives slot boxes): the words inside a box, and how far down
 * each text column of a box reaches.
 */
import { inside, readPages, type Rect, type Word } from './pdf.ts';

export type { Word };
export type Box = Rect;

/** The words of one page (pdf.ts reads them all once). */
export function words(pdf: string, page: number): Word[] {
  return readPages(pdf)[page - 1]?.words ?? [];
}

export { inside };

/** The text of the words inside the box, in the PDF's order, without spaces. */
export function textIn(ws: Word[], b: Box): string {
  return ws.filter((w) => inside(w, b)).map((w) => w.text).join('');
}

/**
 * The lowest point of each text column of a slot (`columns`: how many across its box, and the gap
 * between them, as BuildResult.placed gives them), counting only body text: the words of the box's
 * most common size (headlines, captions and bylines are set in others). A column without body text
 * has foot 0.
 */
export function columnFeet(ws: Word[], b: Box & { columns: { count: number; gap: number } }): number[] {
  const inBox = ws.filter((x) => inside(x, b));
  const counts = new Map<number, number>();
  for (const w of inBox) {
    const h = Math.round((w.y1 - w.y0) * 4) / 4;
    counts.set(h, (counts.get(h) ?? 0) + 1);
  }
  const body = [...counts].sort((p, q) => q[1] - p[1])[0]?.[0] ?? 0;
  const { count, gap } = b.columns;
  const width = (b.width - (count - 1) * gap) / count;
  const feet = Array.from({ length: count }, () => 0);
  for (const w of inBox) {
    if (Math.abs(w.y1 - w.y0 - body) > body * 0.04) continue;
    const i = Math.min(count - 1, Math.max(0, Math.floor(((w.x0 + w.x1) / 2 - b.x) / (width + gap))));
    feet[i] = Math.max(feet[i]!, w.y1);
  }
  return feet;
}

/** Letters, digits and Han characters with their counts: what a reader must find on the page. */
export function letterCounts(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const ch of text.normalize('NFKC')) if (/[\p{L}\p{N}]/u.test(ch)) m.set(ch, (m.get(ch) ?? 0) + 1);
  return m;
}
