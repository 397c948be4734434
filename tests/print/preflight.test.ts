/**
 * Preflight: fonts read from the PDF (type, embedded), images at their printed resolution (checked
 * against poppler's pdfimages), missing glyphs, and `paiban check`, which reports without writing
 * and exits 1 on errors.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build.ts';
import { Diagnostics } from '../../src/diagnostics.ts';
import { effectivePpi } from '../../src/preflight/images.ts';
import { inspectPdf } from '../../src/preflight/pdf.ts';
import { preflight } from '../../src/preflight/preflight.ts';
import type { PageMeasure } from '../../src/paginate/measure.ts';
import { fakePrint } from '../pdf/helpers.ts';
import { readFonts } from '../helpers/pdf.ts';
import { closePrinter, printHtml } from '../helpers/print-html.ts';
import { run } from '../helpers/tools.ts';
import { factsOf, verifyBuild } from '../helpers/verify.ts';
import { smallEdition, tempDir } from './helpers.ts';

const measure = (images: PageMeasure['images'], pages = [{ planPage: 1, layout: 'front' }]): PageMeasure => ({ pages, articleStart: {}, placedText: {}, slots: [], images });

describe('effective resolution', () => {
  const img = { naturalWidth: 1600, naturalHeight: 1200, width: 96 * 4, height: 96 * 3 };
  it('is pixels per inch of the placed box, 1 in = 96 CSS px', () => {
    expect(effectivePpi({ ...img, fit: 'fill' })).toBe(400);
  });
  it('counts the scale-up of object-fit: cover, which crops', () => {
    // A 4:3 image in a square box 4 in wide: scaled to 4 in tall, 5.33 in wide → 300 ppi.
    expect(effectivePpi({ ...img, width: 384, height: 384, fit: 'cover' })).toBe(300);
    expect(effectivePpi({ ...img, width: 384, height: 384, fit: 'contain' })).toBe(400);
    expect(effectivePpi({ ...img, fit: 'none' })).toBe(96);
  });
  it('is the lower of the two axes when the image is stretched', () => {
    expect(effectivePpi({ ...img, width: 96 * 8, height: 96 * 3, fit: 'fill' })).toBe(200);
  });
});

const articles = [{ id: 'a', file: 'a.md', text: '中文', front: { title: '题' }, figures: [{ src: 'images/x.png' }] }] as never;

describe('preflight rules', () => {
  const plan = [{ layout: 'front', fixed: true }];
  const shot = (w: number) => ({ page: 1, src: 'images/x.png', width: w, height: w, naturalWidth: 1000, naturalHeight: 1000, fit: 'cover' });

  it('warns under 200 ppi and errs under 100, naming the article, page and size', async () => {
    const d = new Diagnostics();
    const r = await preflight({ measure: measure([shot(96 * 4), shot(96 * 6), shot(96 * 12)]), articles, plan, diagnostics: d });
    expect(r.images.map((i) => i.ppi)).toEqual([250, 167, 83]);
    const rules = d.items.map((x) => [x.severity, x.rule, x.file]);
    expect(rules).toEqual([
      ['warning', 'image-resolution', 'a.md'],
      ['error', 'image-resolution', 'a.md'],
    ]);
    expect(d.items[1]!.message).toMatch(/images\/x\.png prints at 83 ppi \(1000 × 1000 px over 305 × 305 mm on page 1\)/);
  });

  it('warns when a fixed page was set on more than one page', async () => {
    const d = new Diagnostics();
    await preflight({ measure: measure([], [{ planPage: 1, layout: 'front' }, { planPage: 1, layout: 'front' }]), articles, plan, diagnostics: d });
    expect(d.items.map((x) => x.rule)).toEqual(['page-count']);
    expect(d.items[0]!.message).toMatch(/planned page 1 .* was set on 2 pages/);
  });

  it('reads fonts from the PDF: a standard font that is not embedded is an error', async () => {
    const pdf = await fakePrint({ width: 300, height: 400, pages: 2 });
    const facts = await inspectPdf(pdf);
    expect(facts.pages).toBe(2);
    expect(facts.fonts).toEqual([{ name: 'Helvetica', type: 'Type 1', embedded: false, pages: [1, 2] }]);
    const d = new Diagnostics();
    await preflight({ pdf, measure: measure([], [{ planPage: 1, layout: 'flow' }, { planPage: 1, layout: 'flow' }]), articles, plan: [{ layout: 'flow', fixed: false }], diagnostics: d });
    expect(d.items.map((x) => [x.severity, x.rule])).toEqual([
      ['error', 'font-not-embedded'],
      ['error', 'page-boxes'],
      ['error', 'page-boxes'],
    ]);
  });
});

describe('a Type 3 font', () => {
  afterAll(closePrinter);

  it('is an error naming the face, its pages and the text it draws, for the Type 3 fonts pdffonts lists', async () => {
    // Chromium embeds a CFF face (Debian's Noto CJK) as Type 3: a real one, not a hand-made dictionary.
    const file = await printHtml('<p>中文排版</p>', { font: '"Noto Serif CJK SC"' });
    const type3 = readFonts(file).filter((f) => f.type === 'Type 3');
    expect(type3.length).toBeGreaterThan(0);
    const d = new Diagnostics();
    const r = await preflight({ pdf: readFileSync(file), measure: measure([], [{ planPage: 1, layout: 'flow' }]), articles, plan: [{ layout: 'flow', fixed: false }], diagnostics: d });
    expect(r.fonts.filter((f) => f.type === 'Type 3')).toHaveLength(type3.length);
    // One error per face Chromium made Type 3 fonts of, counting them all, on the article holding its text.
    const errors = d.items.filter((x) => x.rule === 'font-type3');
    expect(errors.length).toBeGreaterThan(0);
    let counted = 0;
    for (const e of errors) {
      expect(e.severity).toBe('error');
      expect(e.file).toBe('a.md');
      const m = /^text set in (.+) is embedded as Type 3 \((\d+) fonts?, page 1\): "([^"]*)"/.exec(e.message)!;
      expect(m, e.message).not.toBeNull();
      expect('中文排版').toContain(m[3]!.slice(0, 1));
      counted += Number(m[2]);
    }
    expect(counted).toBe(type3.length);
  });

  it('is not reported for TrueType faces', async () => {
    const d = new Diagnostics();
    await preflight({ pdf: readFileSync(await printHtml('<p>中文排版</p>')), measure: measure([], [{ planPage: 1, layout: 'flow' }]), articles, plan: [{ layout: 'flow', fixed: false }], diagnostics: d });
    expect(d.items.filter((x) => x.rule === 'font-type3')).toEqual([]);
  });
});

describe('on real builds', () => {
  it('measures each image as pdfimages does, and errs on a 40 × 30 px photo set a column wide', async () => {
    const dir = smallEdition({ imagePx: [40, 30], extraText: '\uE000' });
    const out = tempDir();
    const r = await build(dir, { out, pdf: true, write: true });
    // Errors: nothing is written; the report says why.
    expect(r.ok).toBe(false);
    expect(readdirSync(out)).toEqual([]);
    const img = r.preflight.images;
    expect(img).toHaveLength(1);
    expect(img[0]!.ppi).toBeLessThan(100);
    const errs = r.diagnostics.errors.map((d) => `${d.file} ${d.rule}`);
    expect(errs).toEqual(['a.md image-resolution']);
    expect(r.preflight.missingGlyphs).toBe(1);
    expect(r.preflight.fonts.every((f) => f.embedded && f.type === 'CID TrueType')).toBe(true);
  });

  it('agrees with pdfimages on the demo (to 1 ppi)', async () => {
    const out = tempDir();
    const r = await build(path.resolve('content/zjrb-2022-06-15'), { out, pdf: true });
    expect(verifyBuild(path.join(out, 'zjrb-2022-06-15.pdf'), path.resolve('content/zjrb-2022-06-15'), factsOf(r))).toEqual([]);
    const rows = run('pdfimages', ['-list', path.join(out, 'zjrb-2022-06-15.pdf')]).stdout.split('\n').slice(2).filter(Boolean);
    const poppler = rows.map((l) => Math.min(Number(l.trim().split(/\s+/)[12]), Number(l.trim().split(/\s+/)[13]))).sort((a, b) => a - b);
    const ours = r.preflight.images.map((i) => i.ppi).sort((a, b) => a - b);
    expect(ours.length).toBe(poppler.length);
    ours.forEach((p, i) => expect(Math.abs(p - poppler[i]!)).toBeLessThanOrEqual(1));
  });

  it('paiban check reports and writes nothing; exit 1 on errors, 0 when ready', () => {
    const bad = smallEdition({ imagePx: [40, 30], name: 'bad' });
    const r = run('node', ['bin/paiban', 'check', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^preflight bad$/m);
    expect(r.stdout).toMatch(/images: +1, lowest \d+ ppi \(images\/photo\.png on page 1/);
    expect(r.stdout).toMatch(/bad\/a\.md error image-resolution: image images\/photo\.png prints at \d+ ppi/);
    expect(existsSync(path.join(process.cwd(), 'output', 'bad.pdf'))).toBe(false);

    const good = smallEdition({ imagePx: [2400, 1800], name: 'good' });
    const ok = run('node', ['bin/paiban', 'check', good]);
    expect(ok.stdout).toMatch(/fonts: +\d+ \(CID TrueType ×\d+\); all embedded, none Type 3/);
    expect(ok.stdout).toMatch(/ready to print \(nothing was written\)/);
    expect(ok.code).toBe(0);
    expect(readdirSync(good).sort()).toEqual(['a.md', 'edition.yaml', 'images']);
  });
});
