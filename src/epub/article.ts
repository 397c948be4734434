/**
 * One rendered article → the body of its own XHTML chapter: a <header> with kicker, headline,
 * deck and byline (the headline is in the front matter, not in the HTML), the body with figures
 * pointed at the EPUB's copies, links made to work inside the book, EPUB 3 footnotes, and an end
 * byline when the front matter asks for one.
 */
import path from 'node:path';
import type { Diagnostics } from '../diagnostics.ts';
import type { RenderedArticle } from '../model.ts';
import type { ImageData } from './images.ts';
import { escapeXml, getAttr, idsOf, isLanguageTag, mapStartTags, mirrorLang, setAttr, stripInvalidXml, unescapeXml } from './markup.ts';
import { isCjk } from './metadata.ts';

export interface ArticleTarget {
  /** Chapter file name inside the EPUB, e.g. `article-interview.xhtml`. */
  href: string;
  ids: Set<string>;
}

export interface ArticleContext {
  /** Images the EPUB carries, keyed by `src` as written in the HTML. */
  images: Map<string, ImageData>;
  /** Every article of the book by its `file` (relative to the edition), to resolve links. */
  targets: Map<string, ArticleTarget>;
  notesLabel: string;
  diagnostics: Diagnostics;
}

/** The XHTML `<body>` content for one article. */
export function articleBody(article: RenderedArticle, ctx: ArticleContext): string {
  const html = stripInvalidXml(article.html);
  const cut = html.search(/<hr class="footnotes-sep"\s*\/?>|<section class="footnotes">/);
  let body = cut < 0 ? html : html.slice(0, cut);
  const notes = cut < 0 ? '' : footnotes(html.slice(cut), ctx.notesLabel);

  // A missing photo's marked box (FPO) is for the proof of the printed page, not for readers.
  body = body.replace(/<figure class="figure[^"]*\bfpo\b[^"]*"[^>]*>[\s\S]*?<\/figure>\n?/g, '');
  body = images(body, article, ctx);
  // The credit follows the caption: a space between them, so copy and text-to-speech keep them apart.
  body = body.replace(/<\/span><span class="credit">/g, `</span>${isCjk(article.language) ? '\u3000' : ' '}<span class="credit">`);
  body = dateline(body, article);
  body += endByline(article);
  body = body.replace(/<sup class="footnote-ref"><a href="(#[^"]+)" id="([^"]+)">/g, '<sup class="footnote-ref"><a href="$1" id="$2" epub:type="noteref" role="doc-noteref">');

  const kind = article.front.kind === 'sidebar' ? ' sidebar-article' : '';
  const all = `<article class="article${kind}">\n${header(article)}\n${body.trim()}\n${notes}</article>`;
  return mirrorLang(languages(links(all, article, ctx), article, ctx));
}

/** `lang` attributes that are not language tags (`{lang="…"}` takes any text) are dropped, with a warning. */
function languages(html: string, a: RenderedArticle, ctx: ArticleContext): string {
  return mapStartTags(html, '*', (attrs) => {
    const lang = getAttr(attrs, 'lang');
    if (lang === undefined || isLanguageTag(unescapeXml(lang))) return attrs;
    ctx.diagnostics.warn(a.file, 'epub-lang', `lang="${unescapeXml(lang).slice(0, 40)}" dropped in the EPUB: it is not a language tag such as zh-CN or en`);
    return attrs.filter(([k]) => k !== 'lang' && k !== 'xml:lang');
  });
}

function header(a: RenderedArticle): string {
  const f = a.front;
  const line = (cls: string, text: string | undefined) => (text?.trim() ? `<p class="${cls}">${escapeXml(text.trim())}</p>\n` : '');
  const byline = f.bylinePosition === 'end' ? '' : line('byline', f.byline);
  return `<header class="article-header">\n${line('kicker', f.kicker)}<h1 class="headline">${escapeXml(f.title)}</h1>\n${line('deck', f.deck)}${byline}</header>`;
}

/** 本报杭州6月14日讯 leads the first paragraph, as in print; otherwise it stands on its own line. */
function dateline(body: string, a: RenderedArticle): string {
  const d = a.front.dateline?.trim();
  if (!d) return body;
  const span = `<span class="dateline">${escapeXml(d)}</span>${isCjk(a.language) ? '\u3000' : ' '}`;
  const m = /^\s*<p>/.exec(body);
  return m ? `${m[0]}${span}${body.slice(m[0].length)}` : `<p class="dateline-line">${span.trimEnd()}</p>\n${body}`;
}

/** （本报记者 沈吟） for Chinese, Japanese and Korean; — Jane Doe for Latin text: as in print. */
function endByline(a: RenderedArticle): string {
  const b = a.front.byline?.trim();
  if (!b || a.front.bylinePosition !== 'end') return '';
  const text = isCjk(a.language) ? (/^[（(].*[)）]$/.test(b) ? b : `（${b}）`) : /^[—–-]/.test(b) ? b : `— ${b}`;
  return `<p class="byline byline-end">${escapeXml(text)}</p>\n`;
}

