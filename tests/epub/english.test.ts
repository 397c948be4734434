/**
 * An English edition written in Markdown (tests/epub/english/), through the real load and render
 * stages into the EPUB writer: Latin labels and metadata, every element the stylesheet styles,
 * links between articles, tables, boxes, notes; epubcheck clean and reproducible.
 */
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostics } from '../../src/diagnostics.ts';
import { writeEpub, type EpubInput } from '../../src/epub/index.ts';
import { requireTools } from '../helpers/tools.ts';
import { englishInput, epubcheck } from './fixtures.ts';

requireTools('epubcheck');

let input: EpubInput;
let diagnostics: Diagnostics;
let bytes: Uint8Array;
let files: Record<string, Uint8Array>;
const text = (name: string) => strFromU8(files[`OEBPS/${name}`]!);

beforeAll(async () => {
  ({ input, diagnostics } = await englishInput());
  bytes = await writeEpub(input, diagnostics);
  files = unzipSync(bytes);
});

describe('an English edition from Markdown', () => {
  it('passes epubcheck with no errors and no warnings', async () => {
    const out = await epubcheck(bytes, 'english.epub');
    expect(out, out).toContain('Messages: 0 fatals / 0 errors / 0 warnings');
  });

  it('is built without warnings, small, and byte-identical when built again', async () => {
    expect(diagnostics.items.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(bytes.length).toBeLessThan(30_000);
    const again = await englishInput();
    expect(Buffer.from(await writeEpub(again.input, again.diagnostics)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('describes itself in English, with the edition language on the package', () => {
    const opf = text('content.opf');
    expect(opf).toContain('xml:lang="en-GB"');
    expect(opf.match(/<dc:language>[^<]*<\/dc:language>/g)).toEqual(['<dc:language>en-GB</dc:language>']);
    expect(opf).toContain('<dc:title id="title">The Harbour Reopens</dc:title>');
    expect(opf).toContain('<dc:publisher>The Tidewater Courier</dc:publisher>');
    expect(opf).toContain('<dc:description>A weekend edition on the reopening of Tidewater harbour after two winters of repairs.</dc:description>');
    expect(opf).toContain('<dc:subject>local government</dc:subject>');
    expect(opf).toContain('<meta property="dcterms:modified">2024-03-09T00:00:00Z</meta>');
    expect(opf).toContain('<meta property="schema:accessibilityFeature">alternativeText</meta>');
    expect(opf).toMatch(/<meta property="schema:accessibilitySummary">This is a reflowable e-book[^<]*Every image has a text alternative[^<]*Notes are linked/);
    expect(opf).not.toContain('cover-image');
    const nav = text('nav.xhtml');
    expect(nav).toContain('<h1 id="toc-title" class="toc-title">Contents</h1>');
    expect([...nav.matchAll(/<li class="toc-section"><a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]])).toEqual([
      ['article-harbour.xhtml', 'Page 1 · News'],
      ['article-letters.xhtml', 'Page 2 · Opinion'],
    ]);
  });

  it('opens the article with its header and keeps the dateline, figure, notes and links', () => {
    const a = text('article-harbour.xhtml');
    expect(a).toMatch(/<header class="article-header">\s*<p class="kicker">Tidewater<\/p>\s*<h1 class="headline">After two winters, the harbour wall stands again<\/h1>\s*<p class="deck">Fishing boats returned/);
    expect(a).toContain('<p><span class="dateline">TIDEWATER, 8 March</span> The first boat');
    expect(a).toContain('<img src="images/harbour-dawn.png" alt="The Grace Abounding enters the rebuilt harbour at first light on Friday"/>');
    expect(a).toContain('<span class="credit">Photograph: Jen Aldous</span>');
    expect(a).toContain('<blockquote class="pullquote">');
    expect(a).toContain('<a href="article-figures.xhtml">tide and berth tables</a>');
    expect(a).toContain('<a href="article-letters.xhtml#the-cost">letters page</a>');
    expect(a).toContain('epub:type="noteref" role="doc-noteref"');
    expect(a.match(/<aside id="fn-harbour-\d" class="footnote" epub:type="footnote" role="doc-footnote">/g)).toHaveLength(2);
    // Straight quotes typed in Markdown become typographic ones (markdown-it's typographer, by language).
    expect(a).toContain('“People forget that a harbour is a place of work,” said Pascoe. “It’s not scenery.”');
  });

  it('keeps tables, boxes and the end byline of a boxed article', () => {
    const f = text('article-figures.xhtml');
    expect(f).toContain('<body class="chapter sidebar-chapter">');
    expect(f).toContain('<article class="article sidebar-article">');
    expect(f).toContain('<td style="text-align:right">£1.3m</td>');
    expect(f).toContain('<aside class="sidebar">\n<p class="box-title">Key dates</p>');
    expect(f).toContain('<aside class="note">');
    expect(f).toMatch(/<p class="byline byline-end">— Research by Sam Okafor<\/p>\s*<\/article>/);
    // The WebP photo, which print takes as it is, becomes a JPEG: WebP is no EPUB 3.2 core media type.
    expect(f).toContain('<img src="images/lighthouse.jpg" alt="The restored lighthouse at the end of the new wall"/>');
    expect(text('content.opf')).toContain('<item id="img-lighthouse" href="images/lighthouse.jpg" media-type="image/jpeg" />');
  });

  it('marks a Chinese phrase in English text with its language', () => {
    expect(text('article-letters.xhtml')).toContain('<em lang="zh-CN" xml:lang="zh-CN">整体智治</em>');
    expect(text('article-letters.xhtml')).toContain('<h2 id="the-cost">The cost</h2>');
  });
});
