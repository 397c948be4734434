/**
 * What an edition's articles must print, read from their Markdown by the tests themselves (plain
 * markdown-it with its typographer, never paiban's render stage): the head (kicker, headline, deck,
 * byline), the body's blocks in order (paragraphs, subheads, list items, quotes, box titles) and
 * the figures' captions and credits. A check built on this catches a render or layout stage that
 * drops or changes characters, because it does not share their code.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { parse as parseYaml } from 'yaml';

export interface ExpectedArticle {
  file: string;
  language: string;
  head: { kicker?: string; title: string; deck?: string; byline?: string; bylineEnd?: boolean };
  /** Body blocks in reading order (what prints in the slot's text columns). */
  body: string[];
  /** Figure captions and credits (a wide photo's caption is set above the body). */
  captions: string[];
}

export interface ExpectedEdition {
  dir: string;
  language: string;
  /** Articles in plan order, with where edition.yaml puts them. */
  articles: (ExpectedArticle & { page?: number; slot?: string; continue?: { page: number; slot: string }; fit?: string })[];
}

const md = new MarkdownIt({ html: false, typographer: true });

/** The edition's articles as edition.yaml places them (a `pages: auto` docket: in docket order). */
export function readEdition(dir: string): ExpectedEdition {
  const config = parseYaml(readFileSync(path.join(dir, 'edition.yaml'), 'utf8')) as {
    language: string;
    pages: 'auto' | { articles?: { file: string; slot?: string; continue?: { page: number; slot: string }; fit?: string }[] }[];
    articles?: { file: string }[];
  };
  const placed = config.pages === 'auto' ? (config.articles ?? []).map((a) => ({ ...a, page: undefined })) : config.pages.flatMap((p, i) => (p.articles ?? []).map((a) => ({ ...a, page: i + 1 })));
  return {
    dir,
    language: config.language,
    articles: placed.map((a) => ({ ...readArticle(path.join(dir, a.file), config.language), ...a })),
  };
}

/** One article file: its head, body blocks and captions. */
export function readArticle(file: string, editionLanguage: string): ExpectedArticle {
  const src = readFileSync(file, 'utf8');
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(src);
  const front = (m ? parseYaml(m[1]!) : {}) as Record<string, string | undefined>;
  const language = front.lang ?? editionLanguage;
  const { body, captions } = bodyBlocks(m ? src.slice(m[0].length) : src);
  const text = (s?: string) => (s === undefined ? undefined : typographer(String(s)));
  return {
    file: path.basename(file),
    language,
    head: { kicker: text(front.kicker), title: text(front.title)!, deck: text(front.deck), byline: text(front.byline), bylineEnd: front.bylinePosition === 'end' },
    body,
    captions,
  };
}

/** A front-matter value as the typographer would set it (paiban sets headlines the same way). */
function typographer(s: string): string {
  return inlineText(md.parseInline(s, {})[0]?.children ?? []) || s;
}

/** The body's blocks: container fences dropped (their titles kept), attribute blocks removed. */
export function bodyBlocks(markdown: string): { body: string[]; captions: string[] } {
  const body: string[] = [];
  const captions: string[] = [];
  const lines = markdown.split('\n').map((l) => {
    const box = /^:::\s*(?:\w+\s*(.*))?$/.exec(l);
    if (box) return box[1] ? `\n${box[1]}\n` : '\n';
    return l.replace(/\{[.#][^}]*\}|\{[a-z-]+="[^"]*"\}/g, '');
  });
  const tokens = md.parse(lines.join('\n'), {});
  for (const t of tokens) {
    if (t.type !== 'inline') continue;
    const kids = (t.children ?? []).filter((c) => !(c.type === 'softbreak' || (c.type === 'text' && !c.content.trim())));
    if (kids.length === 1 && kids[0]!.type === 'image') {
      const img = kids[0]!;
      const caption = inlineText(img.children ?? []);
      if (caption) captions.push(caption);
      const credit = img.attrGet('title');
      if (credit) captions.push(String(credit));
      continue;
    }
    const text = inlineText(t.children ?? []);
    if (text.trim()) body.push(text);
  }
  return { body, captions };
}

function inlineText(children: { type: string; content: string; children: unknown }[]): string {
  return children
    .map((c) => {
      if (c.type === 'text' || c.type === 'code_inline') return c.content;
      if (c.type === 'softbreak' || c.type === 'hardbreak') return ' ';
      if (c.type === 'image') return inlineText((c.children as never) ?? []);
      return '';
    })
    .join('');
}

/**
 * Text as compared with a PDF's: no whitespace, no soft or line-end hyphens (paiban's U+2010 stands
 * only at line ends), compatibility forms folded (NFKC: full-width ASCII, ideographic space), and
 * every kind of quote folded into one (the typographer's quotes depend on the language).
 */
export function normalize(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\u00ad\u2010]/g, '')
    .replace(/[“”„‟«»「」]/g, '"')
    .replace(/[‘’‚‛‹›]/g, "'")
    .replace(/[\s\u200b\u2060\ufeff]+/g, '');
}
