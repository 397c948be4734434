/**
 * Chinese punctuation in unedited text, as it is set for print: the rules shared by the render
 * stage (plugins/cjk-punctuation.ts, which applies them to what is printed and leaves the source
 * alone) and copy proofing (src/proof, which reports them with the fix and rewrites the source).
 *
 * They work on a "view" of a paragraph: its text with every piece that is not prose (code, HTML,
 * an image) standing as one OBJECT character and a line break inside the paragraph as "\n".
 * Each rule returns edits on the view; the caller maps them back to tokens or source offsets.
 */

/** Stands for a piece of the paragraph that is not text (code span, raw HTML, image): never edited, never a neighbour that counts. */
export const OBJECT = '\uFFFC';

/** Closing and pause marks a line may not start with (clreq: 行首禁则), full width. */
export const CLOSING = '，。、；：？！）］｝〕〗〙〛】〉》」』”’…‥・·～';
/** Opening marks a line may not end with (行尾禁则). */
export const OPENING = '（［｛〔〖〘〚【〈《「『“‘';
/** ASCII pause marks and closing brackets: no line may start with them either. */
export const ASCII_CLOSING = ',.;:!?)]}';

const HAN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Bopomofo}\u3005\u3007]/u;
/** Punctuation only CJK text uses (full-width forms, CJK symbols). */
const FULLWIDTH_PUNCT = /[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u30fb]/u;
/** Marks Chinese and Latin text share (curly quotes, ellipsis, middle dot): CJK only beside CJK text. */
const SHARED = '“”‘’…‥·';
/** Whitespace that can separate text in a paragraph (a line break in it included). */
const SPACE = /[ \t\n\u00a0\u3000\u2000-\u200a\u202f\u205f]/;

export function isHan(ch: string | undefined): boolean {
  return !!ch && HAN.test(ch);
}
/** A Han (or kana) character or a punctuation mark only CJK text uses. */
export function isCjk(ch: string | undefined): boolean {
  return !!ch && (HAN.test(ch) || FULLWIDTH_PUNCT.test(ch));
}
/** {@link isCjk}, or a mark Chinese and Latin text share (“ ” … ·). */
export function isCjkOrShared(ch: string | undefined): boolean {
  return !!ch && (isCjk(ch) || SHARED.includes(ch));
}
export function isSpace(ch: string | undefined): boolean {
  return !!ch && SPACE.test(ch);
}
/** Whether a language tag is Chinese, Japanese or Korean. */
export function isCjkLanguage(lang: string): boolean {
  return /^(zh|ja|ko|yue|cmn|wuu|lzh)\b/i.test(lang);
}

export interface ViewEdit {
  /** Index in the view (UTF-16 units). */
  start: number;
  end: number;
  text: string;
  rule: 'space-before-closing' | 'space-after-opening' | 'space-after-pause' | 'quote-direction' | 'dash-held';
  message: string;
}

const show = (s: string) => s.replace(/\n/g, '↵').replace(/\u3000/g, '　').replace(/\u00a0/g, '⍽');

/**
 * Whitespace that opens a line break before a closing or pause mark, or after an opening one,
 * in CJK context: in Chinese text it is a typing slip (a line may never start with ” or ，), and it
 * is dropped. CJK context: the mark is full width and not a quotation mark, or the text beside the
 * space is CJK, or the paragraph's language is. `cjkText` is the paragraph's language being CJK.
 */
export function spaceEdits(view: string, cjkText: boolean): ViewEdit[] {
  const edits: ViewEdit[] = [];
  const chars = view;
  for (let i = 0; i < chars.length; ) {
    if (!isSpace(chars[i])) {
      i++;
      continue;
    }
    let j = i;
    while (j < chars.length && isSpace(chars[j])) j++;
    const before = chars[i - 1];
    const after = chars[j];
    // A space at the start or end of the paragraph is not printed.
    if (before === undefined || after === undefined) {
      i = j;
      continue;
    }
    const run = chars.slice(i, j);
    const quote = (c: string) => '“”‘’'.includes(c);
    // The mark is one only CJK text uses, or the article is CJK, or the text beside the space is.
    const context = (mark: string, other: string | undefined) => FULLWIDTH_PUNCT.test(mark) || cjkText || isCjk(other);
    if (CLOSING.includes(after) && context(after, before)) {
      edits.push({ start: i, end: j, text: '', rule: 'space-before-closing', message: `space "${show(run)}" before "${after}": a line would start with it; remove the space` });
    } else if (ASCII_CLOSING.includes(after) && isCjkOrShared(before) && !/[A-Za-z0-9]/.test(chars[j + 1] ?? '')) {
      // (not ".NET" or ".com" after a space: a Latin word, not a pause)
      edits.push({ start: i, end: j, text: '', rule: 'space-before-closing', message: `space "${show(run)}" before "${after}" after Chinese text: a line would start with it; remove the space` });
    } else if (OPENING.includes(before) && context(before, after)) {
      edits.push({ start: i, end: j, text: '', rule: 'space-after-opening', message: `space "${show(run)}" after "${before}": a line would end with it; remove the space` });
    } else if (CLOSING.includes(before) && !quote(before) && isCjkOrShared(after) && context(before, after)) {
      edits.push({ start: i, end: j, text: '', rule: 'space-after-pause', message: `space "${show(run)}" after "${before}": full-width marks carry their own space; remove it` });
    }
    i = j;
  }
  return edits;
}

