/**
 * Stage 3, compose: place the rendered articles on the template's pages and produce the print
 * document (HTML + generated page CSS) that the paginator takes. No browser here: pure strings.
 */
import { trimSize } from '../config/schema.ts';
import type { LoadedEdition } from '../load/edition.ts';
import { htmlToText } from '../markdown/render.ts';
import type { RenderedArticle } from '../model.ts';
import { localeFor, type Locale } from './locale.ts';
import type { Hyphenator } from './hyphenate.ts';
import type { Template } from './template.ts';
import { marksCss } from '../pdf/marks.ts';
import { neighbours, type Rect } from './grid.ts';
import { checkPlan } from './plan.ts';

/** Where the paginator serves things: a reserved name that never resolves on any network. */
export const ORIGIN = 'https://paiban.invalid';
export const ASSET_PREFIX = '/_paiban/';
export const EDITION_PREFIX = '/edition/';

export interface Geometry {
  /** Trimmed page in points. */
  trim: { width: number; height: number };
  bleed: number;
  marks: boolean;
  /** Type area (inside the margins) in points. */
  area: { width: number; height: number };
  /** Page margins (trim edge to type area) in points. */
  margins: { top: number; right: number; bottom: number; left: number };
}

export interface SlotPlacement {
  page: number;
  layout: string;
  slot?: string;
  articleId: string;
  file: string;
  fit: 'auto' | 'none';
}

export interface ComposedDocument {
  /** The document, with stylesheet links under ASSET_PREFIX and a <base> at the edition. */
  html: string;
  /** Generated CSS: @page rules, folios, geometry. Served as ASSET_PREFIX + 'page.css'. */
  pageCss: string;
  /** Template stylesheets: URL path → absolute file. */
  stylesheets: { url: string; file: string }[];
  /** Every character the pages print (articles, folios, mastheads), for font subsetting. */
  text: string;
  geometry: Geometry;
  placements: SlotPlacement[];
  /** Section title per planned page, for bookmarks and the EPUB's navigation. */
  sections: { page: number; title: string; articleIds: string[] }[];
  locale: Locale;
  /**
   * The plan pages composed, in order, and how each paginates: `fixed` fills exactly one page (its
   * screen layout is its print layout), `flow` runs on over as many pages as it needs (no slots),
   * `elastic` has slots in a page that may grow. Chromium's own print layout takes documents
   * without elastic pages (native.ts).
   */
  pageKinds: { page: number; kind: PageKind }[];
  /** Empty slots of fixed pages that no neighbour could take: holes in the page (reported). */
  holes: { page: number; slot: string; rect: Rect }[];
}

export type PageKind = 'fixed' | 'flow' | 'elastic';

/** How a layout paginates (see ComposedDocument.pageKinds). */
export function pageKind(layout: { fixed: boolean; slots: Record<string, unknown> }): PageKind {
  return layout.fixed ? 'fixed' : Object.keys(layout.slots).length === 0 ? 'flow' : 'elastic';
}

export interface ComposeInput {
  edition: LoadedEdition;
  template: Template;
  articles: RenderedArticle[];
  generator: string;
  /** Soft-hyphenate Latin articles for print, by language (see hyphenate.ts). */
  hyphenators?: Map<string, Hyphenator>;
  /** Compose only these plan pages (1-based), for a chunk paginated on its own (src/layout/chunks.ts). */
  only?: number[];
  /** Printed pages before the first page composed: its page counter starts after them. */
  pageOffset?: number;
  /** Crop and cross marks outside the bleed (else edition.yaml's print.marks; src/pdf/marks.ts). */
  marks?: boolean;
}

