/**
 * The prose of a Markdown body, with where each character sits in the source. markdown-it finds
 * the blocks that hold prose (paragraphs, headings, table cells, list items, footnotes; never code
 * blocks or raw HTML blocks) and their lines; inside each, what is not prose is hidden: code spans,
 * HTML tags, autolinks and bare URLs, link targets and reference labels, footnote references,
 * attribute blocks `{.wide}`, entities and backslash escapes each stand as one OBJECT character
 * (punctuation.ts), and emphasis markers and link brackets are left out. Proofing rules run on
 * these views; an edit maps back to the source only where the characters it spans are contiguous
 * there, so nothing hidden can be changed.
 */
import MarkdownIt, { type MarkdownIt as MD } from 'markdown-it';
import footnote from 'markdown-it-footnote';
import { containersPlugin } from '../markdown/plugins/containers.ts';
import { OBJECT } from '../markdown/punctuation.ts';

export interface ProseBlock {
  /** The prose, with OBJECT for hidden pieces and "\n" for the source's line breaks inside the block. */
  view: string;
  /** Source offset (in the body) of each view unit. */
  at: number[];
  /** Source length of each view unit (1 for a character; a hidden piece's whole length). */
  len: number[];
  /** 0-based body line the block starts on. */
  line: number;
}