/**
 * Quotation marks the wrong way round (”……“) in CJK text, double and single marks apart. A
 * paragraph whose marks nest properly is left alone (“甲“乙”丙” too). Otherwise: when turning every
 * mark makes them nest, all are turned (a typist's habit); else, when they are even in number,
 * they alternate opening and closing; else (a quotation running on over paragraphs) only a closing
 * mark that opens the paragraph and an opening one that ends it are turned.
 */
export function quoteEdits(view: string, cjkText: boolean): ViewEdit[] {
  const edits: ViewEdit[] = [];
  for (const [open, close] of [['“', '”'], ['‘', '’']] as const) {
    const at: number[] = [];
    for (let i = 0; i < view.length; i++) {
      const c = view[i]!;
      if (c !== open && c !== close) continue;
      // ’ between two Latin letters is an apostrophe.
      if (c === '’' && /[A-Za-z]/.test(view[i - 1] ?? '') && /[A-Za-z]/.test(view[i + 1] ?? '')) continue;
      at.push(i);
    }
    if (!at.length) continue;
    const cjk = cjkText || at.some((i) => isHan(view[i - 1]) || isHan(view[i + 1]));
    if (!cjk) continue;
    const turn = (i: number, to: string, why: string) => edits.push({ start: i, end: i + 1, text: to, rule: 'quote-direction', message: `"${view[i]}" ${why}: use "${to}"` });
    /** Whether opening/closing marks in this order nest properly (depth never below 0, 0 at the end). */
    const nests = (marks: string[]) => {
      let depth = 0;
      for (const m of marks) if ((depth += m === open ? 1 : -1) < 0) return false;
      return depth === 0;
    };
    const written = at.map((i) => view[i]!);
    if (nests(written)) continue;
    if (nests(written.map((m) => (m === open ? close : open)))) {
      // Every mark the wrong way round (a typist's habit): turn them all, nesting kept.
      at.forEach((i) => turn(i, view[i] === open ? close : open, view[i] === open ? 'closes a quotation here' : 'opens a quotation here'));
    } else if (at.length % 2 === 0) {
      at.forEach((i, n) => {
        const want = n % 2 === 0 ? open : close;
        if (view[i] !== want) turn(i, want, n % 2 === 0 ? 'opens a quotation here' : 'closes a quotation here');
      });
    } else {
      const first = view.search(/\S/);
      const last = view.length - 1 - [...view].reverse().join('').search(/\S/);
      if (view[first] === close && at.includes(first)) turn(first, open, 'opens the paragraph');
      if (view[last] === open && at.includes(last) && last !== first) turn(last, close, 'ends the paragraph');
    }
  }
  return edits.sort((a, b) => a.start - b.start);
}

/** The edits print makes to a paragraph: quotation marks turned, then spaces that would break a line at a mark. */
export function printEdits(view: string, cjkText: boolean): ViewEdit[] {
  const quotes = quoteEdits(view, cjkText);
  let turned = view;
  for (const e of quotes) turned = turned.slice(0, e.start) + e.text + turned.slice(e.end);
  // Quote edits replace one character by one: the spaces' indices hold in the turned view.
  return [...quotes, ...spaceEdits(turned, cjkText), ...dashEdits(turned, cjkText)].sort((a, b) => a.start - b.start);
}

/** U+2060 WORD JOINER: no line break on either side of it. */
export const WORD_JOINER = '\u2060';

/**
 * A 破折号 (——) inside a paragraph of Chinese text held to the character before it: a line may
 * start with it only where the paragraph does (clreq's strict rules; Chromium would break before
 * it). The word joiner prints nothing; text extraction and search skip it.
 */
function dashEdits(view: string, cjkText: boolean): ViewEdit[] {
  if (!cjkText) return [];
  const edits: ViewEdit[] = [];
  for (let i = view.indexOf('——', 1); i > 0; i = view.indexOf('——', i + 2)) {
    const before = view[i - 1]!;
    if (before === '—' || before === WORD_JOINER || before === OBJECT || isSpace(before)) continue;
    edits.push({ start: i, end: i + 1, text: `${WORD_JOINER}—`, rule: 'dash-held', message: 'a dash held to the character before it' });
  }
  return edits;
}

/** `text` with the edits applied (non-overlapping, any order). */
export function applyEdits(text: string, edits: { start: number; end: number; text: string }[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** A plain string (a headline, a deck) as print sets it. */
export function forPrint(text: string, cjkText: boolean): string {
  return applyEdits(text, printEdits(text, cjkText));
}