/** Stage 3: the rendered articles placed on the template's pages: the print document's HTML and page CSS. */
export function compose({ edition, template, articles, generator, hyphenators, only, pageOffset = 0, marks }: ComposeInput): ComposedDocument {
  const { config } = edition;
  const locale = localeFor(config.language);
  const meta = template.meta;
  const byFile = new Map(articles.map((a) => [a.file, a]));
  const { geometry, basic, textColumns } = gridOf(config, meta, locale, marks);
  const dateText = locale.date(config.date);
  const hyphenate = (a: RenderedArticle) => hyphenators?.get(a.language)?.(a.html) ?? a.html;
  const view = (a: RenderedArticle, lead: boolean) => ({
    ...a,
    ...splitWidePhotos(hyphenate(a)),
    lead,
    bylineTop: a.front.byline && a.front.bylinePosition === 'top' ? a.front.byline : undefined,
    bylineEnd: a.front.byline && a.front.bylinePosition === 'end' ? localeFor(a.language).bylineEnd(a.front.byline) : undefined,
  });

  const continued = jumpTargets(config, byFile);
  const ctx: PageContext = { config, meta, byFile, continued, resolved: checkPlan(edition, template), textColumns, view, dateText, placements: [], sections: [], holes: [] };
  const pages = config.pages.map((page, i) => composePage(ctx, page, i));

  const stylesheets = template.styles.map((file, i) => ({ url: `${ASSET_PREFIX}style-${i}-${file.split('/').pop()}`, file }));
  const folio = folioStrings(config.publication, dateText, locale);
  const pageCss =
    pageStyles(geometry, meta, config.pages.map((p, i) => ({ number: i + 1, section: p.section ?? '', editor: p.editor, fixed: meta.layouts[p.layout]!.fixed })), folio, basic) +
    // Paged.js counts pages from 0 on .pagedjs_pages; the first page of a chunk counts for all before it.
    (pageOffset ? `.pagedjs_pages > .pagedjs_page:first-child { --pagedjs-page-counter-increment: ${pageOffset + 1}; }\n` : '') +
    // Marks need a margin outside the bleed, where postprocess draws them (src/pdf/marks.ts, draw-marks.ts).
    (geometry.marks ? marksCss(geometry.bleed) : '');
  const html = template.render({
    language: config.language,
    langBase: config.language.split('-')[0]!.toLowerCase(),
    title: config.title,
    generator,
    csp: CSP,
    base: `${ORIGIN}${EDITION_PREFIX}`,
    stylesheets: [`${ASSET_PREFIX}fonts.css`, `${ASSET_PREFIX}page.css`, ...stylesheets.map((s) => s.url)],
    pages: only ? pages.filter((p) => only.includes(p.number)) : pages,
  });
  const withBase = html.replace(/<head>/, `<head>\n<base href="${ORIGIN}${EDITION_PREFIX}" />`);
  return {
    html: withBase,
    pageCss,
    stylesheets,
    text: printedText(html, [pageCss, ...template.styleText], locale),
    geometry,
    placements: ctx.placements,
    sections: ctx.sections,
    locale,
    holes: only ? ctx.holes.filter((h) => only.includes(h.page)) : ctx.holes,
    pageKinds: config.pages.flatMap((p, i) => (only && !only.includes(i + 1) ? [] : [{ page: i + 1, kind: pageKind(meta.layouts[p.layout]!) }])),
  };
}

type EditionConfig = LoadedEdition['config'];
type TemplateMeta = Template['meta'];

/** The page's geometry, the grid's basic column and how many text columns a slot of n grid columns sets. */
function gridOf(config: EditionConfig, meta: TemplateMeta, locale: Locale, marks: boolean | undefined) {
  const trim = trimSize(config);
  const m = meta.margins;
  const area = { width: trim.width - m.left - m.right, height: trim.height - m.top - m.bottom };
  const geometry: Geometry = { trim, bleed: config.print.bleed, marks: marks ?? config.print.marks, area, margins: { ...m } };
  const basic = (area.width - (meta.grid.columns - 1) * meta.grid.gutter) / meta.grid.columns;
  const textColumns = (cols: number) => {
    const width = cols * basic + (cols - 1) * meta.grid.gutter;
    const measure = locale.isCjk ? meta.type.measure : meta.type.latinMeasure;
    return Math.max(1, Math.floor((width + meta.grid.gutter) / (measure * meta.type.body + meta.grid.gutter)));
  };
  return { geometry, basic, textColumns };
}

/** A jump's rest: its article, the plan page it continues from, and its copyfit. */
interface Continued {
  article: RenderedArticle;
  from: number;
  fit: 'auto' | 'none';
}

