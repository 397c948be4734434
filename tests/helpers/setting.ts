/**
 * How a text is set, measured on the PDF's glyphs (content.ts): the leading (baseline to baseline
 * within a column), the tracking (the space a line leaves between two Han characters beyond their
 * own width, where the line is not justified: its smallest such space) and the lowest baseline.
 * Copyfit is checked with these against the same text set without it.
 */
import type { Glyph } from './content.ts';
import type { Word } from './pdf.ts';

export interface Setting {
  /** Font size of the text, in points. */
  size: number;
  /** Baseline to baseline, in points (the median within columns). */
  pitch: number;
  /** Letter spacing in em. */
  tracking: number;
  /** The lowest baseline, in points from the top of the page. */
  bottom: number;
  lines: number;
}

const HAN = /^\p{Script=Han}$/u;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;

/** The setting of the glyphs that print `words` (an article's body on one page). */
export function settingOf(glyphs: Glyph[], words: Word[]): Setting {
  const mine = glyphs.filter((g) => g.char.trim() && words.some((w) => g.x >= w.x0 - 0.5 && g.x <= w.x1 + 0.5 && g.y >= w.y0 - 0.5 && g.y <= w.y1 + 0.5));
  const size = median(mine.map((g) => g.size));
  // Lines: glyphs on one baseline that follow each other.
  const lines: Glyph[][] = [];
  for (const g of mine) {
    const line = lines[lines.length - 1];
    const last = line?.[line.length - 1];
    if (line && last && Math.abs(g.y - last.y) < 0.5 && g.x > last.x && g.x - (last.x + last.advance) < size) line.push(g);
    else lines.push([g]);
  }
  // Leading: consecutive lines of a column (the same left edge, less than two lines apart).
  const pitches: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const [a, b] = [lines[i - 1]![0]!, lines[i]![0]!];
    const d = b.y - a.y;
    if (Math.abs(a.x - b.x) < size * 2.5 && d > size * 0.9 && d < size * 2.5) pitches.push(d);
  }
  // Tracking: the smallest space between two Han characters of a line, over the lines.
  const gaps = lines.flatMap((l) => {
    const g = l.slice(1).flatMap((c, k) => (HAN.test(c.char) && HAN.test(l[k]!.char) ? [c.x - (l[k]!.x + l[k]!.advance)] : []));
    return g.length >= 2 ? [Math.min(...g)] : [];
  });
  return { size, pitch: median(pitches), tracking: Math.min(...gaps) / size, bottom: Math.max(...mine.map((g) => g.y)), lines: lines.length };
}
