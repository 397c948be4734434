/**
 * Unit tests of the print pieces that need no browser: the clock-free digest, PDF/X and PDF/A
 * identification in Info and XMP, the header version, and the marks geometry.
 */
import { describe, expect, it, vi, afterEach } from 'vitest';
import { toPoints } from '../../src/config/schema.ts';
import { stableDigest } from '../../src/pdf/digest.ts';
import { cropOffset, marksCss, marksMargin } from '../../src/pdf/marks.ts';
import { marksOperators } from '../../src/pdf/draw-marks.ts';
import { postprocess } from '../../src/pdf/postprocess.ts';
import { xmpPacket } from '../../src/pdf/xmp.ts';
import { fakePrint, pdfinfo, qpdfCheck, run, tempPdf, trailerId } from '../pdf/helpers.ts';

const MM = 72 / 25.4;
const TRIM = { width: 200, height: 300 };
const META = { title: '标题', author: '浙江日报', language: 'zh-CN', creator: 'paiban 0', producer: 'paiban 0', date: new Date('2022-06-15T00:00:00Z') };

afterEach(() => vi.useRealTimers());

describe('stableDigest', () => {
  it('is the same for two prints made at different times, and differs when the content does', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const a = await fakePrint({ width: 200, height: 300, pages: 1 });
    vi.setSystemTime(new Date('2031-07-09T12:34:56Z'));
    const b = await fakePrint({ width: 200, height: 300, pages: 1 });
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).not.toBe(0);
    expect(stableDigest(a).equals(stableDigest(b))).toBe(true);
    const c = await fakePrint({ width: 200, height: 300, pages: 1, text: () => 'Other' });
    expect(stableDigest(a).equals(stableDigest(c))).toBe(false);
  });

  it('masks a trailer /ID and an XMP packet', () => {
    const pdf = (id: string, uuid: string) => new TextEncoder().encode(`%PDF-1.4\n<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?><x>${uuid}</x><?xpacket end='w'?>\ntrailer << /ID [<${id}><${id}>] >>`);
    expect(stableDigest(pdf('AB12', 'uuid:1')).equals(stableDigest(pdf('CD34', 'uuid:2')))).toBe(true);
  });
});

describe('conformance metadata', () => {
  it('PDF/X: Info GTS_PDFXVersion and /Trapped /False, PDF 1.4 header, pdfinfo names the subtype', async () => {
    const pdf = await postprocess({ pdf: await fakePrint({ ...TRIM, pages: 1 }), trim: TRIM, bleed: 0, marks: 0, metadata: META, outline: [], conformance: 'pdfx' });
    expect(Buffer.from(pdf.subarray(0, 8)).toString('latin1')).toBe('%PDF-1.4');
    const file = await tempPdf(pdf);
    expect(qpdfCheck(file).status).toBe(0);
    const info = pdfinfo(file);
    expect(info.get('PDF subtype')).toBe('PDF/X-3:2003');
    expect(info.get('PDF version')).toBe('1.4');
    expect(run('pdfinfo', ['-meta', file]).stdout).toContain('<pdfx:GTS_PDFXVersion>PDF/X-3:2003</pdfx:GTS_PDFXVersion>');
  });

  it('PDF/A: pdfaid part 2, conformance B in the XMP', () => {
    const xml = xmpPacket({ ...META, documentId: 'uuid:a', instanceId: 'uuid:b', conformance: 'pdfa' });
    expect(xml).toContain('<pdfaid:part>2</pdfaid:part>');
    expect(xml).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
    expect(xml).toContain('xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"');
    expect(xml).not.toContain('pdfx:');
  });

  it('the /ID depends on the claimed standard', async () => {
    const base = { pdf: await fakePrint({ ...TRIM, pages: 1 }), trim: TRIM, bleed: 0, marks: 0, metadata: META, outline: [] };
    const plain = trailerId(await tempPdf(await postprocess(base)));
    const x = trailerId(await tempPdf(await postprocess({ ...base, conformance: 'pdfx' })));
    expect(plain[0]).not.toBe(x[0]);
  });

  it('keeps the printed PDF version (pdf-lib would write 1.7)', async () => {
    const pdf = await postprocess({ pdf: await fakePrint({ ...TRIM, pages: 1 }), trim: TRIM, bleed: 0, marks: 0, metadata: META, outline: [] });
    expect(Buffer.from(pdf.subarray(0, 8)).toString('latin1')).toBe('%PDF-1.7'); // pdf-lib's own fake print is 1.7
  });
});

describe('marks geometry', () => {
  it('puts a 10 mm margin outside a 3 mm bleed, crop marks starting at the bleed edge', () => {
    const bleed = toPoints('3mm');
    expect(marksMargin(bleed)).toBeCloseTo(10 * MM, 2);
    expect(cropOffset(bleed)).toBeCloseTo(3 * MM, 2);
    expect(cropOffset(0)).toBeCloseTo(3 * MM, 2);
    // A wide bleed widens the margin so that the 5 mm cross stays clear of it.
    expect(marksMargin(8 * MM)).toBeCloseTo(14 * MM, 2);
  });

  it('tells Paged.js a bleed of bleed + margin and no marks of its own, and clips the page to trim + bleed', () => {
    const css = marksCss(toPoints('3mm'));
    expect(css).toMatch(/@page \{ bleed: 36\.85pt; \}/);
    expect(css).not.toMatch(/marks:|--pagedjs-crop/);
    expect(css).toMatch(/\.pagedjs_pagebox \{ clip-path: inset\(-8\.504pt\); \}/);
  });

  it('draws eight crop marks and four crosses, all outside the bleed, over a white band around it', () => {
    const bleed = toPoints('3mm');
    const marks = marksMargin(bleed);
    const trim = { width: 400, height: 600 };
    const media = { x1: 0, y1: 0, x2: 400 + 2 * (bleed + marks), y2: 600 + 2 * (bleed + marks) };
    const ops = marksOperators(media, { trim, bleed, marks });
    const inner = { x1: marks, y1: marks, x2: media.x2 - marks, y2: media.y2 - marks }; // the BleedBox
    const band = /^0 0 ([\d.]+) ([\d.]+) re ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re f\*$/m.exec(ops)!.slice(1).map(Number);
    [media.x2, media.y2, inner.x1, inner.y1, inner.x2 - inner.x1, inner.y2 - inner.y1].forEach((v, i) => expect(band[i]).toBeCloseTo(v, 2));
    const lines = [...ops.matchAll(/([\d.]+) ([\d.]+) m ([\d.]+) ([\d.]+) l S/g)].map((m) => m.slice(1, 5).map(Number));
    expect(lines).toHaveLength(16);
    for (const [x1, y1, x2, y2] of lines) {
      const insideX = Math.max(x1!, x2!) > inner.x1 + 0.01 && Math.min(x1!, x2!) < inner.x2 - 0.01;
      const insideY = Math.max(y1!, y2!) > inner.y1 + 0.01 && Math.min(y1!, y2!) < inner.y2 - 0.01;
      expect(insideX && insideY, `${x1} ${y1} → ${x2} ${y2}`).toBe(false);
    }
    expect(ops.match(/ c S/g)).toHaveLength(4);
    expect(ops).toMatch(/^q\n1 g\n/);
    expect(ops).toMatch(/0 G 0\.5 w/);
  });
});
