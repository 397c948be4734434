/**
 * The EPUB writer end to end on a small hand-made edition: epubcheck clean, metadata, navigation,
 * language, footnotes, and byte-identical rebuilds (also in another time zone).
 */
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { Diagnostics } from '../../src/diagnostics.ts';
import { editionIdentifier, writeEpub, type EpubInput } from '../../src/epub/index.ts';
import { dosStamp } from '../../src/epub/zip.ts';
import { requireTools } from '../helpers/tools.ts';
import { editionInput, epubcheck } from './fixtures.ts';

requireTools('epubcheck');

let input: EpubInput;
let bytes: Uint8Array;
let files: Record<string, Uint8Array>;
let diagnostics: Diagnostics;
const text = (name: string) => strFromU8(files[`OEBPS/${name}`]!);

beforeAll(async () => {
  input = await editionInput();
  diagnostics = new Diagnostics();
  bytes = await writeEpub(input, diagnostics);
  files = unzipSync(bytes);
});

describe('writeEpub', () => {
  it('passes epubcheck with no errors and no warnings', async () => {
    const out = await epubcheck(bytes, 'test-edition.epub');
    expect(out, out).toContain('Messages: 0 fatals / 0 errors / 0 warnings');
  });

  it('starts with a stored mimetype entry and stamps every entry with the timestamp', () => {
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(v.getUint32(0, true)).toBe(0x04034b50);
    expect(v.getUint16(8, true)).toBe(0); // stored
    expect(v.getUint16(28, true)).toBe(0); // no extra field
    expect(strFromU8(bytes.subarray(30, 38))).toBe('mimetype');
    expect(strFromU8(bytes.subarray(38, 58))).toBe('application/epub+zip');
    const { time, date } = dosStamp(input.timestamp);
    expect([v.getUint16(10, true), v.getUint16(12, true)]).toEqual([time, date]);
    expect(Object.keys(files).slice(0, 3)).toEqual(['mimetype', 'META-INF/container.xml', 'OEBPS/content.opf']);
  });

  it('is byte-identical when built again, in another time zone too', async () => {
    const again = await writeEpub(await editionInput(), new Diagnostics());
    const tz = process.env.TZ;
    process.env.TZ = 'America/St_Johns';
    try {
      const elsewhere = await writeEpub(await editionInput(), new Diagnostics());
      expect(Buffer.compare(Buffer.from(elsewhere), Buffer.from(bytes))).toBe(0);
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
    expect(Buffer.compare(Buffer.from(again), Buffer.from(bytes))).toBe(0);
  });

  it('writes the package metadata from the edition', () => {
    const opf = text('content.opf');
    expect(opf).toContain('<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" xml:lang="zh-CN">');
    const id = editionIdentifier(input.config);
    expect(id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(opf).toContain(`<dc:identifier id="pub-id">${id}</dc:identifier>`);
    expect(opf.match(/<dc:language>[^<]*<\/dc:language>/g)).toEqual(['<dc:language>zh-CN</dc:language>', '<dc:language>en</dc:language>']);
    expect(opf).toContain('<meta property="dcterms:modified">2022-06-15T08:30:00Z</meta>');
    expect(opf).toContain('<dc:date>2022-06-15</dc:date>');
    expect(opf).toContain('<dc:title id="title">闪亮“浙”五年·特别报道 &amp; 测试</dc:title>');
    expect(opf).toContain('<dc:publisher>浙江日报</dc:publisher>');
    expect(opf).toContain('<dc:creator id="creator">浙江日报</dc:creator>');
    expect(opf).toContain('<dc:subject>浙江</dc:subject>');
    expect(opf).toContain('<dc:subject>组织工作</dc:subject>');
    const description = /<dc:description>([^<]*)<\/dc:description>/.exec(opf)?.[1] ?? '';
    expect(description).toContain('浙江日报2022年6月15日');
    expect(description).toContain('共2个版面、3篇文章');
    expect(opf).toContain('<meta name="generator" content="paiban 0.1.0" />');
    expect(opf).not.toMatch(/epub-gen|ibooks|image-placeholder/);
  });

  it('declares the cover image and the cover page', () => {
    const opf = text('content.opf');
    expect(opf).toContain('<item id="img-cover" href="images/cover.png" media-type="image/png" properties="cover-image" />');
    expect(Buffer.from(files['OEBPS/images/cover.png']!).equals(Buffer.from(input.cover!.image))).toBe(true);
    expect(opf).toMatch(/<spine toc="ncx">\s*<itemref idref="cover" \/>\s*<itemref idref="nav" \/>\s*<itemref idref="article-interview" \/>/);
    const cover = text('cover.xhtml');
    expect(cover).toContain('epub:type="cover"');
    expect(cover).toContain('<img src="images/cover.png" alt="浙江日报2022年6月15日第1版版面" role="doc-cover"/>');
  });

  it('states accessibility metadata true to the content', () => {
    const opf = text('content.opf');
    const values = (p: string) => [...opf.matchAll(new RegExp(`<meta property="schema:${p}">([^<]*)</meta>`, 'g'))].map((m) => m[1]);
    expect(values('accessMode')).toEqual(['textual', 'visual']);
    expect(values('accessModeSufficient')).toContain('textual');
    expect(values('accessibilityFeature')).toEqual(['structuralNavigation', 'tableOfContents', 'readingOrder', 'alternativeText', 'displayTransformability']);
    expect(values('accessibilityHazard')).toEqual(['none']);
    expect(values('accessibilitySummary')[0]).toMatch(/替代文字/);
  });

  it('navigates by section, then article, with the headlines', () => {
    const nav = text('nav.xhtml');
    const sections = [...nav.matchAll(/<li class="toc-section"><a href="([^"]+)">([^<]+)<\/a>\s*<ol class="toc-articles">([\s\S]*?)<\/ol>/g)].map((m) => ({
      href: m[1],
      title: m[2],
      articles: [...m[3]!.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].map((a) => [a[1], a[2]]),
    }));
    expect(sections).toEqual([
      {
        href: 'article-interview.xhtml',
        title: '第1版 特别报道',
        articles: [
          ['article-interview.xhtml', '交出守好“红色根脉”的新时代组工答卷'],
          ['article-talent.xhtml', '从“鲲鹏行动”计划 看浙江打造人才高地'],
        ],
      },
      { href: 'article-reform-en.xhtml', title: '第2版 要闻', articles: [['article-reform-en.xhtml', 'Reform, rebuilt &amp; renewed']] },
    ]);
    expect(nav).toContain('<a href="article-reform-en.xhtml" xml:lang="en" lang="en">');
    expect(nav).toMatch(/epub:type="landmarks"[\s\S]*epub:type="cover" href="cover.xhtml"[\s\S]*epub:type="toc" href="nav.xhtml#toc"[\s\S]*epub:type="bodymatter" href="article-interview.xhtml"/);
    const ncx = text('toc.ncx');
    expect(ncx).toContain(`<meta name="dtb:uid" content="${editionIdentifier(input.config)}" />`);
    expect(ncx.match(/<text>[^<]*<\/text>/g)!.slice(2)).toEqual([
      '<text>第1版 特别报道</text>',
      '<text>交出守好“红色根脉”的新时代组工答卷</text>',
      '<text>从“鲲鹏行动”计划 看浙江打造人才高地</text>',
      '<text>第2版 要闻</text>',
      '<text>Reform, rebuilt &amp; renewed</text>',
    ]);
  });

  it('sets the language on every XHTML document', () => {
    const xhtml = Object.keys(files).filter((n) => n.endsWith('.xhtml'));
    expect(xhtml.sort()).toEqual(['OEBPS/article-interview.xhtml', 'OEBPS/article-reform-en.xhtml', 'OEBPS/article-talent.xhtml', 'OEBPS/cover.xhtml', 'OEBPS/nav.xhtml']);
    for (const name of xhtml) expect(strFromU8(files[name]!), name).toMatch(/<html [^>]*xml:lang="(zh-CN|en)" lang="\1"/);
    expect(text('article-reform-en.xhtml')).toContain('<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="en" lang="en">');
    expect(text('article-reform-en.xhtml')).toContain('<span lang="zh-CN" xml:lang="zh-CN">整体智治</span>');
  });

  it('opens each article with its header and keeps text as UTF-8', () => {
    const a = text('article-interview.xhtml');
    expect(a).toContain('<title>交出守好“红色根脉”的新时代组工答卷</title>');
    expect(a).toMatch(/<header class="article-header">\s*<p class="kicker">闪亮“浙”五年<\/p>\s*<h1 class="headline">交出守好“红色根脉”的新时代组工答卷<\/h1>\s*<p class="deck">——专访省委组织部常务副部长张学伟<\/p>\s*<p class="byline">本报记者 沈吟<\/p>\s*<\/header>/);
    expect(a).toContain('<p><span class="dateline">本报杭州6月14日讯</span>\u3000“组织新形态');
    expect(a).not.toMatch(/&#x[0-9a-f]+;/i);
    expect(a).toContain('<ol start="3">');
    const talent = text('article-talent.xhtml');
    expect(talent).toContain('<article class="article sidebar-article">');
    expect(talent).toMatch(/<p class="byline byline-end">（本报记者 沈吟）<\/p>\s*<\/article>/);
    expect(text('article-reform-en.xhtml')).toContain('<p class="byline byline-end">— Shen Yin</p>');
  });

  it('carries the figure with its alt text, and makes links work inside the book', () => {
    const a = text('article-interview.xhtml');
    expect(a).toContain('<img src="images/photo.png" alt="图为浙江大学数学高等研究院“梦之队”"/>');
    expect(a).toContain('<span class="caption">图为浙江大学数学高等研究院“梦之队”</span>\u3000<span class="credit">省委组织部供图</span>');
    expect(files['OEBPS/images/photo.png']?.length).toBeGreaterThan(50);
    expect(text('content.opf')).toContain('<item id="img-photo" href="images/photo.png" media-type="image/png" />');
    expect(a).toContain('<a href="article-talent.xhtml">鲲鹏行动</a>');
    expect(a).toContain('与附表。');
    expect(diagnostics.items).toContainEqual(expect.objectContaining({ file: 'interview.md', severity: 'warning', rule: 'epub-link' }));
  });

  it('turns footnotes into EPUB 3 noterefs and footnote asides', () => {
    for (const [name, id] of [['article-interview.xhtml', 'interview'], ['article-reform-en.xhtml', 'reform-en']] as const) {
      const a = text(name);
      expect(a).toContain(`<a href="#fn-${id}-1" id="fnref-${id}-1" epub:type="noteref" role="doc-noteref">[1]</a>`);
      expect(a).toMatch(new RegExp(`<aside id="fn-${id}-1" class="footnote" epub:type="footnote" role="doc-footnote">\\s*<p><a href="#fnref-${id}-1" class="footnote-label" role="doc-backlink">\\[1\\]</a> `));
      expect(a).not.toContain('footnote-backref');
      expect(a).not.toContain('footnotes-sep');
    }
  });

  it('reports its size', () => {
    const size = diagnostics.items.find((d) => d.rule === 'epub-size');
    expect(size).toMatchObject({ severity: 'info', file: 'test-edition.epub' });
    expect(size!.message).toContain(`${bytes.length} bytes`);
  });
});
