/**
 * The EPUB writer: rendered articles by section → an EPUB 3 that epubcheck passes cleanly, with
 * the edition's language everywhere, navigation by page and article, a cover, accessibility
 * metadata, and the same bytes for the same input (no clock, no random ids).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostics } from '../diagnostics.ts';
import { PaibanError } from '../errors.ts';
import type { EditionConfig, RenderedArticle } from '../model.ts';
import { articleBody, type ArticleTarget } from './article.ts';
import { PaibanEpub, type HeldImage, type PaibanChapter, type PaibanOptions } from './generator.ts';
import { loadFigures, sniffImage, type FigureReads } from './images.ts';
import { escapeXml, idsOf, isLanguageTag } from './markup.ts';
import { editionIdentifier, labels, uniqueStems, w3cDateTime } from './metadata.ts';
import { chapterXHTML, contentOPF, tocNCX, tocXHTML, type NavSection, type NcxPoint, type TemplateData } from './templates.ts';
import { deterministicZip } from './zip.ts';

export interface EpubInput {
  /** title, publication, date, language (BCP 47), identifier?, description?, subjects. */
  config: EditionConfig;
  slug: string;
  /** In reading order: one per page of the plan, e.g. "第1版 特别报道" or "Page 1 · Features". */
  sections: { title: string; articles: RenderedArticle[] }[];
  /** The front page rendered by Chromium: JPEG, PNG or GIF bytes (typed by their content). */
  cover?: { image: Uint8Array };
  /** The only date used (from SOURCE_DATE_EPOCH or the edition date): never the clock. */
  timestamp: Date;
  /** e.g. "paiban 0.1.0". */
  generator: string;
  /** The stylesheet; default: styles/epub.css of this package. */
  css?: string;
  /** Figures already being read and scaled (readFigures, started before pagination). */
  figures?: FigureReads;
}

export const DEFAULT_CSS = new URL('../../styles/epub.css', import.meta.url);

async function stylesheet(): Promise<string> {
  try {
    return await readFile(DEFAULT_CSS, 'utf8');
  } catch (cause) {
    throw new PaibanError('OutputFailed', `the EPUB stylesheet ${DEFAULT_CSS.pathname} cannot be read`, { cause, hint: 'reinstall paiban: styles/epub.css is part of the package' });
  }
}

/** The key the cover image is held under: no figure `src` (a relative path) can look like it. */
const COVER_SRC = '/paiban/cover';

type Section = EpubInput['sections'][number];

export async function writeEpub(input: EpubInput, diagnostics: Diagnostics): Promise<Uint8Array> {
  const { config } = input;
  const lang = config.language;
  const epubFile = `${input.slug}.epub`;
  const sections = ownArticles(input.sections, lang, epubFile, diagnostics);
  const articles = sections.flatMap((s) => s.articles);
  if (!articles.length) throw new PaibanError('OutputFailed', `${epubFile} would have no articles`, { hint: 'list at least one article under pages: in edition.yaml' });
  const stems = uniqueStems(articles.map((a) => a.id));
  const hrefs = new Map(articles.map((a, i) => [a.id, `article-${stems[i]}.xhtml`]));
  const href = (a: RenderedArticle) => hrefs.get(a.id)!;
  const { held, figures, hasCover } = await holdImages(input, articles, epubFile, diagnostics);

  const words = labels({
    config,
    sections: sections.filter((s) => s.articles.length).length,
    articles: articles.length,
    figures: figures,
    hasCover,
    hasNotes: articles.some((a) => a.hasFootnotes),
  });
  const chapters = chaptersOf(articles, href, { images: held, notesLabel: words.notes, diagnostics }, hasCover ? { alt: words.coverAlt, title: words.cover, lang, file: epubFile } : undefined);
  const { nav, ncx } = navigationOf(sections, href, lang);

  const visual = hasCover || figures > 0;
  const paiban: TemplateData = {
    identifier: editionIdentifier(config),
    modified: w3cDateTime(input.timestamp),
    date: config.date,
    languages: [lang, ...new Set(articles.map((a) => a.language).filter((l) => l.toLowerCase() !== lang.toLowerCase()))],
    subjects: config.subjects.filter((s) => s.trim()),
    collection: config.publication,
    generator: input.generator,
    a11y: {
      modes: visual ? ['textual', 'visual'] : ['textual'],
      sufficient: visual ? ['textual', 'textual,visual'] : ['textual'],
      features: ['structuralNavigation', 'tableOfContents', 'readingOrder', ...(visual ? ['alternativeText'] : []), 'displayTransformability'],
      hazards: ['none'],
      summary: words.summary,
    },
    landmarksTitle: words.landmarks,
    landmarks: [
      ...(hasCover ? [{ type: 'cover', href: 'cover.xhtml', title: words.cover }] : []),
      { type: 'toc', href: 'nav.xhtml#toc', title: words.toc },
      { type: 'bodymatter', href: href(articles[0]!), title: words.bodymatter },
    ],
    nav,
    ncx,
    ...(hasCover ? { coverImage: 'cover' } : {}),
  };

  const options: PaibanOptions = {
    title: config.title,
    author: config.publication,
    publisher: config.publication,
    description: words.description,
    date: config.date,
    lang,
    tocTitle: words.toc,
    prependChapterTitles: false,
    css: input.css ?? (await stylesheet()),
    contentOPF,
    tocXHTML,
    tocNCX,
    chapterXHTML,
    version: 3,
    verbose: (type, ...args) => {
      if (type !== 'warn') return;
      const msg = args.map(String).join(' ');
      const index = /content\[(\d+)\]/.exec(msg)?.[1];
      diagnostics.warn(chapters[Number(index)]?.file ?? epubFile, 'epub-html', msg.replace(/^Warning \(content\[\d+\]\):\s*/, ''));
    },
    paiban,
  };

  const zip = await zipped(new PaibanEpub(options, chapters, held), input.timestamp);
  diagnostics.info(epubFile, 'epub-size', `${zip.length} bytes (${(zip.length / 1024).toFixed(1)} KiB): ${articles.length} articles, ${figures} images${hasCover ? ' and a cover' : ''}`);
  return zip;
}

