/**
 * One verification of a built PDF that every build test can call. Each check returns the problems
 * it found, as sentences naming the page, the article and the text (an empty list: none):
 *
 * - fonts: every font embedded, none Type 3, each with a ToUnicode map (copy and search work);
 * - text round trip: every character of each article's head, body and captions, punctuation,
 *   digits and Latin included, in order, in the PDF's text (content-stream order); a block may
 *   break only at a page break (the next page's folio comes between);
 * - kinsoku: on every printed line, no closing mark at its start and no opening one at its end,
 *   unless the line starts a block of the source ("——专访…" may start a deck);
 * - positions: each article's text inside its slot's rectangle (from `pdftotext -bbox`);
 * - jumps: the part before the jump line plus the continuation after the other jump line is the
 *   article's body exactly (nothing duplicated, nothing lost), the continuation does not start with
 *   a closing mark, and each jump line names the other page.
 *
 * The expected text comes from the Markdown (source.ts), never from paiban's own stages.
 */
import type { BuildResult } from '../../src/build.ts';
import { readFonts, readPages, wordsIn, type Line, type PdfPage, type Rect, type Word } from './pdf.ts';
import { normalize, readEdition, type ExpectedArticle } from './source.ts';

/** May not start a line (clreq; ASCII ones too, for Latin inside Chinese text). */
export const NOT_AT_START = '，。、；：？！）」』”’》〉】〕〗〙〛｝］…—·・％‰℃,.;:?!)]}%';
/** May not end a line. */
export const NOT_AT_END = '（「『“‘《〈【〔〖〘〚｛［([{';

/** Where an article (or one part of a jumped one) is printed. */
export interface Placement {
  file: string;
  page: number;
  rect?: Rect;
  part?: 'first' | 'rest';
}

const JUMP: Record<string, { to: (n: number) => string; from: (n: number) => string }> = {
  zh: { to: (n) => `（转第${n}版）`, from: (n) => `（接第${n}版）` },
  en: { to: (n) => `Continued on page ${n}`, from: (n) => `Continued from page ${n}` },
};
const jumpLines = (language: string) => JUMP[language.split('-')[0]!.toLowerCase()] ?? JUMP.en!;
const isCjk = (language: string) => /^(zh|ja|ko)\b/i.test(language);

// ---------------------------------------------------------------------------------------------
// Fonts

export function fontProblems(pdf: string): string[] {
  const fonts = readFonts(pdf);
  if (!fonts.length) return ['the PDF has no fonts at all (pdffonts lists none)'];
  return fonts.flatMap((f) => [
    ...(f.type === 'Type 3' ? [`font ${f.name} is Type 3`] : []),
    ...(!f.embedded ? [`font ${f.name} (${f.type}) is not embedded`] : []),
    ...(!f.toUnicode ? [`font ${f.name} (${f.type}) has no ToUnicode map: its text cannot be copied or searched`] : []),
  ]);
}

// ---------------------------------------------------------------------------------------------
// The text stream and the matcher

/** Normalized text of some words of some pages, with the offsets where each page starts. */
interface Stream {
  text: string;
  /** Offsets in `text` where a page other than the first begins. */
  breaks: number[];
}

function streamOf(parts: { words: Word[] }[]): Stream {
  let text = '';
  const breaks: number[] = [];
  parts.forEach((p, i) => {
    if (i > 0) breaks.push(text.length);
    text += normalize(p.words.map((w) => w.text).join(' '));
  });
  return { text, breaks };
}

/** The longest run skipped at a page break (the next page's folio, a credit line at the foot). */
const MAX_GAP = 200;

/**
 * Where `block` (normalized) is printed in the stream at or after `from`: its characters one after
 * the other, except across a page break, where the text the page adds (its folio) is skipped.
 * The match is the first one that holds to the end of the block.
 */
export function findBlock(stream: Stream, block: string, from = 0): { start: number; end: number } | undefined {
  if (!block) return { start: from, end: from };
  // Candidates: where the first characters match (as many as come before a page break could).
  const head = block.slice(0, Math.min(block.length, 4));
  for (let start = stream.text.indexOf(head[0]!, from); start >= 0; start = stream.text.indexOf(head[0]!, start + 1)) {
    if (!stream.text.startsWith(head, start) && !stream.breaks.some((b) => b > start && b < start + head.length)) continue;
    const end = matchFrom(stream, block, start);
    if (end !== undefined) return { start, end };
  }
  return undefined;
}