/**
 * `<img>` → the EPUB's copy. epub-gen-memory would fetch `src` (over the network for URLs) and
 * replace an empty alt with "image-placeholder"; so each src must be one we hold the bytes of, and
 * each alt must be real text: the figure's alt, else its caption, else the headline.
 */
function images(body: string, a: RenderedArticle, ctx: ArticleContext): string {
  return mapStartTags(body, 'img', (attrs) => {
    const src = unescapeXml(getAttr(attrs, 'src') ?? '');
    if (!ctx.images.has(src)) {
      if (!a.figures.some((f) => f.src === src)) ctx.diagnostics.warn(a.file, 'epub-image', `image "${src}" left out of the EPUB: only figures (an image alone in its paragraph) are carried`);
      return null;
    }
    const fig = a.figures.find((f) => f.src === src);
    const alt = unescapeXml(getAttr(attrs, 'alt') ?? '').trim() || fig?.alt.trim() || fig?.caption.trim() || a.front.title;
    return setAttr(attrs, 'alt', escapeXml(alt));
  });
}

/**
 * markdown-it-footnote's `<section class="footnotes"><ol><li id="fn…">` → one
 * `<aside epub:type="footnote">` per note, so reading systems can show notes as pop-ups. Each note
 * starts with its number, linked back to the (first) reference; the trailing ↩︎ links go.
 */
export function footnotes(tail: string, label: string): string {
  const items = [...tail.matchAll(/<li id="([^"]+)" class="footnote-item">/g)];
  const notes = items.map((m, i) => {
    const start = m.index! + m[0].length;
    const end = i + 1 < items.length ? items[i + 1]!.index! : tail.lastIndexOf('</ol>');
    let inner = tail.slice(start, end).replace(/\s*<\/li>\s*$/, '');
    const back = /<a href="#([^"]+)" class="footnote-backref">/.exec(inner)?.[1];
    inner = inner.replace(/\s*<a href="#[^"]+" class="footnote-backref">[\s\S]*?<\/a>/g, '').trim();
    const num = /(\d+)$/.exec(m[1]!)?.[1] ?? String(i + 1);
    const mark = back ? `<a href="#${back}" class="footnote-label" role="doc-backlink">[${num}]</a> ` : `<span class="footnote-label">[${num}]</span> `;
    inner = inner.startsWith('<p>') ? `<p>${mark}${inner.slice(3)}` : `<p>${mark.trim()}</p>\n${inner}`;
    return `<aside id="${m[1]}" class="footnote" epub:type="footnote" role="doc-footnote">\n${inner}\n</aside>\n`;
  });
  return notes.length ? `<section class="footnotes" epub:type="footnotes" aria-label="${escapeXml(label)}">\n${notes.join('')}</section>\n` : '';
}

/**
 * Links that would break inside the book are unwrapped (their text stays): fragments that name no
 * id, relative links to anything but another article, schemes other than http(s)/mailto/tel.
 * A link to another article's Markdown file goes to that article's chapter.
 */
function links(html: string, a: RenderedArticle, ctx: ArticleContext): string {
  const own = idsOf(html);
  const warn = (href: string, why: string) => ctx.diagnostics.warn(a.file, 'epub-link', `link "${href}" kept as plain text in the EPUB: ${why}`);
  return html.replace(/<a\b((?:\s+[^\s=>\/]+(?:\s*=\s*"[^"]*")?)*)\s*>([\s\S]*?)<\/a>/g, (whole, attrText: string, inner: string) => {
    const hrefRaw = /\shref="([^"]*)"/.exec(attrText)?.[1];
    if (hrefRaw === undefined) return whole;
    const href = unescapeXml(hrefRaw);
    const swap = (to: string) => whole.replace(/\shref="[^"]*"/, ` href="${escapeXml(to)}"`);
    if (href.startsWith('#')) {
      if (own.has(decode(href.slice(1)))) return whole;
      warn(href, 'there is no such anchor in the article');
      return inner;
    }
    if (/^(https?:\/\/|mailto:|tel:)/i.test(href)) return whole;
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) {
      warn(href, 'only http(s), mailto and tel links work in an e-book');
      return inner;
    }
    const [file = '', frag] = href.split('#', 2);
    const rel = path.posix.normalize(path.posix.join(path.posix.dirname(a.file.replace(/\\/g, '/')), decode(file)));
    const target = ctx.targets.get(rel);
    if (!target) {
      warn(href, 'it points at a file that is not an article of this edition');
      return inner;
    }
    return swap(frag && target.ids.has(decode(frag)) ? `${target.href}#${frag}` : target.href);
  });
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