/**
 * Each article once (an article continued on a later page is still one chapter), in plan order;
 * an article whose `lang` is no language tag is read in the edition's language.
 */
function ownArticles(input: Section[], lang: string, epubFile: string, diagnostics: Diagnostics): Section[] {
  const seen = new Set<string>();
  const ownLanguage = (a: RenderedArticle): RenderedArticle => {
    if (isLanguageTag(a.language)) return a;
    diagnostics.warn(a.file, 'epub-lang', `lang "${a.language.slice(0, 40)}" is not a language tag such as zh-CN or en: the EPUB gives this article the edition's language, ${lang}`);
    return { ...a, language: lang };
  };
  const sections = input.map((s) => ({ title: s.title, articles: s.articles.filter((a) => !seen.has(a.id) && seen.add(a.id)).map(ownLanguage) }));
  for (const s of sections) if (!s.articles.length) diagnostics.info(epubFile, 'epub-empty-section', `"${s.title}" has no articles of its own and is left out of the EPUB's table of contents`);
  return sections;
}

/** Images: figures read from the edition (how many: `figures`), and the cover. */
async function holdImages(input: EpubInput, articles: RenderedArticle[], epubFile: string, diagnostics: Diagnostics): Promise<{ held: Map<string, HeldImage>; figures: number; hasCover: boolean }> {
  const figures = await loadFigures(articles, diagnostics, epubFile, input.figures);
  const figStems = uniqueStems([...figures.keys()].map((src) => path.posix.basename(src).replace(/\.[^.]*$/, '')), ['cover']);
  const held = new Map<string, HeldImage>([...figures].map(([src, d], i) => [src, { ...d, stem: figStems[i]! }]));
  const coverType = input.cover && sniffImage(input.cover.image);
  if (input.cover && !coverType) diagnostics.warn(epubFile, 'epub-cover', 'the cover image is not PNG, JPEG or GIF and is left out');
  if (input.cover && coverType) held.set(COVER_SRC, { bytes: input.cover.image, ...coverType, stem: 'cover' });
  return { held, figures: figures.size, hasCover: held.has(COVER_SRC) };
}

/** Chapters: the cover (when there is one), then one per article. */
function chaptersOf(
  articles: RenderedArticle[],
  href: (a: RenderedArticle) => string,
  ctx: { images: Map<string, HeldImage>; notesLabel: string; diagnostics: Diagnostics },
  cover: { alt: string; title: string; lang: string; file: string } | undefined,
): (PaibanChapter & { file: string })[] {
  const targets = new Map<string, ArticleTarget>(articles.map((a) => [path.posix.normalize(a.file.replace(/\\/g, '/')), { href: href(a), ids: idsOf(a.html) }]));
  const chapters: (PaibanChapter & { file: string })[] = [];
  if (cover) {
    const content = `<section class="cover" epub:type="cover">\n<img src="${COVER_SRC}" alt="${escapeXml(cover.alt)}" role="doc-cover" />\n</section>`;
    chapters.push({ title: cover.title, filename: 'cover.xhtml', content, lang: cover.lang, bodyClass: 'cover-page', beforeToc: true, excludeFromToc: true, file: cover.file });
  }
  for (const a of articles) {
    const bodyClass = a.front.kind === 'sidebar' ? 'chapter sidebar-chapter' : 'chapter';
    chapters.push({ title: a.front.title, filename: href(a), content: articleBody(a, { ...ctx, targets }), lang: a.language, bodyClass, file: a.file });
  }
  return chapters;
}

/** Navigation: pages → articles; sections link to their first article (nav.xhtml and the NCX). */
function navigationOf(sections: Section[], href: (a: RenderedArticle) => string, lang: string): { nav: NavSection[]; ncx: NcxPoint[] } {
  const other = (l: string) => (l.toLowerCase() === lang.toLowerCase() ? {} : { lang: l });
  const nav: NavSection[] = sections
    .filter((s) => s.articles.length)
    .map((s) => ({ title: s.title, href: href(s.articles[0]!), articles: s.articles.map((a) => ({ title: a.front.title, href: href(a), ...other(a.language) })) }));
  const order = new Map<string, number>();
  const play = (src: string) => order.get(src) ?? (order.set(src, order.size + 1), order.size);
  const ncx: NcxPoint[] = nav.map((s, i) => ({
    id: `section-${i + 1}`,
    label: s.title,
    src: s.href,
    playOrder: play(s.href),
    children: s.articles.map((a, j) => ({ id: `section-${i + 1}-article-${j + 1}`, label: a.title, src: a.href, playOrder: play(a.href), children: [] })),
  }));
  return { nav, ncx };
}

/** The package's entries, re-zipped deterministically. */
async function zipped(book: PaibanEpub, timestamp: Date): Promise<Uint8Array> {
  const entries = await book.entries();
  // epub-gen-memory names the navigation document toc.xhtml; nav.xhtml is the name readers and
  // people expect (our OPF already says nav.xhtml).
  const toc = entries.get('OEBPS/toc.xhtml');
  if (toc) entries.delete('OEBPS/toc.xhtml'), entries.set('OEBPS/nav.xhtml', toc);
  return deterministicZip(entries, timestamp);
}

export { editionIdentifier } from './metadata.ts';
export { readFigures } from './images.ts';
