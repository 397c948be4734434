/**
 * Where text landed on a PDF page, from poppler's `pdftotext -bbox` (points from the MediaBox's
 * top-left corner, as BuildResult.placed gives slot boxes): the words inside a box, and how far down
 * each text column of a box reaches.
 */
import { pdftotext } from './tools.ts';

export interface Word {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  text: string;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

export function words(pdf: string, page: number): Word[] {
  const html = pdftotext(pdf, '-f', String(page), '-l', String(page), '-bbox');
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    x0: Number(m[1]),
    y0: Number(m[2]),
    x1: Number(m[3]),
    y1: Number(m[4]),
    text: unescape(m[5]!),
  }));
}

/**
 * Whether a word lies inside the box, to `tol` points, and to what poppler adds to a word's box:
 * down, a quarter of its height (the font's ascent and descent, which a large headline's line box
 * does not hold); across, half an em (poppler takes a full em for a mark that Chinese line
 * composition set in half of one, as ” at a line's end).
 */
export function inside(w: Word, b: Box, tol = 1.5): boolean {
  const v = Math.max(tol, (w.y1 - w.y0) * 0.25);
  const h = Math.max(tol, (w.y1 - w.y0) * 0.45);
  return w.x0 >= b.x - h && w.x1 <= b.x + b.width + h && w.y0 >= b.y - v && w.y1 <= b.y + b.height + v;
}

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
