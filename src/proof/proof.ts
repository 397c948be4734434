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

function applySource(body: string, edits: { from: number; to: number; text: string }[]): string {
  let outText = body;
  let last = Infinity;
  for (const e of [...edits].sort((a, b) => b.from - a.from || b.to - a.to)) {
    if (e.to > last) continue; // overlaps one applied after it: the next pass finds it again
    outText = outText.slice(0, e.from) + e.text + outText.slice(e.to);
    last = e.from;
  }
  return outText;
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
    const before = body;
    body = applySource(body, edits.map((f) => f.edit!));
    if (body === before) break;
    for (const f of edits) fixes[f.rule] = (fixes[f.rule] ?? 0) + 1;
    edits = pass(body, cjkText).filter((f) => f.edit);
  }
  return { findings: found.sort((a, b) => a.line - b.line || a.column - b.column), fixed: head + body, fixes };
}
