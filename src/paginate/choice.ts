/**
 * Who lays the pages out. Chromium's own print layout is the default (native.ts: several times
 * faster), but it has no generated content for pages beyond counters: a stylesheet that asks for
 * what only Paged.js implements would print without it, in silence. The rules below are those
 * Paged.js 0.4's handlers implement and Chromium does not (node_modules/pagedjs/src/modules:
 * generated-content/string-sets.js, running-headers.js, target-counters.js, target-text.js;
 * paged-media/footnotes.js, atpage.js for :nth() and :blank pages and the @footnote area).
 *
 * `auto` (the default) lays an edition whose template uses any of them out with Paged.js and
 * says why; `chromium` refuses it with an error naming the rule, file and line; `pagedjs` always
 * uses Paged.js. The choice comes from --paginator, else PAIBAN_PAGINATOR, else `paginator:` in
 * edition.yaml, else `auto`.
 */
import { PaibanError } from '../errors.ts';
import path from 'node:path';
import { ROOT } from '../compose/template.ts';
import { readTextFile } from '../load/files.ts';
import type { PaginatorChoice } from '../config/schema.ts';

export type { PaginatorChoice };

export interface PagedJsFeature {
  /** The rule as written, e.g. `string-set`, `float: footnote`. */
  rule: string;
  /** What it does, for messages. */
  what: string;
  file: string;
  line: number;
  column: number;
}

