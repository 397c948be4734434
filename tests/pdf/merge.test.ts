import { describe, it, expect, vi, afterEach } from 'vitest';
import { PDFArray, PDFDict, PDFDocument, PDFName, type PDFRef } from 'pdf-lib';
import { mergePdfs } from '../../src/pdf/merge.ts';
import { postprocess } from '../../src/pdf/postprocess.ts';
import { fakePrint, pageBoxes, pageTexts, qpdfCheck, run, tempPdf } from './helpers.ts';

afterEach(() => {
  vi.useRealTimers();
});

/** Three parts of 2, 1 and 3 pages, each with its own page size and labelled text. */
async function parts(): Promise<Uint8Array[]> {
  const label = (part: string) => (i: number) => `part ${part} page ${i + 1}`;
  return [
    await fakePrint({ width: 500, height: 700, pages: 2, text: label('A') }),
    await fakePrint({ width: 510, height: 710, pages: 1, text: label('B'), inheritMediaBox: true }),
    await fakePrint({ width: 520, height: 720, pages: 3, text: label('C') }),
  ];
}

/** `pdfinfo -dests`: name → 1-based page. */
function dests(file: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of run('pdfinfo', ['-dests', file]).stdout.matchAll(/^\s*(\d+)\s+\[.*\]\s+"(.*)"$/gm)) out.set(m[2]!, Number(m[1]));
  return out;
}

describe('mergePdfs', () => {
  it('keeps every page, in order, with its own size (inherited MediaBox included)', async () => {
    const file = await tempPdf(await mergePdfs(await parts()));
    expect(pageTexts(file, 6)).toEqual(['part A page 1', 'part A page 2', 'part B page 1', 'part C page 1', 'part C page 2', 'part C page 3']);
    expect(pageBoxes(file, 6).map((b) => b.MediaBox)).toEqual([
      [0, 0, 500, 700],
      [0, 0, 500, 700],
      [0, 0, 510, 710],
      [0, 0, 520, 720],
      [0, 0, 520, 720],
      [0, 0, 520, 720],
    ]);
  });

  it('keeps the trim and bleed boxes of post-processed parts', async () => {
    const metadata = { title: 't', author: 'a', language: 'zh-CN', creator: 'c', producer: 'p', date: new Date(0) };
    const trim = { width: 480, height: 680 };
    const done = await postprocess({ pdf: (await parts())[0]!, trim, bleed: 10, marks: 0, metadata, outline: [] });
    const file = await tempPdf(await mergePdfs([done, (await parts())[1]!]));
    const boxes = pageBoxes(file, 3);
    expect(boxes[0]!.TrimBox).toEqual([10, 10, 490, 690]);
    expect(boxes[1]!.BleedBox).toEqual([0, 0, 500, 700]);
    expect(boxes[2]!.TrimBox).toEqual([0, 0, 510, 710]); // none set: pdfinfo shows the MediaBox
  });

  it('takes parts already parsed as it takes printed bytes', async () => {
    const input = await parts();
    const parsed = await Promise.all(input.map((p) => PDFDocument.load(p, { updateMetadata: false })));
    const mixed = await mergePdfs([parsed[0]!, input[1]!, parsed[2]!]);
    expect(Buffer.compare(Buffer.from(mixed), Buffer.from(await mergePdfs(input)))).toBe(0);
  });

  it('passes qpdf --check without a warning and is byte-identical from run to run', async () => {
    const input = await parts();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const a = await mergePdfs(input);
    vi.setSystemTime(new Date('2031-01-01T00:00:00Z'));
    const b = await mergePdfs(input);
    vi.useRealTimers();
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0);
    const r = qpdfCheck(await tempPdf(a));
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(/warning/i);
    expect(Buffer.from(a).toString('latin1')).not.toMatch(/\/(CreationDate|ModDate|Producer)/);
  });

  it('carries the named destinations over, pointing to the copied pages, so links work across parts', async () => {
    const dest = (doc: PDFDocument, page: number, top: number) => doc.context.obj([doc.getPage(page).ref, PDFName.of('XYZ'), 0, top, 0]);
    const a = await fakePrint({
      width: 500,
      height: 700,
      pages: 2,
      edit: (doc) => {
        doc.catalog.set(PDFName.of('Dests'), doc.context.obj({ first: dest(doc, 0, 600), shared: dest(doc, 1, 500) }));
        // A link to a name printed in the next part, as Chromium writes `<a href="#later">`.
        const link = doc.context.obj({ Type: 'Annot', Subtype: 'Link', Rect: [0, 0, 50, 50], Dest: PDFName.of('later') });
        doc.getPage(0).node.set(PDFName.of('Annots'), doc.context.obj([doc.context.register(link)]));
      },
    });
    const b = await fakePrint({
      width: 500,
      height: 700,
      pages: 2,
      edit: (doc) => {
        const ref = doc.context.register(dest(doc, 1, 300));
        doc.catalog.set(PDFName.of('Dests'), doc.context.obj({ later: doc.context.obj({ D: ref }), shared: dest(doc, 0, 100) }));
      },
    });
    const merged = await mergePdfs([a, b]);
    const file = await tempPdf(merged);
    expect([...dests(file)].sort()).toEqual([
      ['first', 1],
      ['later', 4],
      ['shared', 2], // the first part's wins
    ]);
    const doc = await PDFDocument.load(merged, { updateMetadata: false });
    const annots = doc.getPage(0).node.lookup(PDFName.of('Annots'), PDFArray);
    expect(annots.lookup(0, PDFDict).get(PDFName.of('Dest'))).toBe(PDFName.of('later'));
    const later = doc.catalog.lookup(PDFName.of('Dests'), PDFDict).lookup(PDFName.of('later'), PDFArray);
    expect(later.get(0) as PDFRef).toBe(doc.getPage(3).ref);
    expect(qpdfCheck(file).status).toBe(0);
  });

  it('gives postprocess a PDF it can finish', async () => {
    const merged = await mergePdfs([await fakePrint({ width: 500, height: 700, pages: 2 }), await fakePrint({ width: 500, height: 700, pages: 1 })]);
    const metadata = { title: '闪亮“浙”五年', author: '浙江日报', language: 'zh-CN', creator: 'c', producer: 'p', date: new Date('2022-06-15T00:00:00Z') };
    const outline = [{ title: '第3版', pageIndex: 2 }];
    const file = await tempPdf(await postprocess({ pdf: merged, trim: { width: 480, height: 680 }, bleed: 10, marks: 0, metadata, outline }));
    expect(qpdfCheck(file).status).toBe(0);
    expect(pageBoxes(file, 3).map((b) => b.TrimBox)).toEqual(Array(3).fill([10, 10, 490, 690]));
  });

  it('rejects an empty list and a part that is not a PDF', async () => {
    await expect(mergePdfs([])).rejects.toThrow(/no PDF to merge/);
    const good = await fakePrint({ width: 500, height: 700, pages: 1 });
    await expect(mergePdfs([good, new TextEncoder().encode('not a pdf')])).rejects.toThrow(/part 2 of 2 is not a readable PDF/);
  });
});
