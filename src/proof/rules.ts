/**
 * Copy-proofing rules on a prose view (source.ts): each finding says what is wrong and, where it
 * can be fixed safely, the replacement.
 *
 * AutoCorrect (autocorrect-node, the Rust library's Node binding) does what it is best at:
 * half-width , . : ! ? next to Chinese text made full width (it knows decimals, times, URLs and
 * abbreviations), spaces around full-width marks, full-width letters and digits made half width.
 * Its Han–Latin spacing rules are off (print sets that space: text-autospace) and so is its
 * spelling rule. Its output is compared with the input character by character (jsdiff) to get
 * each change's place. paiban adds what AutoCorrect leaves: semicolons (it never converts them),
 * parentheses around Chinese text, straight double quotes in Chinese text, the spaces and
 * wrong-way quotation marks print corrects (punctuation.ts), and unbalanced brackets and quotes.
 */
import { createRequire } from 'node:module';
import { diffChars } from 'diff';
import { CLOSING, isCjkOrShared, isHan, isSpace, OBJECT, OPENING, quoteEdits, spaceEdits } from '../markdown/punctuation.ts';

export type CopyRule = 'copy-punctuation' | 'copy-space' | 'copy-quote' | 'copy-bracket' | 'copy-width' | 'copy-unbalanced' | 'copy-other';

export interface Finding {
  start: number;
  end: number;
  /** The replacement; undefined: report only. */
  fix?: string;
  rule: CopyRule;
  message: string;
}

interface AutoCorrect {
  format(text: string): string;
  loadConfig(config: string): void;
}
let autocorrect: AutoCorrect | undefined;

function ac(): AutoCorrect {
  if (!autocorrect) {
    autocorrect = createRequire(import.meta.url)('autocorrect-node') as AutoCorrect;
    const off = ['space-word', 'space-punctuation', 'space-bracket', 'space-dash', 'space-backticks', 'space-dollar', 'spellcheck'];
    autocorrect.loadConfig(JSON.stringify({ rules: Object.fromEntries(off.map((r) => [r, 0])) }));
  }
  return autocorrect;
}

const FULL: Record<string, string> = { ',': '，', '.': '。', ':': '：', ';': '；', '!': '！', '?': '？', '(': '（', ')': '）' };
const q = (s: string) => `"${s.replace(/\n/g, '↵').replace(/\u3000/g, '　')}"`;

function classify(old: string, now: string): { rule: CopyRule; message: string } {
  if (!now.trim() && !old.trim()) return { rule: 'copy-space', message: `space ${q(old)} next to a full-width mark: remove it` };
  if (/^[\s,.:;!?]+$/.test(old) && /^[，。：；！？]$/.test(now.trim())) return { rule: 'copy-punctuation', message: `half-width ${q(old.trim())} in Chinese text: use ${q(now)}` };
  if (/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/.test(old)) return { rule: 'copy-width', message: `full-width letters or digits ${q(old)}: use ${q(now)}` };
  return { rule: 'copy-other', message: `${q(old)}: use ${q(now)}` };
}

/** What AutoCorrect would change, as findings on the view. */
export function autocorrectFindings(view: string): Finding[] {
  const out = ac().format(view);
  if (out === view) return [];
  const found: Finding[] = [];
  let at = 0;
  const parts = diffChars(view, out);
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k]!;
    if (!p.added && !p.removed) {
      at += p.value.length;
      continue;
    }
    // A change is a removed run, an added run, or a removed run followed by an added one.
    const removed = p.removed ? p.value : '';
    const added = p.added ? p.value : parts[k + 1]?.added ? parts[++k]!.value : '';
    const start = at;
    at += removed.length;
    if (removed.includes(OBJECT) || added.includes(OBJECT)) continue;
    // An ideographic space (本报记者　沈吟) is the author's: AutoCorrect would make it ASCII.
    if (removed === '\u3000' && added === ' ') continue;
    found.push({ start, end: start + removed.length, fix: added, ...classify(removed, added) });
  }
  return found;
}

/** The character before `i` that is not a space, and after `j`. */
const before = (v: string, i: number) => {
  let k = i - 1;
  while (k >= 0 && isSpace(v[k])) k--;
  return v[k];
};

