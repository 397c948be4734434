/**
 * Long real Chinese prose (古文觀止, tests/fixtures/guwen) with the quirks of pasted, unedited
 * copy injected by rule, deterministically: spaces (and an ideographic space, and a line break of
 * the source) before closing quotes and pause marks, "贾源.. ”" endings, spaces after opening
 * quotes, ASCII commas, colons, semicolons and question marks between Chinese characters, and
 * paragraphs whose quotation marks face the wrong way.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface Essay {
  title: string;
  paragraphs: string[];
}

export function guwen(): Essay[] {
  const text = readFileSync(path.resolve('tests/fixtures/guwen/guwenguanzhi.txt'), 'utf8').split('\n---\n')[1]!;
  const essays: Essay[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('# ')) essays.push({ title: line.slice(2), paragraphs: [] });
    else if (line.trim()) essays[essays.length - 1]!.paragraphs.push(line);
  }
  return essays;
}

export type Quirk = 'space-before-closing' | 'dots-space-quote' | 'break-before-quote' | 'ideographic-space' | 'space-after-opening' | 'ascii-punctuation' | 'wrong-way-quotes' | 'space-before-pause';

/** The paragraph with quirks injected, and which: `n` counts occurrences across calls. */
export function injectQuirks(para: string, n: { chars: number; paras: number }, found: Quirk[]): string {
  n.paras++;
  let p = para;
  const quotes = (p.match(/[“”]/g) ?? []).length;
  if (n.paras % 7 === 3 && quotes >= 2 && quotes % 2 === 0) {
    p = p.replace(/[“”]/g, (q) => (q === '“' ? '”' : '“'));
    found.push('wrong-way-quotes');
  }
  let out = '';
  const chars = [...p];
  chars.forEach((ch, i) => {
    const k = ++n.chars;
    const prev = chars[i - 1] ?? '';
    const next = chars[i + 1] ?? '';
    const han = (c: string) => /\p{Script=Han}/u.test(c);
    if ((ch === '”' || ch === '“') && i > 0 && k % 3 === 0) {
      if (prev === '。' && k % 2 === 0) {
        out = `${out.slice(0, -1)}.. ${ch}`;
        found.push('dots-space-quote');
      } else if (k % 5 === 0) {
        out += `\n${ch}`;
        found.push('break-before-quote');
      } else if (k % 7 === 0) {
        out += `\u3000${ch}`;
        found.push('ideographic-space');
      } else {
        out += ` ${ch}`;
        found.push('space-before-closing');
      }
      return;
    }
    if (ch === '“' && k % 4 === 1 && next) {
      out += `${ch} `;
      found.push('space-after-opening');
      return;
    }
    const ascii: Record<string, string> = { '，': ',', '：': ':', '；': ';', '？': '?' };
    if (ascii[ch] && han(prev) && han(next) && k % 4 === 2) {
      out += ascii[ch];
      found.push('ascii-punctuation');
      return;
    }
    if ('，。、？'.includes(ch) && han(prev) && k % 11 === 5) {
      out += ` ${ch}`;
      found.push('space-before-pause');
      return;
    }
    out += ch;
  });
  return out;
}