/** Articles that jump: their rest is set in a slot of a later page (`continue: { page, slot }`), keyed "page:slot". */
function jumpTargets(config: EditionConfig, byFile: Map<string, RenderedArticle>): Map<string, Continued> {
  const continued = new Map<string, Continued>();
  config.pages.forEach((page, i) => {
    for (const p of page.articles) {
      if (p.continue) continued.set(`${p.continue.page}:${p.continue.slot}`, { article: byFile.get(p.file)!, from: i + 1, fit: p.fit });
    }
  });
  return continued;
}

/** What every page of compose() reads, and what it collects (placements, sections, holes). */
interface PageContext {
  config: EditionConfig;
  meta: TemplateMeta;
  byFile: Map<string, RenderedArticle>;
  continued: Map<string, Continued>;
  resolved: ReturnType<typeof checkPlan>;
  textColumns: (cols: number) => number;
  view: (a: RenderedArticle, lead: boolean) => object;
  dateText: string;
  placements: SlotPlacement[];
  sections: ComposedDocument['sections'];
  holes: ComposedDocument['holes'];
}

/** One page of the plan as its layout's partial sees it: its slots filled, its articles placed. */
function composePage(ctx: PageContext, page: EditionConfig['pages'][number], i: number) {
  const { config, meta, byFile, continued, resolved, textColumns, view, placements } = ctx;
  const number = i + 1;
  const layout = meta.layouts[page.layout]!;
  const placed = page.articles.map((p) => ({ plan: p, article: byFile.get(p.file)! }));
  for (const { plan, article } of placed) {
    placements.push({ page: number, layout: page.layout, slot: plan.slot, articleId: article.id, file: article.file, fit: plan.fit });
  }
  ctx.sections.push({ page: number, title: page.section ?? '', articleIds: placed.map((p) => p.article.id) });
  const fill = (name: string, lead: boolean) => {
    const hit = placed.find((p) => p.plan.slot === name);
    const cont = continued.get(`${number}:${name}`);
    if (cont) placements.push({ page: number, layout: page.layout, slot: name, articleId: cont.article.id, file: cont.article.file, fit: cont.fit });
    return hit
      ? { ...view(hit.article, lead), fit: hit.plan.fit, continueTo: hit.plan.continue }
      : cont
        ? { ...view(cont.article, false), continuedFrom: cont.from, fit: cont.fit }
        : undefined;
  };
  const boxes = resolved[i]!.slots;
  for (const h of resolved[i]!.holes) ctx.holes.push({ page: number, slot: h.name, rect: h });
  // Fixed pages: each filled slot's box on the grid, and rules where it meets a neighbour.
  const slots = layout.fixed
    ? boxes.map((b) => {
        const near = neighbours(b, boxes);
        return {
          name: b.name,
          columns: b.columns,
          textColumns: textColumns(b.columns),
          classes: [near.above && 'pb-rule-above', near.left && 'pb-rule-left', b.lead && 'pb-slot-lead'].filter(Boolean).join(' '),
          style: `grid-column: ${b.column} / span ${b.columns}; grid-row: ${b.row} / span ${b.rows}; --pb-slot-columns: ${b.columns}; --pb-text-columns: ${textColumns(b.columns)}`,
          article: fill(b.name, b.lead),
        };
      })
    : Object.entries(layout.slots).map(([name, s]) => ({ name, columns: s.columns, textColumns: textColumns(s.columns), classes: '', style: `--pb-slot-columns: ${s.columns}; --pb-text-columns: ${textColumns(s.columns)}`, article: fill(name, name === 'lead' || name === 'top') }));
  return {
    partial: `layout-${page.layout}`,
    number,
    pageName: `pb-p${number}`,
    publication: config.publication,
    issue: config.issue,
    dateText: ctx.dateText,
    section: page.section,
    banner: page.banner,
    credit: page.credit,
    // Which slots hold an article, so a layout's CSS can give empty slots' room to others.
    gridClass: slots.filter((s) => s.article).map((s) => `has-${s.name}`).join(' '),
    slots,
    articles: placed.map((p) => view(p.article, false)),
  };
}

