import { describe, it, expect, vi, afterEach } from 'vitest';
import { spawnSync } from 'node:child_process';
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRawStream, PDFRef, PDFString } from 'pdf-lib';
import { postprocess, type PostprocessInput } from '../../src/pdf/postprocess.ts';
import { toPoints } from '../../src/config/schema.ts';
import { requireTools } from '../helpers/tools.ts';
import { fakePrint, MM, pageBoxes, pdfinfo, qpdfCheck, qpdfOutline, tempPdf, trailerId } from './helpers.ts';

const TRIM = { width: toPoints('390mm'), height: toPoints('540mm') }; // broadsheet
const BLEED = toPoints('3mm');
// What Chromium 156 printed for `@page { size: 396mm 546mm }` (broadsheet + 3 mm bleed).
const CHROMIUM = { width: 1122.95996, height: 1548 };
const DATE = new Date('2022-06-15T08:00:00Z');

const METADATA = {
  title: '闪亮“浙”五年',
  author: '浙江日报',
  subject: '浙江日报 2022年6月15日 特别报道',
  keywords: ['浙江', '五年', 'Zhejiang'],
  language: 'zh-CN',
  creator: 'paiban 0.1.0',
  producer: 'paiban 0.1.0 (Chromium, pdf-lib 1.17.1)',
  date: DATE,
};

const OUTLINE = [
  { title: '第1版 特别报道', pageIndex: 0, children: [{ title: '闪亮“浙”五年', pageIndex: 0 }, { title: '共同富裕示范区', pageIndex: 1 }] },
  { title: '第2版 要闻', pageIndex: 1, open: false, children: [{ title: '访谈：山区26县', pageIndex: 2, children: [{ title: '链接', pageIndex: 2 }] }] },
  { title: '第3版', pageIndex: 2 },
];

