/**
 * Stage 2, render: each article's Markdown body to an HTML fragment with markdown-it, plus the
 * plain text and figures the later stages check against. One rendering feeds print and EPUB.
 */
import MarkdownIt, { type MarkdownIt as MD } from 'markdown-it';
import attrs from 'markdown-it-attrs';
import footnote from 'markdown-it-footnote';
import type { Diagnostics } from '../diagnostics.ts';
import type { ArticleSource, EditionConfig, FigureRef, RenderedArticle } from '../model.ts';
import { cjkBreaksPlugin } from './plugins/cjk-breaks.ts';
import { cjkPunctuationPlugin } from './plugins/cjk-punctuation.ts';
import { forPrint, isCjkLanguage } from './punctuation.ts';
import { containersPlugin } from './plugins/containers.ts';
import { figurePlugin } from './plugins/figure.ts';
import { applyPolicy } from './policy.ts';

/** Typographic quotes by language: “” for Chinese and English, „“ for German, « » for French… */
const QUOTES: Record<string, string> = {
  zh: '“”‘’', ja: '「」『』', en: '“”‘’', de: '„“‚‘', fr: ['«\u00a0', '\u00a0»', '‹\u00a0', '\u00a0›'].join(''), es: '«»“”', it: '«»“”', nl: '“”‘’', pt: '«»“”', sv: '””’’', da: '»«›‹', pl: '„”‚’', cs: '„“‚‘',
};

function splitQuotes(q: string): string[] {
  // French quotes carry a no-break space inside: four strings, not four characters.
  return [q.slice(0, 2), q.slice(2, 4), q.slice(4, 6), q.slice(6, 8)];
}

/** The markdown-it instance for a language: plugins in a fixed order, each in its own file. */
export function createMarkdown(language = 'en'): MD {
  const quotes = QUOTES[language.toLowerCase().split('-')[0]!] ?? QUOTES.en!;
  // The typographer gives proper quotes (and dashes, ellipses) for straight ones typed in Markdown.
  const md = new MarkdownIt({ html: true, xhtmlOut: true, linkify: false, typographer: true, quotes: quotes.length === 4 ? quotes : splitQuotes(quotes), breaks: false });
  // Our policy (policy.ts) decides about links and reports what it refuses; markdown-it's own
  // validator would leave refused links as literal Markdown in the text.
  md.validateLink = () => true;
  md.use(footnote);
  // Attributes only for styling and language: no event handlers, no src/href/style.
  md.use(attrs, { allowedAttributes: ['id', 'class', 'lang', /^data-[a-z-]+$/] });
  md.use(containersPlugin);
  md.use(cjkBreaksPlugin);
  md.use(figurePlugin);
  // Last: after smart quotes and the figure's caption text, on what prints.
  md.use(cjkPunctuationPlugin, language);
  return md;
}

export interface RenderOptions {
  editionDir: string;
  config: EditionConfig;
  diagnostics: Diagnostics;
}

/** Stage 2: one article's Markdown to HTML, plain text and figures, with the URL and raw-HTML policy applied. */
export async function renderArticle(article: ArticleSource, opts: RenderOptions, md = createMarkdown(article.front.lang ?? opts.config.language)): Promise<RenderedArticle> {
  const env = { docId: article.id };
  const tokens = md.parse(article.body, env);
  const images = await applyPolicy(tokens, {
    file: article.file,
    bodyLine: article.bodyLine,
    editionDir: opts.editionDir,
    allowHtml: opts.config.html,
    diagnostics: opts.diagnostics,
    renderInline: (inline) => md.renderer.renderInline(inline, md.options, env),
  });
  const html = md.renderer.render(tokens, md.options, env);
  const figures: FigureRef[] = tokens
    .filter((t) => t.type === 'paiban_figure' && !(t.meta as { missing?: boolean }).missing)
    .map((t) => {
      const src = String(t.attrGet('src') ?? '');
      const credit = (t.meta as { credit?: string }).credit;
      return { src, absPath: images.get(src) ?? '', caption: t.content, alt: t.content || article.front.title, ...(credit ? { credit } : {}) };
    });
  return {
    id: article.id,
    file: article.file,
    front: frontForPrint(article.front, article.front.lang ?? opts.config.language),
    html,
    // What the author wrote: not the label of a missing photo's marked box.
    text: htmlToText(html.replace(/<div class="pb-fpo"[^>]*><span>[^<]*<\/span><\/div>/g, '')),
    figures,
    hasFootnotes: tokens.some((t) => t.type === 'footnote_block_open'),
    language: article.front.lang ?? opts.config.language,
  };
}

/** The headline texts as print sets them (punctuation.ts), like the body. */
function frontForPrint(front: ArticleSource['front'], language: string): ArticleSource['front'] {
  const cjk = isCjkLanguage(language);
  const out = { ...front };
  for (const k of ['title', 'kicker', 'deck', 'byline', 'dateline', 'summary', 'credit'] as const) {
    const v = out[k];
    if (typeof v === 'string') (out as Record<string, unknown>)[k] = forPrint(v, cjk);
  }
  return out;
}

/** renderArticle for every article of an edition. */
export async function renderArticles(articles: ArticleSource[], opts: RenderOptions): Promise<RenderedArticle[]> {
  const instances = new Map<string, MD>();
  const mdFor = (lang: string) => instances.get(lang) ?? instances.set(lang, createMarkdown(lang)).get(lang)!;
  return Promise.all(articles.map((a) => renderArticle(a, opts, mdFor(a.front.lang ?? opts.config.language))));
}

function decodeNumeric(e: string): string | undefined {
  const m = /^#(?:[xX]([0-9a-fA-F]+)|(\d+))$/.exec(e);
  if (!m) return undefined;
  const cp = m[1] ? parseInt(m[1], 16) : Number(m[2]);
  return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : undefined;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: '\u00a0' };

const BLOCK = /^(p|div|h[1-6]|li|ul|ol|figure|figcaption|blockquote|section|article|aside|header|footer|table|tr|td|th|hr|br|pre|dd|dt|dl)$/i;

/** The text a reader sees: inline tags dropped, blocks separated, entities decoded, back-links removed. */
export function htmlToText(html: string): string {
  return html
    .replace(/<a [^>]*class="footnote-backref"[^>]*>.*?<\/a>/g, '')
    .replace(/<\/?([a-zA-Z][\w-]*)[^>]*>/g, (_, tag: string) => (BLOCK.test(tag) ? ' ' : ''))
    .replace(/&(#?\w+);/g, (m, e: string) => ENTITIES[e] ?? decodeNumeric(e) ?? m)
    .replace(/\s+/g, ' ')
    .trim();
}
