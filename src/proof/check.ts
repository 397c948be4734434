/**
 * Copy proofing for `paiban check` (a warning per finding, at file:line:column, saying what to
 * do) and `paiban check --fix` (the Markdown rewritten where that is safe, atomically, with a
 * summary; a second run changes nothing).
 */
import { readFile } from 'node:fs/promises';
import type { Diagnostics } from '../diagnostics.ts';
import type { Edition } from '../model.ts';
import { writeAtomic } from '../output/atomic.ts';
import { proofText, type CopyFinding } from './proof.ts';
import type { CopyRule } from './rules.ts';

/** Every article's copy proofed: a warning per finding. */
export async function proofEdition(edition: Edition, diagnostics: Diagnostics): Promise<void> {
  const seen = new Set<string>();
  for (const a of edition.articles) {
    if (seen.has(a.absPath)) continue;
    seen.add(a.absPath);
    const text = await readFile(a.absPath, 'utf8');
    for (const f of proofText(text, a.front.lang ?? edition.config.language).findings) {
      diagnostics.add({ file: a.file, line: f.line, column: f.column, severity: 'warning', rule: f.rule, message: f.fixable ? `${f.message} (paiban check --fix corrects it)` : f.message });
    }
  }
}

export interface FixReport {
  files: { file: string; fixes: Partial<Record<CopyRule, number>>; changed: boolean; left: CopyFinding[] }[];
}

const NAMES: Record<CopyRule, string> = {
  'copy-punctuation': 'punctuation',
  'copy-space': 'spaces',
  'copy-quote': 'quotation marks',
  'copy-bracket': 'brackets',
  'copy-width': 'full-width letters and digits',
  'copy-unbalanced': 'unbalanced',
  'copy-other': 'other',
};

/** Rewrite every article whose copy has safe fixes; what is left is reported. */
export async function fixEdition(edition: Edition): Promise<FixReport> {
  const files: FixReport['files'] = [];
  const seen = new Set<string>();
  for (const a of edition.articles) {
    if (seen.has(a.absPath)) continue;
    seen.add(a.absPath);
    const text = await readFile(a.absPath, 'utf8');
    const language = a.front.lang ?? edition.config.language;
    const r = proofText(text, language);
    const changed = r.fixed !== text;
    if (changed) await writeAtomic(a.absPath, r.fixed);
    files.push({ file: a.file, fixes: r.fixes, changed, left: changed ? proofText(r.fixed, language).findings : r.findings });
  }
  return { files };
}

/** The summary `paiban check --fix` prints. */
export function formatFixReport(slug: string, r: FixReport): string {
  const lines: string[] = [];
  let total = 0;
  for (const f of r.files) {
    const n = Object.values(f.fixes).reduce((a, b) => a + (b ?? 0), 0);
    total += n;
    const order = Object.keys(NAMES);
    const kinds = Object.entries(f.fixes).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
    if (n) lines.push(`fixed ${f.file}: ${n} (${kinds.map(([k, v]) => `${NAMES[k as CopyRule]} ${v}`).join(', ')})`);
    for (const x of f.left) lines.push(`${slug}/${f.file}:${x.line}:${x.column} warning ${x.rule}: ${x.message}`);
  }
  const left = r.files.reduce((a, f) => a + f.left.length, 0);
  const changed = r.files.filter((f) => f.changed).length;
  lines.push(`paiban check --fix: ${total ? `${total} fix(es) in ${changed} of ${r.files.length} article(s)` : `nothing to fix in ${r.files.length} article(s)`}; ${left ? `${left} left to fix by hand` : 'nothing left to fix'}`);
  return `${lines.join('\n')}\n`;
}