/** paiban's own rules: what AutoCorrect leaves, and what print corrects (so the source says what prints). */
export function ownFindings(view: string, cjkText: boolean): Finding[] {
  const found: Finding[] = [];
  for (let i = 0; i < view.length; i++) {
    const c = view[i]!;
    const prev = before(view, i);
    const next = view[i + 1];
    // Semicolons (and a backstop for , : ? !) in Chinese text: after Chinese text, before Chinese
    // text, a number or an opening mark (表示:“…  擂”;2020年  项目”,“千企). Never after a digit (1,000  12:30).
    const after = isHan(next) || /[0-9]/.test(next ?? '') || OPENING.includes(next ?? '');
    if (';,:?!'.includes(c) && (isHan(prev) || (isCjkOrShared(prev) && c !== ':')) && (after || (c === ';' && (next === undefined || next === '\n' || CLOSING.includes(next))))) {
      found.push({ start: i, end: i + 1, fix: FULL[c], rule: 'copy-punctuation', message: `half-width ${q(c)} between Chinese characters: use ${q(FULL[c]!)}` });
    }
  }
  // Parentheses around Chinese text: 县(市、区) → 县（市、区）.
  const open: number[] = [];
  for (let i = 0; i < view.length; i++) {
    if (view[i] === '(') open.push(i);
    else if (view[i] === ')' && open.length) {
      const o = open.pop()!;
      const inner = view.slice(o + 1, i);
      if ([...inner].some((ch) => isHan(ch)) && !inner.includes(OBJECT)) {
        const message = `half-width parentheses around Chinese text ${q(view.slice(o, i + 1))}: use "（" and "）"`;
        found.push({ start: o, end: o + 1, fix: '（', rule: 'copy-bracket', message }, { start: i, end: i + 1, fix: '）', rule: 'copy-bracket', message });
      }
    }
  }
  // Straight double quotes in Chinese text, when they pair up: "…" → “…”.
  const straight = [...view].flatMap((ch, i) => (ch === '"' ? [i] : []));
  if (straight.length && straight.length % 2 === 0 && (cjkText || straight.some((i) => isHan(view[i - 1]) || isHan(view[i + 1])))) {
    straight.forEach((i, n) => {
      const to = n % 2 ? '”' : '“';
      found.push({ start: i, end: i + 1, fix: to, rule: 'copy-quote', message: `straight quotation mark in Chinese text: use ${q(to)}` });
    });
  }
  for (const e of quoteEdits(view, cjkText)) found.push({ start: e.start, end: e.end, fix: e.text, rule: 'copy-quote', message: e.message });
  for (const e of spaceEdits(view, cjkText)) found.push({ start: e.start, end: e.end, fix: e.text, rule: 'copy-space', message: e.message });
  return found;
}

const PAIRS: Record<string, string> = { '（': '）', '《': '》', '「': '」', '『': '』', '【': '】', '〔': '〕', '“': '”', '‘': '’' };
const CLOSERS = new Map(Object.entries(PAIRS).map(([o, c]) => [c, o]));

/**
 * Brackets and quotation marks that do not pair up in the paragraph (after quotes are turned).
 * An opening quotation mark left open is fine when the next paragraph opens with one: a quotation
 * running on over paragraphs.
 */
export function balanceFindings(view: string, nextOpensQuote: boolean): Finding[] {
  const stack: { ch: string; i: number }[] = [];
  const found: Finding[] = [];
  for (let i = 0; i < view.length; i++) {
    const ch = view[i]!;
    if (ch === '’' && /[A-Za-z]/.test(view[i - 1] ?? '') && /[A-Za-z]/.test(view[i + 1] ?? '')) continue;
    if (PAIRS[ch]) stack.push({ ch, i });
    else if (CLOSERS.has(ch)) {
      const want = CLOSERS.get(ch)!;
      const k = stack.map((s) => s.ch).lastIndexOf(want);
      if (k < 0) found.push({ start: i, end: i + 1, rule: 'copy-unbalanced', message: `"${ch}" closes nothing in this paragraph: add its "${want}" or remove it` });
      else stack.splice(k);
    }
  }
  for (const s of stack) {
    if (nextOpensQuote && (s.ch === '“' || s.ch === '‘')) continue;
    found.push({ start: s.i, end: s.i + 1, rule: 'copy-unbalanced', message: `"${s.ch}" is not closed in this paragraph: add its "${PAIRS[s.ch]}" or remove it (or join the paragraph with the next, if a break split it)` });
  }
  return found;
}

/**
 * All findings of a view, overlapping ones resolved: paiban's own first, then AutoCorrect's that
 * do not touch them (the same change from both counts once).
 */
export function findings(view: string, cjkText: boolean, nextOpensQuote: boolean): Finding[] {
  const own = ownFindings(view, cjkText);
  const overlaps = (a: Finding, b: Finding) => a.start < b.end && b.start < a.end || (a.start === b.start && a.end === b.end);
  const all = [...own];
  for (const f of autocorrectFindings(view)) if (!all.some((o) => overlaps(o, f))) all.push(f);
  const fixable = all.filter((f) => f.fix !== undefined).sort((a, b) => a.start - b.start || a.end - b.end);
  // Non-overlapping fixes; what they would leave is found again on the next pass.
  const kept: Finding[] = [];
  for (const f of fixable) if (!kept.some((k) => overlaps(k, f))) kept.push(f);
  // Brackets are paired on the text as it will be: one-for-one replacements (turned quotes) applied.
  let turned = view;
  for (const f of kept) if (f.fix!.length === 1 && f.end - f.start === 1) turned = turned.slice(0, f.start) + f.fix + turned.slice(f.end);
  return [...kept, ...balanceFindings(turned, nextOpensQuote)].sort((a, b) => a.start - b.start);
}
