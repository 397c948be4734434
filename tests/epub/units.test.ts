/**
 * The EPUB writer's pieces: escaping of front matter, identifiers, zip time stamps, footnotes,
 * names, image typing; and a second book (English, no cover, hostile titles, images that cannot
 * be carried) that must still pass epubcheck.
 */
import { strFromU8, unzipSync } from 'fflate';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../src/diagnostics.ts';
import { footnotes } from '../../src/epub/article.ts';
import { readFigures, writeEpub, type EpubInput } from '../../src/epub/index.ts';
import { forScreens, SCREEN_PIXELS, sniffImage } from '../../src/epub/images.ts';
import { decodeCharRefs, escapeXml, plainQuotesInText } from '../../src/epub/markup.ts';
import { editionIdentifier, safeStem, uniqueStems } from '../../src/epub/metadata.ts';
import { dosStamp } from '../../src/epub/zip.ts';
import { article, config, editionInput, epubcheck, hostileInput } from './fixtures.ts';
import { requireTools } from '../helpers/tools.ts';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

requireTools('epubcheck');

let cached: Promise<{ bytes: Uint8Array; diagnostics: Diagnostics; files: Record<string, Uint8Array> }> | undefined;
const hostileBook = () => (cached ??= buildHostileBook());

async function buildHostileBook() {
  const diagnostics = new Diagnostics();
  const bytes = await writeEpub(await hostileInput(), diagnostics);
  return { bytes, diagnostics, files: unzipSync(bytes) };
}