async function input(over: Partial<PostprocessInput> = {}): Promise<PostprocessInput> {
  const pdf = over.pdf ?? (await fakePrint({ ...CHROMIUM, pages: 3 }));
  return { pdf, trim: TRIM, bleed: BLEED, marks: 0, metadata: METADATA, outline: OUTLINE, ...over };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('postprocess: page boxes', () => {
  it('sets TrimBox/BleedBox from the printed MediaBox on every page, trim anchored at the top-left', async () => {
    const file = await tempPdf(await postprocess(await input()));
    const boxes = pageBoxes(file, 3);
    expect(boxes).toHaveLength(3);
    for (const b of boxes) {
      expect(b.MediaBox).toEqual([0, 0, 1122.96, 1548]);
      expect(b.CropBox).toEqual(b.MediaBox);
      // Trim: 8.50 in from the left and top, exactly 390 × 540 mm (1105.51 × 1530.71 pt).
      expect(b.TrimBox).toEqual([8.5, 8.79, 1114.02, 1539.5]);
      // Bleed: 3 mm around the trim; the 0.44/0.28 pt Chromium added right/bottom stays outside.
      expect(b.BleedBox).toEqual([0, 0.28, 1122.52, 1548]);
    }
  });

  it('insets by bleed + marks and outsets the bleed box from the trim', async () => {
    const trim = { width: 210 * MM, height: 297 * MM };
    const [bleed, marks] = [3 * MM, 24];
    const pdf = await fakePrint({ width: trim.width + 2 * (bleed + marks), height: trim.height + 2 * (bleed + marks), pages: 2 });
    const file = await tempPdf(await postprocess(await input({ pdf, trim, bleed, marks, outline: [] })));
    for (const b of pageBoxes(file, 2)) {
      // 210 × 297 mm + 2 × (3 mm + 24 pt) = 660.28 × 906.90 pt
      expect(b.MediaBox).toEqual([0, 0, 660.28, 906.9]);
      expect(b.TrimBox).toEqual([32.5, 32.5, 627.78, 874.39]);
      expect(b.BleedBox).toEqual([24, 24, 636.28, 882.9]);
    }
  });

  it('with no bleed and no marks, trim = bleed = media', async () => {
    const pdf = await fakePrint({ width: 595.28, height: 841.89, pages: 1 });
    const file = await tempPdf(await postprocess(await input({ pdf, trim: { width: 595.28, height: 841.89 }, bleed: 0, outline: [] })));
    const [b] = pageBoxes(file, 1);
    expect(b!.TrimBox).toEqual(b!.MediaBox);
    expect(b!.BleedBox).toEqual(b!.MediaBox);
  });

  it('clips the boxes to a MediaBox printed slightly small', async () => {
    const pdf = await fakePrint({ width: 595.28 - 0.5, height: 841.89 - 0.5, pages: 1 });
    const file = await tempPdf(await postprocess(await input({ pdf, trim: { width: 595.28, height: 841.89 }, bleed: 0, outline: [] })));
    const [b] = pageBoxes(file, 1);
    expect(b!.TrimBox).toEqual([0, 0, 594.78, 841.39]);
    expect(qpdfCheck(file).status).toBe(0);
  });

  it('reads a MediaBox inherited from the page tree', async () => {
    const pdf = await fakePrint({ ...CHROMIUM, pages: 2, inheritMediaBox: true });
    const file = await tempPdf(await postprocess(await input({ pdf, outline: [] })));
    for (const b of pageBoxes(file, 2)) expect(b.TrimBox).toEqual([8.5, 8.79, 1114.02, 1539.5]);
  });

  it('throws when the printed page size is wrong, saying what was expected and found', async () => {
    const pdf = await fakePrint({ width: 595.28, height: 841.89, pages: 2 }); // A4, not broadsheet
    await expect(postprocess(await input({ pdf }))).rejects.toThrow(
      /printed page size is wrong: page 1 is 595\.28 × 841\.89 pt \(210 × 297 mm\) but 1122\.52 × 1547\.72 pt \(396 × 546 mm\) was expected/,
    );
  });

  it('says so when the input is not a PDF', async () => {
    await expect(postprocess(await input({ pdf: new TextEncoder().encode('<html>') }))).rejects.toThrow(/cannot be read/);
  });

  it('allows 1 pt of rounding and no more', async () => {
    const trim = { width: 500, height: 700 };
    const at = async (d: number) => postprocess(await input({ pdf: await fakePrint({ width: 500 + d, height: 700, pages: 1 }), trim, bleed: 0, outline: [] }));
    await expect(at(0.99)).resolves.toBeInstanceOf(Uint8Array);
    await expect(at(-0.99)).resolves.toBeInstanceOf(Uint8Array);
    await expect(at(1.2)).rejects.toThrow(/page size is wrong/);
    await expect(at(-1.2)).rejects.toThrow(/page size is wrong/);
  });
});

describe('postprocess: metadata', () => {
  it('passes qpdf --check without a warning', async () => {
    const r = qpdfCheck(await tempPdf(await postprocess(await input())));
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(/warning/i);
    expect(r.stdout).toContain('No syntax or stream encoding errors found');
    expect(r.status).toBe(0);
  });

  it('writes the Info dictionary from the given metadata and date, nothing from the clock', async () => {
    const info = pdfinfo(await tempPdf(await postprocess(await input())));
    expect(info.get('Title')).toBe('闪亮“浙”五年');
    expect(info.get('Author')).toBe('浙江日报');
    expect(info.get('Subject')).toBe(METADATA.subject);
    expect(info.get('Keywords')).toBe('浙江, 五年, Zhejiang');
    expect(info.get('Creator')).toBe('paiban 0.1.0');
    expect(info.get('Producer')).toBe(METADATA.producer);
    expect(info.get('CreationDate')).toBe('Wed Jun 15 08:00:00 2022 UTC');
    expect(info.get('ModDate')).toBe('Wed Jun 15 08:00:00 2022 UTC');
    expect(info.get('Pages')).toBe('3');
    expect(info.get('Metadata Stream')).toBe('yes');
    const raw = pdfinfo(await tempPdf(await postprocess(await input())), '-rawdates');
    expect(raw.get('CreationDate')).toBe('D:20220615080000Z');
  });

  it('leaves out Subject and Keywords when not given', async () => {
    const { subject: _s, keywords: _k, ...rest } = METADATA;
    const info = pdfinfo(await tempPdf(await postprocess(await input({ metadata: rest }))));
    expect(info.has('Subject')).toBe(false);
    expect(info.has('Keywords')).toBe(false);
    expect(info.get('Title')).toBe('闪亮“浙”五年');
  });

  it('sets /Lang, DisplayDocTitle, PageMode and an XMP stream in the catalog', async () => {
    const doc = await PDFDocument.load(await postprocess(await input()), { updateMetadata: false });
    const cat = doc.catalog;
    expect(cat.lookup(PDFName.of('Lang'), PDFString).decodeText()).toBe('zh-CN');
    expect(cat.lookup(PDFName.of('ViewerPreferences'), PDFDict).get(PDFName.of('DisplayDocTitle'))?.toString()).toBe('true');
    expect(cat.get(PDFName.of('PageMode'))).toBe(PDFName.of('UseOutlines'));
    const xmp = cat.lookup(PDFName.of('Metadata'));
    if (!(xmp instanceof PDFRawStream)) throw new Error('no /Metadata stream');
    expect(xmp.dict.get(PDFName.of('Subtype'))).toBe(PDFName.of('XML'));
    expect(xmp.dict.has(PDFName.of('Filter'))).toBe(false);
    const xml = new TextDecoder().decode(xmp.getContents());
    expect(xml).toContain('<rdf:li xml:lang="x-default">闪亮“浙”五年</rdf:li>');
    expect(xml).toContain('<rdf:li xml:lang="zh-CN">闪亮“浙”五年</rdf:li>');
    expect(xml).toContain('<rdf:li>浙江日报</rdf:li>');
    expect(xml).toMatch(/<dc:language>\s*<rdf:Bag>\s*<rdf:li>zh-CN<\/rdf:li>/);
    for (const tag of ['xmp:CreateDate', 'xmp:ModifyDate', 'xmp:MetadataDate']) expect(xml).toContain(`<${tag}>2022-06-15T08:00:00Z</${tag}>`);
    expect(xml).toContain('<pdf:Producer>paiban 0.1.0 (Chromium, pdf-lib 1.17.1)</pdf:Producer>');
    expect(xml).toContain('<xmp:CreatorTool>paiban 0.1.0</xmp:CreatorTool>');
    expect(xml).toMatch(/<xmpMM:DocumentID>uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}<\/xmpMM:DocumentID>/);
  });

  // Python's XML parser (python3 comes with python3-fonttools, which the set-up installs).
  it('writes well-formed XMP, even from titles with markup characters', async () => {
    requireTools('python3');
    const metadata = { ...METADATA, title: 'A & B <c> "d" \u0001', author: "O'Brien & 浙江" };
    const file = await tempPdf(await postprocess(await input({ metadata })));
    const xml = spawnSync('pdfinfo', ['-meta', file], { encoding: 'utf8' }).stdout;
    const r = spawnSync(process.env.PAIBAN_PYTHON || '/usr/bin/python3', ['-c', 'import sys, xml.dom.minidom as m; d = m.parseString(sys.stdin.buffer.read()); print(d.getElementsByTagName("rdf:li")[0].firstChild.data)'], {
      input: xml,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('A & B <c> "d"');
  });

  it('writes a trailer /ID of two identical 16-byte strings that follows the inputs', async () => {
    const base = await input();
    const id1 = trailerId(await tempPdf(await postprocess(base)));
    expect(id1).toHaveLength(2);
    expect(id1[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(id1[1]).toBe(id1[0]);
    expect(trailerId(await tempPdf(await postprocess(base)))).toEqual(id1);
    const other = trailerId(await tempPdf(await postprocess({ ...base, metadata: { ...METADATA, title: '另一个标题' } })));
    expect(other[0]).not.toBe(id1[0]);
  });
});

describe('postprocess: outline', () => {
  it('writes nested Chinese bookmarks that go to the right pages', async () => {
    const out = qpdfOutline(await tempPdf(await postprocess(await input())));
    const shape = (o: (typeof out)[number]): unknown => [o.title, o.page, o.kids.map(shape)];
    expect(out.map(shape)).toEqual([
      ['第1版 特别报道', 1, [['闪亮“浙”五年', 1, []], ['共同富裕示范区', 2, []]]],
      ['第2版 要闻', 2, [['访谈：山区26县', 3, [['链接', 3, []]]]]],
      ['第3版', 3, []],
    ]);
    expect(out[0]!.dest.slice(1)).toEqual(['/XYZ', null, 1548, null]);
    expect(out[1]!.open).toBe(false);
  });

  it('links the items with correct /Parent /Prev /Next /First /Last /Count', async () => {
    const doc = await PDFDocument.load(await postprocess(await input()), { updateMetadata: false });
    const ctx = doc.context;
    const rootRef = doc.catalog.get(PDFName.of('Outlines')) as PDFRef;
    const get = (d: PDFDict, k: string) => d.get(PDFName.of(k));
    const dict = (r: unknown) => ctx.lookup(r as PDFRef, PDFDict);
    const count = (d: PDFDict) => (get(d, 'Count') as PDFNumber | undefined)?.asNumber();
    /** Walks the siblings under `parentRef`, checking the links both ways. */
    const walk = (parentRef: PDFRef): Array<[string, number | undefined, unknown]> => {
      const parent = dict(parentRef);
      const items: Array<[string, number | undefined, unknown]> = [];
      let prev: PDFRef | undefined;
      for (let ref = get(parent, 'First') as PDFRef | undefined; ref; ref = get(dict(ref), 'Next') as PDFRef | undefined) {
        const item = dict(ref);
        expect(get(item, 'Parent')).toBe(parentRef);
        expect(get(item, 'Prev')).toBe(prev);
        if (!get(item, 'Next')) expect(get(parent, 'Last')).toBe(ref);
        items.push([(get(item, 'Title') as PDFHexString).decodeText(), count(item), get(item, 'First') ? walk(ref) : []]);
        prev = ref;
      }
      return items;
    };
    const tree = walk(rootRef);
    // Visible: 3 top items + 2 children of the open 第1版; 第2版 is closed with 2 descendants.
    expect(count(dict(rootRef))).toBe(5);
    expect(tree.map((t) => [t[0], t[1]])).toEqual([['第1版 特别报道', 2], ['第2版 要闻', -2], ['第3版', undefined]]);
    expect((tree[1]![2] as Array<[string, number]>)[0]!.slice(0, 2)).toEqual(['访谈：山区26县', 1]);
  });

  it('encodes titles as UTF-16BE with a BOM', async () => {
    const bytes = Buffer.from(await postprocess(await input()));
    expect(bytes.toString('latin1')).toContain('/Title <FEFF7B2C0031724800207279522B62A59053>'); // 第1版 特别报道
  });

  it('with no outline writes none, and no PageMode', async () => {
    const file = await tempPdf(await postprocess(await input({ outline: [] })));
    expect(qpdfOutline(file)).toEqual([]);
    const doc = await PDFDocument.load(await postprocess(await input({ outline: [] })), { updateMetadata: false });
    expect(doc.catalog.has(PDFName.of('PageMode'))).toBe(false);
  });

  it('puts a title broken over lines on one line', async () => {
    const out = qpdfOutline(await tempPdf(await postprocess(await input({ outline: [{ title: ' 闪亮“浙”\n五年\t', pageIndex: 0 }] }))));
    expect(out.map((o) => o.title)).toEqual(['闪亮“浙” 五年']);
  });

  it('rejects a bookmark to a page that does not exist', async () => {
    await expect(postprocess(await input({ outline: [{ title: '第9版', pageIndex: 8 }] }))).rejects.toThrow(/page index 8, but the PDF has 3 pages/);
  });
});

describe('postprocess: a PDF already parsed', () => {
  it('gives the same bytes as from the printed file, without parsing it again', async () => {
    const printed = await fakePrint({ ...CHROMIUM, pages: 3 });
    const fromBytes = await postprocess(await input({ pdf: printed }));
    const doc = await PDFDocument.load(printed, { updateMetadata: false });
    const load = vi.spyOn(PDFDocument, 'load');
    const fromDoc = await postprocess(await input({ pdf: { printed: [printed], doc } }));
    expect(load).not.toHaveBeenCalled();
    load.mockRestore();
    expect(Buffer.compare(Buffer.from(fromDoc), Buffer.from(fromBytes))).toBe(0);
  });

  it('names a document merged from several printed parts by all of them in its /ID', async () => {
    const [a, b] = [await fakePrint({ ...CHROMIUM, pages: 1 }), await fakePrint({ ...CHROMIUM, pages: 2 })];
    const doc = (parts: Uint8Array[]) => PDFDocument.load(parts[0]!, { updateMetadata: false });
    const id = async (parts: Uint8Array[]) => trailerId(await tempPdf(await postprocess(await input({ pdf: { printed: parts, doc: await doc(parts) }, outline: [] }))));
    expect(await id([a, b])).toEqual(await id([a, b]));
    expect(await id([a, b])).not.toEqual(await id([a, a]));
  });
});

describe('postprocess: determinism and size', () => {
  it('gives byte-identical output for the same input, whatever the clock says', async () => {
    const base = await input();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const a = await postprocess(base);
    vi.setSystemTime(new Date('2031-07-09T12:34:56Z'));
    const b = await postprocess(base);
    vi.useRealTimers();
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0);
    expect(Buffer.from(a).toString('latin1')).not.toMatch(/D:20(2[3-9]|3\d)/);
  });

  it('post-processes a 300-page PDF (its time is logged, not asserted)', async () => {
    const pdf = await fakePrint({ ...CHROMIUM, pages: 300, text: (i) => `Page ${i + 1} `.repeat(40) });
    const outline = Array.from({ length: 300 }, (_, i) => ({ title: `第${i + 1}版`, pageIndex: i, children: [{ title: `文章 ${i + 1}`, pageIndex: i }] }));
    const t0 = performance.now();
    const out = await postprocess(await input({ pdf, outline }));
    const ms = performance.now() - t0;
    console.log(`postprocess: 300 pages, ${(pdf.length / 1024).toFixed(0)} KiB in → ${(out.length / 1024).toFixed(0)} KiB out in ${ms.toFixed(0)} ms`);
    const file = await tempPdf(out);
    expect(qpdfCheck(file).status).toBe(0);
    expect(pageBoxes(file, 300).every((b) => b.TrimBox?.join() === '8.5,8.79,1114.02,1539.5')).toBe(true);
  });
});
