/**
 * What a printed PDF holds, read by poppler: every word with its box in content-stream order
 * (`pdftotext -raw -bbox`), the printed lines built from those words, the fonts (`pdffonts`, with
 * the ToUnicode column) and the page boxes. Each PDF is read once per test file.
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A word as poppler sees it, in points from the page's top-left corner (the MediaBox's). */
export interface Word {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** One printed line: words on one baseline that follow each other without a column gap. */
export interface Line {
  page: number;
  text: string;
  x0: number;
  x1: number;
  baseline: number;
  words: Word[];
}

export interface PdfPage {
  number: number;
  width: number;
  height: number;
  /** Words in the order the content stream paints them. */
  words: Word[];
  lines: Line[];
}

const unescape = (t: string) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#39;/g, "'").replace(/&amp;/g, '&');

const cache = new Map<string, PdfPage[]>();

/** Every page's words and lines. */
export function readPages(pdf: string): PdfPage[] {
  const key = `${pdf}\0${statSync(pdf).mtimeMs}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const xml = execFileSync('pdftotext', ['-raw', '-bbox', pdf, '-'], { encoding: 'utf8', maxBuffer: 256 << 20 });
  const pages = [...xml.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)].map((m, i) => {
    const words = [...m[3]!.matchAll(/<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)<\/word>/g)].map((w) => ({
      text: unescape(w[5]!),
      x0: Number(w[1]),
      y0: Number(w[2]),
      x1: Number(w[3]),
      y1: Number(w[4]),
    }));
    return { number: i + 1, width: Number(m[1]), height: Number(m[2]), words, lines: linesOf(i + 1, words) };
  });
  cache.set(key, pages);
  return pages;
}

/**
 * Words joined into printed lines. poppler's own lines (-bbox-layout) break where compressed
 * punctuation (”；) steps back over the glyph before it; here a word continues the line when it
 * sits on the same baseline and starts no further right of the line's end than a column gap
 * would put it (less than 0.9 em), and not left of the line's start.
 */
export function linesOf(page: number, words: Word[]): Line[] {
  const lines: Line[] = [];
  let cur: Line | undefined;
  for (const w of words) {
    const size = w.y1 - w.y0;
    const joins = cur && Math.abs(w.y1 - cur.baseline) < Math.max(1, size * 0.15) && w.x0 >= cur.x0 - 0.5 && w.x0 <= cur.x1 + size * 0.9;
    if (cur && joins) {
      cur.words.push(w);
      cur.text += w.text;
      cur.x1 = Math.max(cur.x1, w.x1);
    } else {
      cur = { page, text: w.text, x0: w.x0, x1: w.x1, baseline: w.y1, words: [w] };
      lines.push(cur);
    }
  }
  return lines;
}

/** The words of a page whose boxes lie inside `rect` (within `tolerance` points). */
export function wordsIn(page: PdfPage, rect: Rect, tolerance = 1.5): Word[] {
  return page.words.filter((w) => inside(w, rect, tolerance));
}

/**
 * Whether a word lies inside the rectangle, to `tolerance` points, allowing for what poppler adds to
 * a word's box: down, the middle of the word counts (its box is the font's ascent and descent, which
 * a large headline's line box does not hold, and which Ghostscript's rewritten fonts make larger
 * still); across, almost half an em (poppler takes a full em for a mark that Chinese line composition
 * set in half of one, as ” at a line's end).
 */
export function inside(w: Word, rect: Rect, tolerance = 1.5): boolean {
  const em = Math.min(w.y1 - w.y0, 40);
  const h = Math.max(tolerance, em * 0.45);
  const middle = (w.y0 + w.y1) / 2;
  return w.x0 >= rect.x - h && w.x1 <= rect.x + rect.width + h && middle >= rect.y - tolerance && middle <= rect.y + rect.height + tolerance;
}

export interface FontRow {
  name: string;
  type: string;
  encoding: string;
  embedded: boolean;
  subset: boolean;
  /** A ToUnicode CMap: the text can be copied and searched. */
  toUnicode: boolean;
}

/** `pdffonts`, parsed from the right (the type may hold spaces: "CID TrueType", "Type 3"). */
export function readFonts(pdf: string): FontRow[] {
  const out = execFileSync('pdffonts', [pdf], { encoding: 'utf8' });
  return out
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => {
      const t = l.trim().split(/\s+/);
      const [uni, sub, emb, encoding] = t.splice(-6, 6).slice(0, 4).reverse();
      return { name: t[0]!, type: t.slice(1).join(' '), encoding: encoding!, embedded: emb === 'yes', subset: sub === 'yes', toUnicode: uni === 'yes' };
    });
}

/** `pdfinfo -box`: box name → [x1, y1, x2, y2] for each page (index 0 = page 1). */
export function readBoxes(pdf: string): Record<string, number[]>[] {
  const out = execFileSync('pdfinfo', ['-box', '-f', '1', '-l', '100000', pdf], { encoding: 'utf8' });
  const pages: Record<string, number[]>[] = [];
  for (const m of out.matchAll(/^Page\s+(\d+)\s+(\w+Box):\s+(.*)$/gm)) (pages[Number(m[1]) - 1] ??= {})[m[2]!] = m[3]!.trim().split(/\s+/).map(Number);
  return pages;
}