const FEATURES: { re: RegExp; rule: string; what: string }[] = [
  { re: /(?<![\w-])string-set\s*:/gi, rule: 'string-set', what: 'named strings for running heads' },
  { re: /(?<![\w-])string\(\s*[\w-]/gi, rule: 'string()', what: 'a named string (running head) in generated content' },
  { re: /(?<![\w-])position\s*:\s*running\(/gi, rule: 'position: running()', what: 'a running element' },
  { re: /(?<![\w-])element\(\s*[\w-]/gi, rule: 'element()', what: 'a running element in a page margin' },
  { re: /(?<![\w-])target-counters?\(/gi, rule: 'target-counter()', what: 'a cross-reference to a page number' },
  { re: /(?<![\w-])target-text\(/gi, rule: 'target-text()', what: 'a cross-reference to a text' },
  { re: /(?<![\w-])float\s*:\s*footnote\b/gi, rule: 'float: footnote', what: 'footnotes at the foot of the page' },
  { re: /(?<![\w-])footnote-(?:display|policy)\s*:/gi, rule: 'footnote-display/footnote-policy', what: 'footnote placement' },
  { re: /::footnote-(?:call|marker)\b/gi, rule: '::footnote-call/::footnote-marker', what: 'footnote calls and markers' },
  { re: /@footnote\b/gi, rule: '@footnote', what: 'the footnote area of a page' },
  { re: /@page\b[^{;]*:nth\(/gi, rule: '@page :nth()', what: 'a page selected by its number' },
  { re: /@page\b[^{;]*:blank\b/gi, rule: '@page :blank', what: 'styles for blank pages' },
];

/**
 * The Paged.js-only rules in a stylesheet (`css`) or a template file (`html`: its <style> blocks
 * and style="" attributes), with their lines. Comments and the insides of strings are not read.
 */
export function pagedJsOnlyRules(file: string, text: string, kind: 'css' | 'html'): PagedJsFeature[] {
  const css = kind === 'css' ? blankComments(text) : styleParts(text);
  const found: PagedJsFeature[] = [];
  for (const f of FEATURES) {
    for (const m of css.matchAll(f.re)) {
      const before = css.slice(0, m.index);
      const line = before.split('\n').length;
      found.push({ rule: f.rule, what: f.what, file, line, column: m.index - before.lastIndexOf('\n') });
    }
  }
  return found.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** The text with comments and string contents replaced by spaces (newlines kept: lines stay true). */
function blankComments(css: string): string {
  return css.replace(/\/\*[\s\S]*?\*\/|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/g, (m) => (m.startsWith('/*') ? m.replace(/[^\n]/g, ' ') : m[0] + m.slice(1, -1).replace(/[^\n]/g, ' ') + m.slice(-1)));
}

/** Only the CSS of an HTML template: <style> contents and style attributes; everything else blanked. */
function styleParts(html: string): string {
  const keep = new Array<boolean>(html.length).fill(false);
  for (const m of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) for (let i = 0; i < m[1]!.length; i++) keep[m.index + m[0].indexOf(m[1]!) + i] = true;
  for (const m of html.matchAll(/\sstyle\s*=\s*("([^"]*)"|'([^']*)')/gi)) {
    const start = m.index + m[0].indexOf(m[1]!) + 1;
    for (let i = 0; i < (m[2] ?? m[3] ?? '').length; i++) keep[start + i] = true;
  }
  const kept = Array.from(html, (c, i) => (keep[i] || c === '\n' ? c : ' ')).join('');
  return blankComments(kept);
}

export interface PaginatorDecision {
  /** Where the choice came from. */
  choice: PaginatorChoice;
  source: '--paginator' | 'PAIBAN_PAGINATOR' | 'edition.yaml' | 'default';
  /** Every page by Paged.js (else Chromium, with Paged.js only for elastic pages). */
  pagedjs: boolean;
  /** Why Paged.js lays the pages out, for the report; undefined when Chromium does. */
  reason?: string;
}

/** The choice in force: --paginator, else PAIBAN_PAGINATOR, else edition.yaml, else auto. */
export function paginatorChoice(flag: PaginatorChoice | undefined, edition: PaginatorChoice | undefined, env = process.env): Pick<PaginatorDecision, 'choice' | 'source'> {
  if (flag) return { choice: flag, source: '--paginator' };
  const fromEnv = env.PAIBAN_PAGINATOR?.trim().toLowerCase();
  if (fromEnv === 'auto' || fromEnv === 'chromium' || fromEnv === 'pagedjs') return { choice: fromEnv, source: 'PAIBAN_PAGINATOR' };
  if (fromEnv) {
    throw new PaibanError('Usage', `PAIBAN_PAGINATOR is "${env.PAIBAN_PAGINATOR}"`, { hint: 'set it to auto, chromium or pagedjs, or unset it' });
  }
  if (edition) return { choice: edition, source: 'edition.yaml' };
  return { choice: 'auto', source: 'default' };
}

/**
 * Decide, or refuse: `chromium` with a Paged.js-only rule, or with a layout only Paged.js can lay
 * out (`elastic`, names of such layouts in the plan), is an error naming the first of them.
 */
export function decidePaginator(chosen: Pick<PaginatorDecision, 'choice' | 'source'>, features: PagedJsFeature[], elastic: string[]): PaginatorDecision {
  const c = chosen.choice;
  const label = chosen.source === 'default' ? '' : chosen.source === '--paginator' ? `--paginator ${c}` : chosen.source === 'PAIBAN_PAGINATOR' ? `PAIBAN_PAGINATOR=${c}` : `paginator: ${c} in edition.yaml`;
  const where = label ? ` (${label})` : '';
  if (chosen.choice === 'chromium') {
    const f = features[0];
    if (f) {
      throw new PaibanError('PaginatorUnsupported', `${f.rule} (${f.what}) needs Paged.js, but Chromium's print layout was asked for${where}: it would print the pages without it${features.length > 1 ? ` (and ${features.length - 1} more such rule${features.length > 2 ? 's' : ''})` : ''}`, {
        where: { file: f.file, line: f.line, column: f.column },
        hint: 'use --paginator auto (the default), which lays such pages out with Paged.js, or remove the rule',
      });
    }
    if (elastic.length) {
      throw new PaibanError('PaginatorUnsupported', `layout "${elastic[0]}" has slots that grow with their text, which only Paged.js lays out, but Chromium's print layout was asked for${where}`, {
        where: { file: 'edition.yaml' },
        hint: 'use --paginator auto (the default), or a fixed or flow layout',
      });
    }
    return { ...chosen, pagedjs: false };
  }
  if (chosen.choice === 'pagedjs') return { ...chosen, pagedjs: true, reason: `asked for by ${label}` };
  if (features.length) {
    const f = features[0]!;
    const others = [...new Set(features.map((x) => x.rule))].filter((r) => r !== f.rule);
    return { ...chosen, pagedjs: true, reason: `${f.file}:${f.line} uses ${f.rule} (${f.what})${others.length ? `, and the template also ${others.join(', ')}` : ''}: CSS only Paged.js implements` };
  }
  return { ...chosen, pagedjs: false, ...(elastic.length ? { reason: `layout "${elastic[0]}" has slots that grow with their text` } : {}) };
}

/** Every Paged.js-only rule in a template's stylesheets and Handlebars files, paths shown as in errors. */
export async function templateRules(files: readonly string[], show: (abs: string) => string): Promise<PagedJsFeature[]> {
  const found: PagedJsFeature[] = [];
  for (const abs of files) {
    const kind = abs.endsWith('.css') ? 'css' : abs.endsWith('.hbs') ? 'html' : undefined;
    if (!kind) continue;
    found.push(...pagedJsOnlyRules(show(abs), await readTextFile(abs, show(abs)), kind));
  }
  return found;
}

/**
 * The decision for an edition and its template: the rules the template's files use, the elastic
 * layouts its plan has, and the choice in force. Throws PaginatorUnsupported for `chromium` with
 * what only Paged.js does.
 */
export async function decideFor(
  edition: { dir: string; config: { paginator?: PaginatorChoice; pages: { layout: string }[] } },
  template: { dir: string; files: string[]; meta: { layouts: Record<string, { fixed: boolean; slots: Record<string, unknown> }> } },
  flag: PaginatorChoice | undefined,
): Promise<PaginatorDecision> {
  const chosen = paginatorChoice(flag, edition.config.paginator);
  if (chosen.choice === 'pagedjs') return decidePaginator(chosen, [], []);
  const show = (abs: string) => {
    const rel = path.relative(edition.dir, abs);
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) return rel;
    const own = path.relative(ROOT, abs);
    return !own.startsWith('..') && !path.isAbsolute(own) ? own : abs;
  };
  const features = await templateRules(template.files, show);
  const elastic = [...new Set(edition.config.pages.map((p) => p.layout))].filter((l) => {
    const layout = template.meta.layouts[l];
    return layout && !layout.fixed && Object.keys(layout.slots).length > 0;
  });
  return decidePaginator(chosen, features, elastic);
}

/** For the manifest: a paginator asked for outside the edition (--paginator, PAIBAN_PAGINATOR), which verify must ask for too. */
export function recordedChoice(d: PaginatorDecision | undefined): { paginator?: PaginatorChoice } {
  return d && (d.source === '--paginator' || d.source === 'PAIBAN_PAGINATOR') ? { paginator: d.choice } : {};
}