const ATTRS = /^\{\s*(?:(?:[.#][\w-]+|[\w:-]+(?:=(?:"[^"]*"|'[^']*'|[^\s}"']+))?)\s*)+\}/;
const URL = /^(?:(?:https?|ftp):\/\/|www\.)[^\s<>\u3000-\u303f\uff00-\uffef\u2e80-\u9fff“”‘’]+/i;
const EMAIL = /^[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;
const TAG = /^<(?:\/?[A-Za-z][\w-]*(?:\s[^<>]*)?\/?>|!--[\s\S]*?-->|[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*>|[\w.+-]+@[\w-]+(?:\.[\w-]+)+>)/;

function parser(): MD {
  const md = new MarkdownIt({ html: true, linkify: false, typographer: false });
  md.use(footnote);
  md.use(containersPlugin);
  return md;
}

/** Length of a backslash-escaped or bracketed destination `(…)` starting at `i` (balanced parentheses), or 0. */
function destinationEnd(s: string, i: number): number {
  if (s[i] !== '(') return 0;
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    if (s[j] === '\\') j++;
    else if (s[j] === '(') depth++;
    else if (s[j] === ')' && --depth === 0) return j + 1;
  }
  return 0;
}

/**
 * Hidden and transparent pieces of an inline source string: for each index, what it is. Returns
 * a list of units: [start, end) of `content` and whether it is hidden (one OBJECT), text, or
 * skipped (emphasis markers, brackets, a hard break's trailing spaces).
 */
export function inlineUnits(content: string): { start: number; end: number; kind: 'text' | 'hidden' | 'skip' }[] {
  const units: { start: number; end: number; kind: 'text' | 'hidden' | 'skip' }[] = [];
  const push = (start: number, end: number, kind: 'text' | 'hidden' | 'skip') => units.push({ start, end, kind });
  let i = 0;
  const rest = () => content.slice(i);
  while (i < content.length) {
    const c = content[i]!;
    const prev = content[i - 1] ?? ' ';
    if (c === '\\' && i + 1 < content.length && /[!-/:-@[-`{-~\n]/.test(content[i + 1]!)) {
      push(i, i + 2, 'hidden');
      i += 2;
    } else if (c === '`') {
      let n = 1;
      while (content[i + n] === '`') n++;
      const fence = '`'.repeat(n);
      let close = content.indexOf(fence, i + n);
      while (close >= 0 && content[close + n] === '`') close = content.indexOf(fence, close + n + 1);
      const end = close >= 0 ? close + n : i + n;
      push(i, end, 'hidden');
      i = end;
    } else if (c === '<' && TAG.test(rest())) {
      const m = TAG.exec(rest())!;
      push(i, i + m[0].length, 'hidden');
      i += m[0].length;
    } else if (c === '&' && /^&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/.test(rest())) {
      const m = /^&[^;]+;/.exec(rest())!;
      push(i, i + m[0].length, 'hidden');
      i += m[0].length;
    } else if (c === '[' && content[i + 1] === '^' && /^\[\^[^\]\s]+\]/.test(rest())) {
      const m = /^\[\^[^\]\s]+\]/.exec(rest())!;
      push(i, i + m[0].length, 'hidden');
      i += m[0].length;
    } else if (c === ']' && (content[i + 1] === '(' || content[i + 1] === '[')) {
      push(i, i + 1, 'skip');
      const end = content[i + 1] === '(' ? destinationEnd(content, i + 1) : content.indexOf(']', i + 2) + 1;
      if (end > i + 1) {
        push(i + 1, end, 'hidden');
        i = end;
      } else i++;
    } else if (c === '{' && ATTRS.test(rest())) {
      const m = ATTRS.exec(rest())!;
      push(i, i + m[0].length, 'hidden');
      i += m[0].length;
    } else if (/[hfw]/i.test(c) && !/[A-Za-z0-9]/.test(prev) && URL.test(rest())) {
      const m = URL.exec(rest())![0].replace(/[.,:;!?)\]'"]+$/, '');
      push(i, i + m.length, 'hidden');
      i += m.length;
    } else if (/[\w.+-]/.test(c) && !/[\w.+-]/.test(prev) && EMAIL.test(rest())) {
      const m = EMAIL.exec(rest())!;
      push(i, i + m[0].length, 'hidden');
      i += m[0].length;
    } else if (c === '*' || c === '~' || c === '[' || c === ']' || (c === '!' && content[i + 1] === '[') || (c === '_' && !(/[A-Za-z0-9]/.test(prev) && /[A-Za-z0-9]/.test(content[i + 1] ?? '')))) {
      push(i, i + 1, 'skip');
      i++;
    } else if (c === ' ' && /^ {2,}\n/.test(rest())) {
      const m = /^ +/.exec(rest())!;
      push(i, i + m[0].length, 'skip');
      i += m[0].length;
    } else {
      push(i, i + 1, 'text');
      i++;
    }
  }
  return units;
}

/** The prose blocks of a Markdown body (without front matter), in source order. */
export function proseBlocks(body: string): ProseBlock[] {
  const lines = body.split('\n');
  const lineStart: number[] = [];
  let off = 0;
  for (const l of lines) {
    lineStart.push(off);
    off += l.length + 1;
  }
  const cursor = new Map<number, number>();
  const blocks: ProseBlock[] = [];
  let row: [number, number] | undefined;
  for (const t of parser().parse(body, {})) {
    // A table cell's inline token has no lines of its own: its row's.
    if (t.type === 'tr_open' && t.map) row = [t.map[0], t.map[0] + 1];
    if (t.type !== 'inline' || !t.content) continue;
    const map = t.map ?? row;
    if (!map) continue;
    const contentLines = t.content.split('\n');
    // Where each content character sits in the source; a content line not found there leaves the block out.
    const contentAt: number[] = [];
    let ok = true;
    contentLines.forEach((cl, k) => {
      const ln = map[0] + k;
      const src = (lines[ln] ?? '').replace(/\r$/, '');
      const col = cl ? src.indexOf(cl, cursor.get(ln) ?? 0) : src.length;
      if (col < 0 || ln >= lines.length) {
        ok = false;
        return;
      }
      cursor.set(ln, col + cl.length);
      for (let j = 0; j < cl.length; j++) contentAt.push(lineStart[ln]! + col + j);
      if (k < contentLines.length - 1) contentAt.push(lineStart[ln]! + src.length);
    });
    if (!ok) continue;
    const block: ProseBlock = { view: '', at: [], len: [], line: map[0] };
    for (const u of inlineUnits(t.content)) {
      if (u.kind === 'skip') continue;
      if (u.kind === 'hidden') {
        block.view += OBJECT;
        block.at.push(contentAt[u.start]!);
        block.len.push(contentAt[u.end - 1]! + 1 - contentAt[u.start]!);
        continue;
      }
      for (let j = u.start; j < u.end; j++) {
        block.view += t.content[j];
        block.at.push(contentAt[j]!);
        // A line break unit covers the "\r" of a CRLF line end.
        block.len.push(t.content[j] === '\n' && body[contentAt[j]!] === '\r' ? 2 : 1);
      }
    }
    blocks.push(block);
  }
  return blocks;
}

/**
 * The source range an edit of view units [start, end) replaces, or undefined when it would touch
 * something hidden (an OBJECT, markup between the units). Whitespace between a line break and the
 * next line's text (a continuation line's indent) goes with the line break.
 */
export function sourceRange(b: ProseBlock, start: number, end: number): { from: number; to: number } | undefined {
  if (end > b.view.length || start < 0) return undefined;
  if (start === end) {
    if (start === 0 || start === b.view.length) return undefined;
    const from = b.at[start - 1]! + b.len[start - 1]!;
    return from === b.at[start] && b.view[start - 1] !== OBJECT && b.view[start] !== OBJECT ? { from, to: from } : undefined;
  }
  for (let i = start; i < end; i++) if (b.view[i] === OBJECT) return undefined;
  for (let i = start; i + 1 < end; i++) {
    const gapFrom = b.at[i]! + b.len[i]!;
    if (gapFrom !== b.at[i + 1] && !(b.view[i] === '\n' && end > i + 1)) return undefined;
  }
  const from = b.at[start]!;
  let to = b.at[end - 1]! + b.len[end - 1]!;
  // A deleted line break takes the next line's indent with it.
  if (b.view[end - 1] === '\n' && end < b.view.length) to = b.at[end]!;
  return { from, to };
}
