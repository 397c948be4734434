/**
 * Flow-only documents printed by Chromium's own print layout (src/paginate/native.ts), checked
 * against the same edition paginated by Paged.js (PAIBAN_PAGINATOR=pagedjs): the same geometry,
 * folios on every page, bookmarks and images on the pages they name, words whole, a cover.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream } from 'pdf-lib';
import { deflateSync, inflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/build.ts';
import { nativeMeasure, nativePageCss } from '../../src/paginate/native.ts';
import { cleanPdfText, readDestinations } from '../../src/paginate/native-pdf.ts';
import { chineseText, writeEdition } from '../helpers/editions.ts';
import { pdffonts, pdftotext } from '../helpers/tools.ts';
import { pageBoxes, pageTexts, qpdfOutline } from '../pdf/helpers.ts';
import { withRuns } from '../helpers/runs.ts';
import { factsOf, verifyBuild } from '../helpers/verify.ts';
import { png, tempDir, withPaginator } from './helpers.ts';

const ENGLISH = readFileSync(path.resolve('tests/fixtures/english/lighthouse.md'), 'utf8').replace(/^---[\s\S]*?\n---\n/, '').trim();

function flowEdition(): string {
  const dir = writeEdition(
    'flow',
    [
      'title: 流排测试',
      'publication: 测试报',
      'date: 2022-06-15',
      'language: zh-CN',
      'paper: { width: 148mm, height: 210mm }',
      'print: { bleed: 3mm, marks: false }',
      'pages:',
      '  - layout: flow',
      '    section: 中文',
      '    articles:',
      '      - { file: zh.md }',
      '  - layout: flow',
      '    section: English',
      '    articles:',
      '      - { file: en.md }',
      '',
    ].join('\n'),
    [
      { file: 'zh.md', title: '流排的中文文章', paragraphs: [...chineseText(2500).slice(0, 8), '![图为测试图片。](images/photo.png)', ...chineseText(2500).slice(8)] },
      { file: 'en.md', title: 'The keepers of the northern light', front: { lang: 'en' }, paragraphs: [ENGLISH, ENGLISH] },
    ],
  );
  mkdirSync(path.join(dir, 'images'));
  writeFileSync(path.join(dir, 'images', 'photo.png'), png(1200, 800));
  return dir;
}

function buildWith(paginator: 'auto' | 'pagedjs', dir: string, out: string, workers?: number): Promise<BuildResult> {
  return withPaginator(paginator, () => build(dir, { out, workers }));
}

describe('a flow-only edition printed by Chromium', () => {
  const dir = flowEdition();
  const outNative = tempDir('paiban-native-');
  const outPaged = tempDir('paiban-pagedjs-');
  const pdf = path.join(outNative, 'flow.pdf');
  let native: BuildResult;
  let paged: BuildResult;

  beforeAll(async () => {
    native = await buildWith('auto', dir, outNative);
    paged = await buildWith('pagedjs', dir, outPaged);
  }, 300_000);

  it('builds without problems, about as many pages as Paged.js makes', () => {
    expect(native.ok).toBe(true);
    // A flow runs on as far as its text goes: the last page of each of the two flows is reported as
    // not full (with how full it is), nothing else.
    const said = native.diagnostics.items.filter((d) => d.severity !== 'info');
    expect(said.map((d) => d.rule)).toEqual(['page-underfull', 'page-underfull']);
    for (const d of said) expect(d.message).toMatch(/^page \d+, the last of the flow of planned page [12], is filled to \d+% of its depth/);
    expect(native.pages).toBeGreaterThanOrEqual(4);
    expect(Math.abs(native.pages - paged.pages)).toBeLessThanOrEqual(Math.ceil(paged.pages * 0.15));
  });

  it('has the page geometry of the Paged.js build: trim, bleed and media boxes', () => {
    expect(pageBoxes(pdf, 1)).toEqual(pageBoxes(path.join(outPaged, 'flow.pdf'), 1));
  });

  it('prints the folio with its own page number on every page, and the section', () => {
    const texts = pageTexts(pdf, native.pages);
    texts.forEach((t, i) => expect(t.replace(/\s+/g, ''), `page ${i + 1}`).toContain(`第${i + 1}版`));
    expect(texts[0]).toContain('中文');
    expect(texts[native.pages - 1]).toContain('English');
  });

  it('bookmarks each page and article on the page where it is printed', () => {
    const outline = qpdfOutline(pdf);
    const titles = (o: typeof outline): string[] => o.flatMap((e) => [e.title, ...titles(e.kids)]);
    expect(titles(outline)).toEqual(titles(qpdfOutline(path.join(outPaged, 'flow.pdf'))));
    const texts = pageTexts(pdf, native.pages).map((t) => t.replace(/\s+/g, ''));
    const articles = outline.flatMap((e) => e.kids);
    expect(articles.length).toBe(2);
    for (const a of articles) expect(texts[a.page - 1], a.title).toContain(a.title.replace(/\s+/g, '').slice(0, 6));
    expect(articles[1]!.page).toBeGreaterThan(articles[0]!.page);
  });

  it('places the photo on the page preflight names, at the column width', () => {
    const [image] = native.preflight.images;
    expect(image?.page).toBeGreaterThan(0);
    expect(pageTexts(pdf, native.pages)[image!.page - 1]!.replace(/\s+/g, '')).toContain('图为测试图片');
    expect(image!.widthMm).toBeGreaterThan(30);
    expect(image!.widthMm).toBeLessThan(148);
  });

  it('keeps words whole: no soft hyphen in the text, a hyphen only at a line end', () => {
    const text = pdftotext(pdf, '-raw');
    expect(text).not.toContain('\u00ad');
    expect(text).not.toMatch(/\p{L}\u2010\p{L}/u);
    expect([...text.matchAll(/[A-Za-z]+\u2010\n/g)].length).toBeGreaterThan(3);
    const joined = text.replace(/([A-Za-z])\u2010\n\s*([a-z])/g, '$1$2');
    const missing = [...new Set(ENGLISH.match(/[A-Za-z]{4,}/g) ?? [])].filter((w) => !joined.includes(w));
    expect(missing).toEqual([]);
  });

  it('embeds every face as a real font, never Type 3; the English article in Latin faces', () => {
    const fonts = pdffonts(pdf);
    expect(fonts.some((f) => /LiberationSerif/.test(f.name))).toBe(true);
    for (const f of fonts) expect(f.type, f.name).toBe('CID TrueType');
  });

  it('gives the EPUB a cover drawn from page 1', () => {
    const files = unzipSync(readFileSync(path.join(outNative, 'flow.epub')));
    const cover = Object.entries(files).find(([name]) => /cover\.(jpe?g)$/i.test(name));
    expect(cover, Object.keys(files).join(', ')).toBeDefined();
    expect([...cover![1].subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  });

  it('passes the shared verification: fonts, every character of both articles in order, kinsoku', () => {
    expect(verifyBuild(pdf, dir, factsOf(native))).toEqual([]);
    expect(verifyBuild(path.join(outPaged, 'flow.pdf'), dir, factsOf(paged))).toEqual([]);
  });

  it('is byte-identical when built again', async () => {
    const again = tempDir('paiban-native-again-');
    await buildWith('auto', dir, again);
    for (const f of ['flow.pdf', 'flow.epub']) expect(readFileSync(path.join(again, f)).equals(readFileSync(path.join(outNative, f))), f).toBe(true);
  });
});

describe('a flow run after fixed pages, in a pool of two workers', () => {
  it('numbers its pages after those before it, as one worker does', async () => {
    const para = chineseText(4000);
    // Eight planned pages, two runs of four (MIN_PAGES_PER_RUN): fronts 1-4; then the flow, which
    // runs over several pages, and fronts 6-8, numbered after the flow's pages.
    const front = (n: number) => [`  - layout: front`, `    section: 要闻${n}`, '    articles:', `      - { file: f${n}.md, slot: lead }`].join('\n');
    const fronts = [1, 2, 3, 4, 6, 7, 8];
    const dir = writeEdition(
      'mixed',
      ['title: 混排测试', 'publication: 测试报', 'date: 2022-06-15', 'language: zh-CN', 'paper: tabloid', 'pages:', ...[1, 2, 3, 4].map(front), '  - layout: flow', '    section: 长文', '    articles:', '      - { file: long.md }', ...[6, 7, 8].map(front), ''].join('\n'),
      [...fronts.map((n) => ({ file: `f${n}.md`, title: `第${n}篇`, paragraphs: para.slice(0, 4) })), { file: 'long.md', title: '长文', paragraphs: [...para, ...para, ...para] }],
    );
    const outOne = tempDir('paiban-mixed-1-');
    const one = await buildWith('auto', dir, outOne, 1);
    const outTwo = tempDir('paiban-mixed-2-');
    const { result: two, runs } = await withRuns(() => buildWith('auto', dir, outTwo, 2));
    // Two runs: the four fixed pages, then the flow numbered after them; no fallback to one.
    expect([...runs].sort((a, b) => a - b)).toEqual([1, 5]);
    expect(two.ok).toBe(true);
    expect(two.pages).toBeGreaterThan(9);
    expect(Math.abs(two.pages - one.pages)).toBeLessThanOrEqual(1);
    const texts = pageTexts(path.join(outTwo, 'mixed.pdf'), two.pages);
    texts.forEach((t, i) => expect(t.replace(/\s+/g, ''), `page ${i + 1}`).toContain(`第${i + 1}版`));
    const pages = qpdfOutline(path.join(outTwo, 'mixed.pdf')).map((o) => o.page);
    expect(pages.slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    // The fronts after the flow come after all of its pages, as one worker numbers them.
    expect(pages.slice(-3)).toEqual([two.pages - 2, two.pages - 1, two.pages]);
    expect(pages).toEqual(qpdfOutline(path.join(outOne, 'mixed.pdf')).map((o) => o.page));
    // Every story whole on the page its bookmark names.
    expect(verifyBuild(path.join(outTwo, 'mixed.pdf'), dir, { ...factsOf(two), printedPage: (n) => pages[n - 1]! })).toEqual([]);
  }, 300_000);
});

describe('native print units', () => {
  const g = { trim: { width: 400, height: 600 }, bleed: 8.5, marks: false, area: { width: 340, height: 520 }, margins: { top: 50, right: 30, bottom: 30, left: 30 } };

  it('makes the sheet trim + bleed, grows the margins by the bleed and pads the margin boxes', () => {
    const css = nativePageCss(g, 0);
    expect(css).toContain('size: 417pt 617pt; margin: 58.5pt 38.5pt 38.5pt 38.5pt;');
    expect(css).toContain('@top-center { padding-top: 8.5pt; }');
    expect(css).toContain('@bottom-left { padding-bottom: 8.5pt; }');
    expect(css).not.toContain(':first');
    expect(nativePageCss({ ...g, bleed: 0 }, 0)).not.toMatch(/@(top|bottom|left|right)-[a-z-]+ \{ padding/);
  });

  it('starts the page counter after the pages before the chunk', () => {
    expect(nativePageCss(g, 12)).toContain('@page :first { counter-increment: page 13; }');
  });

  it('maps destinations to plan pages, article starts and image pages', () => {
    const m = nativeMeasure(
      { pages: [{ dest: 'p1', planPage: 3, layout: 'flow' }, { dest: 'p2', planPage: 4, layout: 'flow' }], articles: [{ dest: 'a', id: 'x', text: '甲乙' }], images: [{ dest: 'i', src: 'a.png', width: 10, height: 5, naturalWidth: 100, naturalHeight: 50, fit: 'fill' }] },
      new Map([['p1', 1], ['p2', 3], ['a', 2], ['i', 2]]),
      4,
    );
    expect(m.pages.map((p) => p.planPage)).toEqual([3, 3, 4, 4]);
    expect(m.articleStart).toEqual({ x: 2 });
    expect(m.placedText).toEqual({ x: '甲乙' });
    expect(m.images[0]?.page).toBe(2);
  });

  it("empties soft hyphens in ActualText (a ligature's own glyphs keep its letters) and drops the destinations", async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([100, 100]);
    const content = 'BT /Span<</ActualText <feff00ad> >> BDC <0003> Tj EMC /Span<</ActualText <feff006600ad0069> >> BDC <0010> Tj EMC /Span<</ActualText <feff2014> >> BDC <0011> Tj EMC /Span<</ActualText <feff006600ad00660069> >> BDC\n3.9 0 Td <04db> Tj\n12.1 0 Td <0001> Tj\nEMC ET';
    const stream = PDFRawStream.of(doc.context.obj({ Filter: 'FlateDecode' }) as PDFDict, deflateSync(Buffer.from(content, 'latin1')));
    page.node.set(PDFName.of('Contents'), doc.context.register(stream));
    const dests = doc.context.obj({}) as PDFDict;
    dests.set(PDFName.of('pb-dest-1'), doc.context.obj([page.ref, PDFName.of('XYZ'), PDFNumber.of(0), PDFNumber.of(50), PDFNumber.of(0)]) as PDFArray);
    doc.catalog.set(PDFName.of('Dests'), dests);
    expect(readDestinations(doc)).toEqual(new Map([['pb-dest-1', 1]]));
    expect(await cleanPdfText(doc)).toBe(3);
    const ref = page.node.get(PDFName.of('Contents'));
    const text = inflateSync(Buffer.from((doc.context.lookup(ref) as PDFRawStream).contents)).toString('latin1');
    expect(text).toContain('/ActualText <feff> >>');
    expect(text).toContain('/ActualText <feff00660069> >>');
    expect(text).toContain('/ActualText <feff2014> >>');
    expect(text).toContain('/Span<</ActualText <feff006600660069> >> BDC\n3.9 0 Td <04db> Tj\nEMC\n/Span<</ActualText <feff> >> BDC\n12.1 0 Td <0001> Tj\nEMC');
    expect(doc.catalog.get(PDFName.of('Dests'))).toBeUndefined();
  });
});