/**
 * The characters the pages print, for the font subsets: the document's text, generated content
 * (folios, ornaments) in the stylesheets, the jump lines, and the hyphen soft hyphens become.
 */
function printedText(html: string, styles: string[], locale: Locale): string {
  const cssText = [...styles.join('\n').matchAll(/content:\s*([^;}]*)/g)]
    .flatMap((decl) => [...decl[1]!.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => unescapeCss(x[1]!)))
    .join(' ');
  const jumpText = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => locale.continuedOn(n) + locale.continuedFrom(n)).join('');
  return `${htmlToText(html).replaceAll('\u00ad', '')} ${cssText} ${jumpText} \u2010`;
}

const WIDE = /<figure class="figure wide[ "][\s\S]*?<\/figure>\n?/g;

/**
 * Photos marked `{.wide}` span the article's columns: in print they are set between the headline
 * and the text (CSS columns cannot span a photo over some of them), where a fixed slot lets them
 * take up the slack. The EPUB keeps them in place.
 */
export function splitWidePhotos(html: string): { html: string; photos: string } {
  const photos = html.match(WIDE) ?? [];
  return { html: html.replace(WIDE, ''), photos: photos.join('') };
}

/** Only paiban's own scripts run; styles inline (Paged.js injects them); nothing leaves the origin. */
export const CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'";

interface Folio {
  left: (section: string) => string;
  center: string;
  right: (editor?: string) => string;
}

function folioStrings(publication: string, dateText: string, locale: Locale): Folio {
  const [before, after] = locale.pageLabel('\u0000').split('\u0000') as [string, string];
  return {
    left: (section) => `${cssString(before)} counter(page) ${cssString(after + (section ? `  ${section}` : ''))}`,
    center: `${cssString(`${publication}  ${dateText}`)}`,
    right: (editor) => (editor ? cssString(locale.isCjk ? `责任编辑：${editor}` : `Editor: ${editor}`) : '""'),
  };
}

function pageStyles(g: Geometry, meta: Template['meta'], pages: { number: number; section: string; editor?: string; fixed: boolean }[], folio: Folio, basic: number): string {
  const m = meta.margins;
  const pt = (n: number) => `${Math.round(n * 1000) / 1000}pt`;
  const rules = [
    `/* Generated by paiban from edition.yaml and template.yaml: page geometry and folios. */`,
    `@page { size: ${pt(g.trim.width)} ${pt(g.trim.height)}; margin: ${pt(m.top)} ${pt(m.right)} ${pt(m.bottom)} ${pt(m.left)};${g.bleed ? ` bleed: ${pt(g.bleed)};` : ''} }`,
    `:root { --pb-area-width: ${pt(g.area.width)}; --pb-area-height: ${pt(g.area.height)}; --pb-basic-column: ${pt(basic)}; --pb-gutter: ${pt(meta.grid.gutter)}; --pb-grid-columns: ${meta.grid.columns}; --pb-grid-rows: ${meta.grid.rows}; --pb-row-gap: ${pt(meta.grid.rowGap)}; --pb-body-size: ${pt(meta.type.body)}; --pb-leading: ${meta.type.leading}; }`,
  ];
  for (const p of pages) {
    rules.push(
      `.pb-page[data-plan-page="${p.number}"] { page: pb-p${p.number}; }`,
      `@page pb-p${p.number} { @top-left { content: ${folio.left(p.section)}; } @top-center { content: ${folio.center}; } @top-right { content: ${folio.right(p.editor)}; } }`,
    );
  }
  return rules.join('\n') + '\n';
}

/** A CSS string literal that cannot break out of its rule or the <style> element. */
export function cssString(s: string): string {
  return `"${[...s].map((c) => (/[\p{L}\p{N} ·.,:;!?()（）：，。、—–-]/u.test(c) && c !== '\\' ? c : `\\${c.codePointAt(0)!.toString(16)} `)).join('')}"`;
}

function unescapeCss(s: string): string {
  return s.replace(/\\([0-9a-f]{1,6}) ?/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)));
}
