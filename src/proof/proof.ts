/**
 * Copy proofing of one article: every finding of the rules (rules.ts) on its prose (source.ts),
 * placed at file:line:column of the Markdown source, and the source with the safe fixes applied.
 * Front matter is proofed for the report only (its values are YAML: fixed by hand).
 */
import { isCjkLanguage } from '../markdown/punctuation.ts';
import { proseBlocks, sourceRange } from './source.ts';
import { findings, type CopyRule } from './rules.ts';

export interface CopyFinding {
  /** 1-based line and column (in characters) of the whole file. */
  line: number;
  column: number;
  rule: CopyRule;
  message: string;
  /** Whether `paiban check --fix` corrects it. */
  fixable: boolean;
}

export interface ProofResult {
  findings: CopyFinding[];
  /** The whole file with every safe fix applied (the same text when there is none). */
  fixed: string;
  /** Fixes applied in `fixed`, by rule. */
  fixes: Partial<Record<CopyRule, number>>;
}

const FRONT = /^(\uFEFF?---[ \t]*\r?\n)([\s\S]*?\r?\n)(---[ \t]*(?:\r?\n|$))/;
const FRONT_FIELDS = ['title', 'kicker', 'deck', 'byline', 'dateline', 'summary', 'credit'];

/** 1-based line and character column of `offset` in `text`. */
export function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: [...text.slice(lineStart, offset)].length + 1 };
}

/** One pass over a body: findings with body offsets and the fixes to apply. */
function pass(body: string, cjkText: boolean) {
  const blocks = proseBlocks(body);
  const out: { offset: number; rule: CopyRule; message: string; edit?: { from: number; to: number; text: string } }[] = [];
  blocks.forEach((b, n) => {
    const next = blocks[n + 1]?.view.trimStart() ?? '';
    for (const f of findings(b.view, cjkText, next.startsWith('“') || next.startsWith('‘'))) {
      const range = f.fix !== undefined ? sourceRange(b, f.start, f.end) : undefined;
      const offset = f.start < b.at.length ? b.at[f.start]! : b.at[b.at.length - 1]! + b.len[b.len.length - 1]!;
      out.push({ offset, rule: f.rule, message: f.message, ...(range ? { edit: { ...range, text: f.fix! } } : {}) });
    }
  });
  return out;
}

/** The body with the findings' edits applied, and the findings applied (an overlapping one waits for the next pass). */
function applySource<F extends { edit?: { from: number; to: number; text: string } }>(body: string, found: F[]): { text: string; applied: F[] } {
  let text = body;
  let last = Infinity;
  const applied: F[] = [];
  for (const f of [...found].sort((a, b) => b.edit!.from - a.edit!.from || b.edit!.to - a.edit!.to)) {
    const e = f.edit!;
    if (e.to > last) continue;
    text = text.slice(0, e.from) + e.text + text.slice(e.to);
    last = e.from;
    applied.push(f);
  }
  return { text, applied };
}

/** Front matter values on one line (`title: …`), proofed like prose: reported, never rewritten. */
function frontFindings(front: string, frontLine: number, cjkText: boolean): CopyFinding[] {
  const out: CopyFinding[] = [];
  front.split('\n').forEach((l, k) => {
    const m = /^([A-Za-z]+):[ \t]*(["']?)(.*?)\2[ \t]*\r?$/.exec(l);
    if (!m || !FRONT_FIELDS.includes(m[1]!) || !m[3]) return;
    const value = m[3];
    const col = l.indexOf(value, m[1]!.length + 1);
    for (const f of findings(value, cjkText, false)) {
      out.push({ line: frontLine + k, column: [...l.slice(0, col + f.start)].length + 1, rule: f.rule, message: `${f.message} (in the front matter's ${m[1]}: fix it by hand)`, fixable: false });
    }
  });
  return out;
}

/** Proof one article file's text. `language` is the article's (front matter lang, else the edition's). */
export function proofText(text: string, language: string): ProofResult {
  const cjkText = isCjkLanguage(language);
  const fm = FRONT.exec(text);
  const head = fm ? fm[0] : '';
  const frontLine = 2;
  const found = fm ? frontFindings(fm[2]!, frontLine, cjkText) : [];
  let body = text.slice(head.length);
  const first = pass(body, cjkText);
  for (const f of first) {
    const p = position(text, head.length + f.offset);
    found.push({ ...p, rule: f.rule, message: f.message, fixable: !!f.edit });
  }
  // Fix until nothing more can be fixed (a fix can uncover another: ", ”" → "，”").
  const fixes: Partial<Record<CopyRule, number>> = {};
  let edits = first.filter((f) => f.edit);
  for (let round = 0; round < 6 && edits.length; round++) {
    const { text: next, applied } = applySource(body, edits);
    if (next === body) break;
    body = next;
    for (const f of applied) fixes[f.rule] = (fixes[f.rule] ?? 0) + 1;
    edits = pass(body, cjkText).filter((f) => f.edit);
  }
  return { findings: found.sort((a, b) => a.line - b.line || a.column - b.column), fixed: head + body, fixes };
}