function matchFrom(stream: Stream, block: string, start: number): number | undefined {
  const t = stream.text;
  let s = start;
  for (let i = 0; i < block.length; ) {
    if (t[s] === block[i]) {
      i++;
      s++;
      continue;
    }
    // A gap, only across a page break, resuming where the next characters match again.
    const resume = block.slice(i, i + Math.min(8, block.length - i));
    const brk = stream.breaks.find((b) => b >= s && b <= s + MAX_GAP);
    if (brk === undefined) return undefined;
    const e = t.indexOf(resume, brk);
    if (e < 0 || e > s + MAX_GAP) return undefined;
    s = e;
  }
  return s;
}

/** The first characters of `block` the stream holds from `start` (how far a prefix matches). */
function prefixLength(stream: Stream, block: string, start: number): number {
  let n = 0;
  while (n < block.length && stream.text[start + n] === block[n]) n++;
  return n;
}

const show = (s: string) => (s.length > 24 ? `${s.slice(0, 12)}…${s.slice(-10)}` : s);

// ---------------------------------------------------------------------------------------------
// Text round trip

/** Every character of the article's head, body and captions, in order, where it is printed. */
export function articleProblems(pdf: string, article: ExpectedArticle, opts: { overset?: boolean; where?: Placement[]; others?: string[] } = {}): string[] {
  const pages = readPages(pdf);
  const where = opts.where?.length ? opts.where : pages.map((p) => ({ file: article.file, page: p.number }));
  const full = streamOf(where.map((w) => ({ words: wordsOf(pages, w) })));
  // The article ends where another one's headline starts (several may share sentences).
  const own = normalize(article.head.title);
  const titleFirst = full.text.indexOf(own);
  const ends = (opts.others ?? []).map(normalize).filter((t) => t && t !== own).map((t) => full.text.indexOf(t, titleFirst + own.length)).filter((i) => i > titleFirst && titleFirst >= 0);
  const stream = ends.length ? { text: full.text.slice(0, Math.min(...ends)), breaks: full.breaks } : full;
  return streamProblems(stream, article, opts);
}

/** The same round trip on any text (a structure tree's, in its reading order). */
export function textProblems(text: string, article: ExpectedArticle): string[] {
  return streamProblems({ text: normalize(text), breaks: [] }, article, {});
}

function streamProblems(stream: Stream, article: ExpectedArticle, opts: { overset?: boolean }): string[] {
  const problems: string[] = [];
  const name = article.file;
  const heads = [article.head.kicker, article.head.title, article.head.deck, article.head.byline].filter((h): h is string => !!h);
  let titleAt: number | undefined;
  for (const h of heads) {
    const hit = findBlock(stream, normalize(h));
    if (!hit) problems.push(`${name}: "${show(h)}" (head) is not printed whole`);
    else if (h === article.head.title) titleAt = hit.start;
  }
  for (const c of article.captions) if (!findBlock(stream, normalize(c))) problems.push(`${name}: caption "${show(c)}" is not printed whole`);
  let at = titleAt ?? 0;
  for (const [i, block] of article.body.entries()) {
    const b = normalize(block);
    const hit = findBlock(stream, b, at);
    if (hit) {
      at = hit.end;
      continue;
    }
    if (opts.overset) {
      // Overset: the rest is hidden. What prints of this block is its start, and nothing after.
      const start = stream.text.indexOf(b.slice(0, Math.min(b.length, 8)), at);
      const shown = start >= 0 ? prefixLength(stream, b, start) : 0;
      const later = article.body.slice(i + 1).find((x) => normalize(x).length >= 8 && stream.text.includes(normalize(x), at));
      if (later) problems.push(`${name}: overset, yet "${show(later)}" prints after the hidden "${show(block.slice(shown))}"`);
      return problems;
    }
    const near = stream.text.indexOf(b.slice(0, Math.min(b.length, 8)), at);
    const shown = near >= 0 ? prefixLength(stream, b, near) : 0;
    problems.push(
      near < 0
        ? `${name}: paragraph ${i + 1} ("${show(block)}") is not printed after the one before`
        : `${name}: paragraph ${i + 1} differs from the source after ${shown} characters: printed "${stream.text.slice(near + shown, near + shown + 12)}", source "${b.slice(shown, shown + 12)}"`,
    );
  }
  if (opts.overset) problems.push(`${name}: reported overset, but every paragraph is printed`);
  return problems;
}

function wordsOf(pages: PdfPage[], w: Placement): Word[] {
  const page = pages[w.page - 1];
  if (!page) return [];
  return w.rect ? wordsIn(page, w.rect) : page.words;
}

// ---------------------------------------------------------------------------------------------
// Kinsoku