describe('escaping front matter', () => {
  it('escapes a headline with <script> and & everywhere it appears', async () => {
    const { files } = await hostileBook();
    for (const [name, data] of Object.entries(files)) {
      if (/\.(xhtml|opf|ncx)$/.test(name)) expect(strFromU8(data), name).not.toMatch(/<script|<i>|<C>|<elsewhere>|<Page 1>|<test>/);
    }
    const chapter = strFromU8(files['OEBPS/article-hostile.xhtml']!);
    expect(chapter).toContain('<title>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co</title>');
    expect(chapter).toContain('<h1 class="headline">&lt;script&gt;alert("x")&lt;/script&gt; &amp; Co</h1>');
    expect(chapter).toContain('<p class="kicker">a &lt; b</p>');
    expect(chapter).toContain(`<p class="deck">"quoted" &amp; 'single'</p>`);
    expect(chapter).toContain('<p class="byline">&lt;i&gt;nobody&lt;/i&gt;</p>');
    const nav = strFromU8(files['OEBPS/nav.xhtml']!);
    expect(nav).toContain('&lt;Page 1&gt; &amp; &#34;Features&#34;');
    expect(nav).toContain('&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co');
    const opf = strFromU8(files['OEBPS/content.opf']!);
    expect(opf).toContain('<dc:title id="title">A &amp; B &lt;C&gt;</dc:title>');
    expect(opf).toContain('<dc:identifier id="pub-id">urn:paiban:test&amp;id</dc:identifier>');
    expect(opf).toContain('<meta name="generator" content="paiban &lt;test&gt;" />');
  });

  it('escapes XML text and drops characters XML forbids', () => {
    expect(escapeXml(`<a href="x">'&'</a>\u0001\uFFFF`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(decodeCharRefs('&#x6D4B;&#x8BD5; &#x26; &#60; &#x1F600; &#x1;')).toBe('测试 &#x26; &#60; 😀 &#x1;');
    expect(plainQuotesInText(`<p title="a &quot;b&quot; > &apos;c&apos;" data-x='&#39;'>&quot;it&apos;s&#34; &amp;&#x27;</p>`)).toBe(
      `<p title="a &quot;b&quot; > &apos;c&apos;" data-x='&#39;'>"it's" &amp;'</p>`,
    );
  });
});

describe('an English book without cover and with images it cannot carry', () => {
  it('still passes epubcheck', async () => {
    const { bytes } = await hostileBook();
    const out = await epubcheck(bytes, 'hostile.epub');
    expect(out, out).toContain('Messages: 0 fatals / 0 errors / 0 warnings');
  });

  it('says so, and describes itself in English without claiming images', async () => {
    const { files, diagnostics } = await hostileBook();
    const rules = diagnostics.items.map((d) => `${d.severity} ${d.rule}`);
    expect(rules).toEqual(expect.arrayContaining(['warning epub-image', 'info epub-empty-section', 'info epub-size']));
    expect(diagnostics.items.filter((d) => d.rule === 'epub-image').map((d) => d.message)).toEqual([
      expect.stringContaining('"images/x.webp" left out of the EPUB: it cannot be read as an image'),
      expect.stringContaining('"images/inline.png" left out of the EPUB'),
    ]);
    const opf = strFromU8(files['OEBPS/content.opf']!);
    expect(opf).toContain('<meta property="dcterms:modified">1970-01-01T00:00:00Z</meta>');
    expect(opf).toContain('<dc:description>A &amp; B &lt;C&gt;: the 15 June 2022 edition of 浙江日报, 1 section and 1 article.</dc:description>');
    expect(opf).not.toContain('cover-image');
    expect(opf).not.toContain('schema:accessMode">visual');
    expect(opf).not.toContain('alternativeText');
    expect(Object.keys(files).filter((n) => n.includes('images/'))).toEqual([]);
    const chapter = strFromU8(files['OEBPS/article-hostile.xhtml']!);
    expect(chapter).toContain('<span class="caption">A WebP</span>');
    expect(chapter).not.toContain('<img');
    expect(strFromU8(files['OEBPS/nav.xhtml']!)).toContain('<h1 id="toc-title" class="toc-title">Contents</h1>');
  });
});

describe('images for screens', () => {
  const make = (width: number, height: number, channels: 3 | 4 = 3) => sharp({ create: { width, height, channels, background: { r: 40, g: 90, b: 160, alpha: 0.5 } } });

  it('scales a print-size PNG and JPEG to SCREEN_PIXELS on the long side, keeping the format, the same bytes every time', async () => {
    const png = new Uint8Array(await make(3200, 2000).png().toBuffer());
    const a = await forScreens(png);
    const b = await forScreens(png);
    if ('problem' in a || 'problem' in b) throw new Error('not carried');
    expect(a.mediaType).toBe('image/png');
    expect(a.scaled).toEqual({ from: [3200, 2000], to: [SCREEN_PIXELS, 1000] });
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    const jpeg = await forScreens(new Uint8Array(await make(2000, 3000).jpeg().toBuffer()));
    expect(jpeg).toMatchObject({ mediaType: 'image/jpeg', extension: 'jpg', scaled: { from: [2000, 3000], to: [1067, SCREEN_PIXELS] } });
  });

  it('turns a JPEG upright by its EXIF orientation, as Chromium prints it', async () => {
    const sideways = new Uint8Array(await make(1200, 800).jpeg().withMetadata({ orientation: 6 }).toBuffer());
    const r = await forScreens(sideways);
    if ('problem' in r) throw new Error(r.problem);
    expect(await sharp(r.bytes).metadata()).toMatchObject({ width: 800, height: 1200 });
    expect((await sharp(r.bytes).metadata()).orientation ?? 1).toBe(1);
  });

  it('converts WebP (not an EPUB 3.2 core type): PNG when it has transparency, else JPEG', async () => {
    expect(await forScreens(new Uint8Array(await make(100, 80, 4).webp().toBuffer()))).toMatchObject({ mediaType: 'image/png', extension: 'png' });
    expect(await forScreens(new Uint8Array(await make(100, 80).webp().toBuffer()))).toMatchObject({ mediaType: 'image/jpeg', extension: 'jpg' });
  });

  it('leaves small images, GIF and SVG as they are, and refuses what is no image', async () => {
    const small = new Uint8Array(await make(1600, 900).png().toBuffer());
    expect(await forScreens(small)).toEqual({ bytes: small, mediaType: 'image/png', extension: 'png' });
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="4000"/>');
    expect(await forScreens(svg)).toEqual({ bytes: svg, mediaType: 'image/svg+xml', extension: 'svg' });
    expect(await forScreens(new TextEncoder().encode('not an image'))).toEqual({ problem: expect.stringContaining('not PNG, JPEG, WebP, GIF or SVG') });
  });
});

describe('figures read before the EPUB is written (as a build does while Chromium lays out the pages)', () => {
  /** The hand-made edition plus a print-size photo (scaled), a missing file and a broken WebP. */
  async function input(): Promise<EpubInput> {
    const base = await editionInput();
    const photo = base.sections[0]!.articles[0]!.figures[0]!.absPath;
    const big = path.join(path.dirname(photo), 'big.png');
    await writeFile(big, await sharp({ create: { width: 3200, height: 2000, channels: 3, background: { r: 200, g: 60, b: 20 } } }).png().toBuffer());
    const broken = path.join(path.dirname(photo), 'broken.webp');
    await writeFile(broken, Uint8Array.from([0x52, 0x49, 0x46, 0x46, 0x1a, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x20]));
    const fig = (src: string, absPath: string) => ({ src, absPath, caption: src, alt: src });
    const html = ['big.png', 'gone.png', 'broken.webp'].map((src) => `<figure class="figure"><img src="images/${src}" alt="${src}" /><figcaption><span class="caption">${src}</span></figcaption></figure>`).join('\n');
    const photos = article('photos', { title: '图片' }, html, { figures: [fig('images/big.png', big), fig('images/gone.png', path.join(path.dirname(photo), 'gone.png')), fig('images/broken.webp', broken)] });
    return { ...base, sections: [...base.sections, { title: '第3版 图片', articles: [photos] }] };
  }

  it('gives the same bytes and the same reports as reading them while writing', async () => {
    const inp = await input();
    const plain = new Diagnostics();
    const expected = await writeEpub(inp, plain);
    expect(plain.items.filter((d) => d.rule === 'epub-image').map((d) => d.message)).toEqual([
      expect.stringContaining('"images/gone.png" left out'),
      expect.stringContaining('"images/broken.webp" left out'),
      expect.stringContaining('1 image of up to 3200 px scaled'),
    ]);
    // Read early from every article of the edition, one of them in no section: only the EPUB's are used.
    const unused = article('unused', { title: '未排' }, '<p>x</p>', { figures: [{ src: 'images/unused.png', absPath: path.join(path.dirname(inp.sections[0]!.articles[0]!.figures[0]!.absPath), 'unused.png'), caption: '', alt: '' }] });
    const all = [unused, ...inp.sections.flatMap((s) => s.articles).reverse()];
    const early = new Diagnostics();
    const figures = readFigures(all, { oneAtATime: true });
    expect(figures.size).toBe(5);
    const got = await writeEpub({ ...inp, figures }, early);
    expect(Buffer.compare(Buffer.from(got), Buffer.from(expected))).toBe(0);
    expect(early.items).toEqual(plain.items);
    // Some read early, the rest when writing.
    const some = new Diagnostics();
    const partly = await writeEpub({ ...inp, figures: readFigures([inp.sections[2]!.articles[0]!]) }, some);
    expect(Buffer.compare(Buffer.from(partly), Buffer.from(expected))).toBe(0);
    expect(some.items).toEqual(plain.items);
  });
});

describe('language tags that are not', () => {
  const book = async () => {
    const bad = article('bad-lang', { title: '语言', lang: 'zh-CN" onfocus="alert(5)' }, '<p>正文<span lang="en x">mixed</span>，<span lang="en">fine</span>。</p>');
    const diagnostics = new Diagnostics();
    const bytes = await writeEpub({ config: config(), slug: 'bad-lang', sections: [{ title: '第1版', articles: [bad] }], timestamp: new Date(0), generator: 'paiban' }, diagnostics);
    return { bytes, diagnostics };
  };

  it('are dropped with a warning: the article gets the edition\'s language, a span loses its tag', async () => {
    const { bytes, diagnostics } = await book();
    const files = unzipSync(bytes);
    const chapter = strFromU8(files['OEBPS/article-bad-lang.xhtml']!);
    expect(chapter).toContain('xml:lang="zh-CN" lang="zh-CN">');
    expect(chapter).toContain('<p>正文<span>mixed</span>，<span lang="en" xml:lang="en">fine</span>。</p>');
    for (const [name, data] of Object.entries(files)) expect(strFromU8(data), name).not.toContain('onfocus');
    expect(diagnostics.items.filter((d) => d.rule === 'epub-lang').map((d) => d.message)).toEqual([
      expect.stringContaining('the EPUB gives this article the edition\'s language, zh-CN'),
      expect.stringContaining('lang="en x" dropped'),
    ]);
  });

  it('leave a book that passes epubcheck', async () => {
    const out = await epubcheck((await book()).bytes, 'bad-lang.epub');
    expect(out, out).toContain('Messages: 0 fatals / 0 errors / 0 warnings');
  });
});

describe('pieces', () => {
  it('derives a stable identifier from publication, date and title', () => {
    const c = config();
    expect(editionIdentifier(c)).toBe(editionIdentifier(config()));
    expect(editionIdentifier(c)).not.toBe(editionIdentifier(config({ date: '2022-06-16' })));
    expect(editionIdentifier(config({ identifier: 'urn:isbn:9780000000000' }))).toBe('urn:isbn:9780000000000');
  });

  it('clamps zip times to the DOS range and uses UTC fields', () => {
    expect(dosStamp(new Date(0))).toEqual({ time: 0, date: (1 << 5) | 1 });
    expect(dosStamp(new Date('2022-06-15T08:30:17Z'))).toEqual({ time: (8 << 11) | (30 << 5) | 8, date: (42 << 9) | (6 << 5) | 15 });
  });

  it('names files from ids deterministically', () => {
    expect(safeStem('interview')).toBe('interview');
    expect(safeStem('专访')).toMatch(/^[0-9a-f]{8}$/);
    expect(safeStem('a b')).toMatch(/^a-b-[0-9a-f]{8}$/);
    expect(uniqueStems(['x', 'X', 'x-2'])).toEqual(['x', 'X-2', 'x-2-2']);
  });

  it('types images by their bytes', () => {
    expect(sniffImage(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toEqual({ mediaType: 'image/jpeg', extension: 'jpg' });
    expect(sniffImage(new TextEncoder().encode('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'))).toEqual({ mediaType: 'image/svg+xml', extension: 'svg' });
    expect(sniffImage(new TextEncoder().encode('RIFF....WEBPVP8 '))).toBeUndefined();
  });

  it('converts markdown-it-footnote output with repeated refs and block content', () => {
    const tail = [
      '<hr class="footnotes-sep" />\n<section class="footnotes">\n<ol class="footnotes-list">',
      '<li id="fn-a-1" class="footnote-item"><p>Note one <a href="#fnref-a-1" class="footnote-backref">↩︎</a> <a href="#fnref-a-1:1" class="footnote-backref">↩︎</a></p>\n</li>',
      '<li id="fn-a-2" class="footnote-item"><p>Note two</p>\n<ul>\n<li>with list</li>\n</ul>\n <a href="#fnref-a-2" class="footnote-backref">↩︎</a></li>',
      '</ol>\n</section>\n',
    ].join('\n');
    const out = footnotes(tail, 'Notes');
    expect(out).toContain('<section class="footnotes" epub:type="footnotes" aria-label="Notes">');
    expect(out).toContain('<aside id="fn-a-1" class="footnote" epub:type="footnote" role="doc-footnote">\n<p><a href="#fnref-a-1" class="footnote-label" role="doc-backlink">[1]</a> Note one</p>\n</aside>');
    expect(out).toContain('<aside id="fn-a-2" class="footnote" epub:type="footnote" role="doc-footnote">\n<p><a href="#fnref-a-2" class="footnote-label" role="doc-backlink">[2]</a> Note two</p>\n<ul>\n<li>with list</li>\n</ul>\n</aside>');
    expect(out).not.toContain('↩');
  });
});
