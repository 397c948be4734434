/**
 * YAML syntax errors as a user can act on them: the first error only (the ones after it are
 * usually its echoes), at the line where the problem starts (an unclosed [ or { where it opens,
 * not where the parser gave up), with a hint for the mistakes people make: a value holding
 * ": " (a title with an ASCII colon), a tab in the indentation, a key written twice.
 */
import type { YAMLError } from 'yaml';

export interface SyntaxProblem {
  /** Offset in the text where the problem starts. */
  offset: number;
  message: string;
  hint: string;
}

const GENERIC = 'fix the YAML syntax (indentation with spaces, a missing colon, quote or bracket)';

export function explainSyntax(text: string, errors: readonly YAMLError[], what: string): SyntaxProblem {
  const e = errors[0]!;
  const offset = e.pos[0];
  const first = e.message.split('\n')[0]!;
  const lineStart = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  const lineOf = (o: number) => text.slice(0, o).split('\n').length;
  // The line the parser complained about, and the one before it (a value that runs on).
  for (const start of [lineStart, text.lastIndexOf('\n', Math.max(0, lineStart - 2)) + 1]) {
    const line = text.slice(start, text.indexOf('\n', start) === -1 ? undefined : text.indexOf('\n', start));
    const tab = /^[ ]*\t/.exec(line);
    if (tab && start === lineStart) {
      return { offset: start, message: `YAML syntax: a tab in the indentation of line ${lineOf(start)}`, hint: 'YAML indents with spaces, never tabs: replace the tab with spaces, lined up with the fields around it' };
    }
    const colon = colonInValue(line);
    if (colon && (e.code === 'BLOCK_AS_IMPLICIT_KEY' || e.code === 'MULTILINE_IMPLICIT_KEY' || /compact mapping|implicit map key|Nested mappings/i.test(first))) {
      return {
        offset: start + colon.valueAt,
        message: `YAML syntax: the value of ${colon.key} holds ": ", which YAML reads as the start of another field`,
        hint: `quote the value: ${colon.key}: ${JSON.stringify(colon.value)}${/\p{Script=Han}/u.test(colon.value) ? ' (or write the full-width colon ：, as Chinese text does)' : ''}`,
      };
    }
  }
  if (e.code === 'DUPLICATE_KEY') {
    const key = /^\s*(?:-\s+)?([^:#\s][^:#]*?)\s*:/.exec(text.slice(offset))?.[1];
    const firstAt = key ? new RegExp(`^\\s*(?:-\\s+)?${escapeRegExp(key)}\\s*:`, 'm').exec(text) : null;
    const at = firstAt && firstAt.index < offset ? ` (first at line ${lineOf(firstAt.index + firstAt[0].search(/\S/))})` : '';
    return { offset, message: `YAML syntax: ${key ? `"${key}"` : 'a field'} is given twice${at}`, hint: `keep one of them in ${what}` };
  }
  if (/end with an? [\]}]/.test(first)) {
    const open = unclosedBracket(text, offset);
    if (open !== undefined) {
      const ch = text[open]!;
      const close = ch === '[' ? ']' : '}';
      return { offset: open, message: `YAML syntax: the ${ch} opened here is never closed`, hint: `close it with ${close}, or quote the value if the ${ch} belongs to the text` };
    }
  }
  if (e.code === 'BAD_INDENT' || /same column|indent/i.test(first)) {
    return { offset, message: `YAML syntax: ${first}`, hint: 'indent this line with spaces like the other fields of its group (fields of one group start at the same column)' };
  }
  return { offset, message: `YAML syntax: ${first}`, hint: GENERIC };
}

/** `title: 特别报道: 五年` → the key, the value and where it starts; undefined when quoted or not such a line. */
function colonInValue(line: string): { key: string; value: string; valueAt: number } | undefined {
  const m = /^(\s*(?:-\s+)?)([^\s#'"\-[{][^:#]*?):[ \t]+(.*?)\s*(?:\s#.*)?$/.exec(line);
  if (!m) return undefined;
  const value = m[3]!;
  if (/^['"[{|>&*!]/.test(value) || !/:(\s|$)/.test(value)) return undefined;
  return { key: m[2]!.trim(), value, valueAt: line.indexOf(value, m[1]!.length + m[2]!.length) };
}

/** Offset of the innermost [ or { still open at `end`, skipping quoted strings and comments. */
function unclosedBracket(text: string, end: number): number | undefined {
  const stack: number[] = [];
  let quote: string | undefined;
  for (let i = 0; i < end && i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl;
    } else if ((c === '"' || c === "'") && (i === 0 || /[\s[{,:]/.test(text[i - 1]!))) quote = c;
    else if (c === '[' || c === '{') stack.push(i);
    else if (c === ']' || c === '}') stack.pop();
  }
  return stack.at(-1);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