/** Printed lines that break a line-start or line-end rule; `starts` are block starts (allowed). */
export function kinsokuProblems(pdf: string, starts: string[] = []): string[] {
  const allowed = starts.map(normalize).filter(Boolean);
  const startsBlock = (l: Line) => {
    const n = normalize(l.text).slice(0, 10);
    return allowed.some((s) => s.startsWith(n) || n.startsWith(s));
  };
  const problems: string[] = [];
  for (const page of readPages(pdf)) {
    for (const l of page.lines) {
      const t = l.text.trim();
      // Lines of Latin text (an English article in a Chinese edition) follow Latin rules: a line is
      // judged when it holds Chinese, or nothing but marks (a stranded 。 or …… included).
      if (!t || (!/[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u.test(t) && /[\p{L}\p{N}]/u.test(t))) continue;
      if (NOT_AT_START.includes(t[0]!) && !startsBlock(l)) problems.push(`page ${l.page}: a line starts with "${t[0]}": "${show(t)}"`);
      if (NOT_AT_END.includes(t[t.length - 1]!)) problems.push(`page ${l.page}: a line ends with "${t[t.length - 1]}": "${show(t)}"`);
    }
  }
  return problems;
}

/** How many printed lines hold Chinese text (to show a kinsoku check looked at something). */
export function cjkLines(pdf: string): number {
  return readPages(pdf).reduce((n, p) => n + p.lines.filter((l) => /\p{Script=Han}/u.test(l.text)).length, 0);
}

// ---------------------------------------------------------------------------------------------
// Jumps

export interface JumpCheck {
  /** Printed pages (1-based) of the first part and of the continuation. */
  from: Placement;
  to: Placement;
}

/**
 * The part before the jump line (from the body's start on the first page) plus the part after the
 * other jump line (on the continuation's page) is the body, exactly.
 */
export function jumpProblems(pdf: string, article: ExpectedArticle, jump: JumpCheck, opts: { overset?: boolean } = {}): string[] {
  const pages = readPages(pdf);
  const lines = jumpLines(article.language);
  const name = article.file;
  const a = streamOf([{ words: wordsOf(pages, jump.from) }]).text;
  const b = streamOf([{ words: wordsOf(pages, jump.to) }]).text;
  const body = normalize(article.body.join(''));
  const to = normalize(lines.to(jump.to.page));
  const from = normalize(lines.from(jump.from.page));
  const problems: string[] = [];
  // Each part is found after the article's headline (the continuation repeats it): other articles
  // may open with the same words and jump to the same page.
  const title = normalize(article.head.title);
  const titleAt = a.indexOf(title);
  const cut = titleAt < 0 ? -1 : a.indexOf(to, titleAt);
  const again = b.indexOf(title);
  const resume = again < 0 ? -1 : b.indexOf(from, again);
  if (titleAt < 0) problems.push(`${name}: the headline is not on page ${jump.from.page}`);
  else if (cut < 0) problems.push(`${name}: no jump line "${lines.to(jump.to.page)}" after the headline on page ${jump.from.page}`);
  if (resume < 0) problems.push(`${name}: no jump line "${lines.from(jump.from.page)}" after the repeated headline on page ${jump.to.page}`);
  if (problems.length) return problems;
  // The first part: from the body's start (after the head) up to the jump line; empty when the
  // slot holds only the head.
  const head = a.slice(titleAt, cut);
  const start = head.indexOf(body.slice(0, Math.min(8, body.length)));
  const first = start < 0 ? '' : head.slice(start);
  if (!body.startsWith(first)) {
    const k = common(first, body);
    return [`${name}: the part before the jump differs from the body after ${k} characters: printed "${first.slice(k, k + 12)}", source "${body.slice(k, k + 12)}"`];
  }
  const rest = body.slice(first.length);
  if (!rest) return [`${name}: the whole body is before the jump line: nothing continues`];
  const after = b.slice(resume + from.length);
  // An overset continuation prints the rest's start (its first line at least), then stops.
  const enough = opts.overset ? Math.min(rest.length, 8) : rest.length;
  if (common(after, rest) < enough) {
    const k = common(after, rest);
    const dup = Array.from({ length: Math.min(40, first.length) }, (_, k) => k + 1).some((k) => after.startsWith(first.slice(-k) + rest.slice(0, 8)));
    problems.push(
      `${name}: the continuation on page ${jump.to.page} is not the rest of the body${dup ? ' (it repeats the end of the first part)' : ''}: after ${k} characters it prints "${after.slice(k, k + 12)}" where the source has "${rest.slice(k, k + 12)}"`,
    );
  }
  // The continuation's first character as printed (before folding): never a closing mark.
  const printed = wordsOf(pages, jump.to).map((w) => w.text).join('').replace(/\s+/g, '');
  const line = lines.from(jump.from.page).replace(/\s+/g, '');
  const titleRaw = printed.indexOf(article.head.title.replace(/\s+/g, ''));
  const firstChar = printed.slice(printed.indexOf(line, Math.max(0, titleRaw)) + line.length)[0] ?? '';
  if (NOT_AT_START.includes(firstChar)) problems.push(`${name}: the continuation starts with the closing mark "${firstChar}"`);
  return problems;
}

function common(a: string, b: string): number {
  let k = 0;
  while (k < a.length && a[k] === b[k]) k++;
  return k;
}

// ---------------------------------------------------------------------------------------------
// Everything at once

export interface BuildFacts {
  /** Articles the build reported overset (file names). */
  overset?: string[];
  /**
   * Where each article is printed (BuildResult.placed, one entry per filled slot). Without it,
   * articles are looked for on every page, and jumps on the pages edition.yaml names.
   */
  placed?: Placement[];
  /** Printed page of each planned page (1-based), when a flow page runs over several. */
  printedPage?: (planPage: number) => number;
}

/**
 * What a build reports that the checks need: the articles it found overset, and where it printed
 * each filled slot when it says so (BuildResult.placed: box in points from the MediaBox's top-left).
 */
export function factsOf(result: BuildResult): BuildFacts {
  const placed = (result as BuildResult & { placed?: { file: string; page: number; box: Rect; part?: 'first' | 'rest' }[] }).placed;
  return {
    overset: [...new Set(result.diagnostics.items.filter((d) => d.rule === 'overset').map((d) => d.file))],
    ...(Array.isArray(placed) ? { placed: placed.map((p) => ({ file: p.file, page: p.page, rect: p.box, part: p.part })) } : {}),
  };
}

/**
 * Every check on a built edition: fonts, each article's text (whole, in order; inside its slot when
 * the placements are known), jumps, and kinsoku when the edition is in Chinese.
 */
export function verifyBuild(pdf: string, editionDir: string, facts: BuildFacts = {}): string[] {
  const edition = readEdition(editionDir);
  const printed = facts.printedPage ?? ((n: number) => n);
  const problems = [...fontProblems(pdf)];
  const others = edition.articles.map((a) => a.head.title);
  for (const a of edition.articles) {
    const mine = facts.placed?.filter((p) => p.file === a.file) ?? [];
    const overset = facts.overset?.includes(a.file);
    if (a.continue && a.page !== undefined) {
      const first = mine.find((p) => p.part === 'first') ?? { file: a.file, page: printed(a.page) };
      const rest = mine.find((p) => p.part === 'rest') ?? { file: a.file, page: printed(a.continue.page) };
      const jumped = jumpProblems(pdf, a, { from: first, to: rest }, { overset });
      // An article that fits its first slot does not jump: it is checked like any other.
      if (jumped.some((p) => p.includes('no jump line "' + jumpLines(a.language).to(rest.page))) && !mine.some((p) => p.part === 'rest')) problems.push(...articleProblems(pdf, a, { overset, where: mine, others }));
      else problems.push(...jumped, ...articleProblems(pdf, { ...a, body: [] }, { where: [first], others }));
    } else {
      // Without placements: a slot's article on its page; a flow's from its page on.
      const pages = readPages(pdf).length;
      const from = a.page === undefined ? 1 : printed(a.page);
      const where = mine.length ? mine : Array.from({ length: a.slot ? 1 : pages - from + 1 }, (_, i) => ({ file: a.file, page: from + i }));
      problems.push(...articleProblems(pdf, a, { overset, where, others }));
    }
  }
  if (isCjk(edition.language)) {
    const starts = edition.articles.flatMap((a) => [a.head.kicker, a.head.title, a.head.deck, a.head.byline, ...a.body, ...a.captions]).filter((s): s is string => !!s);
    problems.push(...kinsokuProblems(pdf, starts));
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Where a text is printed

/**
 * The words that print `text` on page `page` (the first time at or after word `from`), or
 * undefined when the page does not print it whole.
 */
export function locate(pdf: string, page: number, text: string, from = 0): Word[] | undefined {
  const p = readPages(pdf)[page - 1];
  if (!p) return undefined;
  const starts: number[] = [];
  let joined = '';
  for (const w of p.words) {
    starts.push(joined.length);
    joined += normalize(w.text);
  }
  const hit = findBlock({ text: joined, breaks: [] }, normalize(text), starts[from] ?? joined.length);
  if (!hit) return undefined;
  const last = (pred: (s: number) => boolean) => starts.reduce((k, s, i) => (pred(s) ? i : k), -1);
  return p.words.slice(last((s) => s <= hit.start), last((s) => s < hit.end) + 1);
}

/** The rectangle that holds `words`. */
export function boundsOf(words: Word[]): Rect {
  const x = Math.min(...words.map((w) => w.x0));
  const y = Math.min(...words.map((w) => w.y0));
  return { x, y, width: Math.max(...words.map((w) => w.x1)) - x, height: Math.max(...words.map((w) => w.y1)) - y };
}
