/**
 * The demo edition end to end, checked on the real outputs only: the verification every build
 * test shares (tests/helpers/verify.ts: fonts, every character of every article in order,
 * kinsoku), poppler and qpdf on the PDF, the printed page's geometry (headlines above their text,
 * slot columns with their rules, captions under their photos, read from the PDF's words, images
 * and rules), epubcheck on the EPUB.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/build.ts';
import { toPoints } from '../../src/config/schema.ts';
import { readContent, type PageContent } from '../helpers/content.ts';
import { readPages, type Word } from '../helpers/pdf.ts';
import { readEdition } from '../helpers/source.ts';
import { epubcheck, hanCounts, pdfBoxes, pdftotext, requireTools, run } from '../helpers/tools.ts';
import { columnFeet, words } from '../helpers/layout.ts';
import { boundsOf, cjkLines, factsOf, locate, verifyBuild } from '../helpers/verify.ts';

requireTools('epubcheck', 'qpdf', 'poppler');

const EDITION = path.resolve('content/zjrb-2022-06-15');
// The seed the demo was made from (a copy of ../shared/seed/000_25f8c18ed81e66c8.txt).
const SEED = path.resolve('tests/fixtures/seed/000_25f8c18ed81e66c8.txt');
const out = mkdtempSync(path.join(os.tmpdir(), 'paiban-e2e-'));
const pdf = path.join(out, 'zjrb-2022-06-15.pdf');
const epub = path.join(out, 'zjrb-2022-06-15.epub');
let result: BuildResult;
let content: PageContent[];

beforeAll(async () => {
  result = await build(EDITION, { out });
  content = await readContent(pdf);
}, 300_000);

describe('the demo edition, built', () => {
  it('succeeds and writes PDF, EPUB and manifest', () => {
    expect(result.diagnostics.errors).toEqual([]);
    expect(result.ok).toBe(true);
    for (const f of [pdf, epub, path.join(out, 'zjrb-2022-06-15.manifest.json')]) expect(existsSync(f)).toBe(true);
    expect(result.pages).toBe(2);
  });

  it('reports no overset and no lost content for the demo, nothing clipped, no page or slot left partly empty', () => {
    const bad = result.diagnostics.items.filter((d) => ['overset', 'content-lost', 'missing-glyph', 'slot-too-small', 'underset', 'page-hole', 'page-underfull', 'photo-crop'].includes(d.rule));
    expect(bad).toEqual([]);
    expect(result.ready).toBe(true);
    expect(result.placed.map((s) => `${s.page}:${s.slot}:${s.article}`).sort()).toEqual(['1:lead:interview', '1:second:talent', '2:foot:politics', '2:top:reform']);
  });

  it('fills both pages: every column of every slot reaches its slot\'s foot, and the slots the foot of the type area (on the PDF)', () => {
    // broadsheet 540 mm, 3 mm bleed, the template's margins (20 mm top, 16 mm bottom): the type area's foot.
    const areaFoot = toPoints('3mm') + toPoints('540mm') - toPoints('16mm');
    const tol = 0.025 * (toPoints('540mm') - toPoints('36mm'));
    for (const page of [1, 2]) {
      const ws = words(pdf, page);
      const slots = result.placed.filter((s) => s.page === page);
      expect(slots.length, `page ${page}`).toBeGreaterThanOrEqual(2);
      // Page 2 ends with its credit line under the grid.
      expect(Math.max(...slots.map((s) => s.box.y + s.box.height)), `page ${page}`).toBeGreaterThan(areaFoot - (page === 2 ? toPoints('12mm') : 1));
      for (const s of slots) {
        const feet = columnFeet(ws, { ...s.box, columns: s.columns });
        expect(feet.length, `${s.slot} on page ${page}`).toBeGreaterThanOrEqual(4);
        feet.forEach((foot, i) => expect(s.box.y + s.box.height - foot, `${s.slot} on page ${page}, column ${i + 1}`).toBeLessThan(tol));
      }
    }
  });
});

describe('the PDF', () => {
  it('passes the shared verification: fonts, every character of every article in order, kinsoku on every line', () => {
    expect(verifyBuild(pdf, EDITION, factsOf(result))).toEqual([]);
    expect(cjkLines(pdf)).toBeGreaterThan(300);
  });

  it('embeds the template\'s faces', () => {
    const names = run('pdffonts', [pdf]).stdout;
    expect(names).toMatch(/NotoSerifCJKsc/);
    expect(names).toMatch(/NotoSansCJKsc-Bold/);
  });

  it('has every Han character of the seed (nothing lost)', () => {
    const have = hanCounts(pdftotext(pdf));
    const missing = [...hanCounts(readFileSync(SEED, 'utf8'))].filter(([c, n]) => (have.get(c) ?? 0) < n).map(([c]) => c);
    expect(missing.join('')).toBe('');
  });

  it('carries the banner, the credit line and the masthead on page 1 only', () => {
    const page = (n: number) => pdftotext(pdf, '-f', String(n), '-l', String(n)).replace(/\s+/g, '');
    expect(page(1)).toContain('闪亮“浙”五年·迎接省第十五次党代会特别报道');
    expect(pdftotext(pdf).replace(/\s+/g, '')).toContain('本版图片由省委组织部提供');
    // The masthead's name is set far larger than anything else.
    const tallest = (n: number) => readPages(pdf)[n - 1]!.words.reduce((a, w) => (w.y1 - w.y0 > a.y1 - a.y0 ? w : a));
    const size = (w: Word) => w.y1 - w.y0;
    expect(tallest(1).text).toBe('浙江日报');
    expect(size(tallest(2))).toBeLessThan(size(tallest(1)));
  });

  it('is broadsheet plus 3 mm bleed, with TrimBox and BleedBox on every page', () => {
    const boxes = pdfBoxes(pdf);
    const bleed = toPoints('3mm');
    const pages = new Set(boxes.map((b) => b.page));
    expect(pages.size).toBe(result.pages);
    for (const p of pages) {
      const media = boxes.find((b) => b.page === p && b.box === 'MediaBox')!.rect;
      const trim = boxes.find((b) => b.page === p && b.box === 'TrimBox')!.rect;
      const bleedBox = boxes.find((b) => b.page === p && b.box === 'BleedBox')!.rect;
      expect(media[2]! - media[0]!).toBeCloseTo(toPoints('396mm'), -0.3);
      expect(media[3]! - media[1]!).toBeCloseTo(toPoints('546mm'), -0.3);
      expect(trim[2]! - trim[0]!).toBeCloseTo(toPoints('390mm'), 0);
      expect(trim[3]! - trim[1]!).toBeCloseTo(toPoints('540mm'), 0);
      expect(trim[0]! - bleedBox[0]!).toBeCloseTo(bleed, 0);
    }
  });

  it('passes qpdf --check and carries title and author', () => {
    const q = run('qpdf', ['--check', pdf]);
    expect(q.code, q.stdout + q.stderr).toBe(0);
    expect(q.stdout + q.stderr).not.toMatch(/WARNING/);
    const info = run('pdfinfo', [pdf]).stdout;
    expect(info).toMatch(/Title:\s+闪亮“浙”五年·迎接省第十五次党代会特别报道/);
    expect(info).toMatch(/Author:\s+浙江日报/);
  });
});

/** The printed pages, measured on the PDF: what Chromium printed, not a layout it never printed. */
describe('the printed pages', () => {
  const edition = readEdition(EDITION);
  const article = (file: string) => edition.articles.find((a) => a.file === file)!;
  /** Every word of an article's body on a page. */
  const bodyWords = (file: string, page: number): Word[] => article(file).body.flatMap((b) => locate(pdf, page, b) ?? []);
  /** The first page that prints `text` whole. */
  const pageWith = (text: string) => readPages(pdf).find((p) => locate(pdf, p.number, text))?.number ?? 0;

  it('have a folio line with the page number, the paper and the date on every page', () => {
    for (let i = 1; i <= result.pages; i++) {
      const printed = pdftotext(pdf, '-f', String(i), '-l', String(i)).replace(/\s+/g, '');
      expect(printed).toContain(`第${i}版`);
      expect(printed).toContain('浙江日报2022年6月15日星期三');
    }
  });

  it('set each headline above its text, larger than its deck and its text', () => {
    for (const a of edition.articles) {
      const page = pageWith(a.head.title);
      const title = locate(pdf, page, a.head.title)!;
      const body = bodyWords(a.file, page);
      expect(title, a.file).toBeDefined();
      expect(body.length, a.file).toBeGreaterThan(0);
      const size = (ws: Word[]) => Math.max(...ws.map((w) => w.y1 - w.y0));
      expect(boundsOf(title).y + boundsOf(title).height, a.file).toBeLessThanOrEqual(boundsOf(body).y + 1);
      expect(size(title), a.file).toBeGreaterThan(size(body) * 1.5);
      if (a.head.deck) expect(size(title), a.file).toBeGreaterThan(size(locate(pdf, page, a.head.deck)!));
    }
  });

  it('set the stories of the fixed pages in columns, with a rule between each two', () => {
    let columned = 0;
    for (const a of edition.articles.filter((x) => x.slot)) {
      const page = pageWith(a.head.title);
      const rules = content[page - 1]!.strokes.filter((s) => Math.abs(s.x1 - s.x2) < 0.5);
      const mine = new Set(bodyWords(a.file, page));
      const lines = readPages(pdf)[page - 1]!.lines.filter((l) => l.words.some((w) => mine.has(w)));
      // Where the columns start: line starts more than half a line's width apart (an indent is 2 em).
      const width = lines.map((l) => l.x1 - l.x0).sort((x, y) => x - y)[lines.length >> 1] ?? 0;
      const lefts = lines.map((l) => l.x0).sort((x, y) => x - y).reduce<number[]>((cols, x) => (cols.length && x - cols[cols.length - 1]! < width / 2 ? cols : [...cols, x]), []);
      if (lefts.length > 1) columned++;
      const text = boundsOf(lines.flatMap((l) => l.words));
      for (const x of lefts.slice(1)) {
        const rule = rules.find((r) => r.x1 < x && r.x1 > x - 20 && Math.min(r.y1, r.y2) < text.y + text.height && Math.max(r.y1, r.y2) > text.y);
        expect(rule, `${a.file}: a column rule left of its column at x=${x} on page ${page}`).toBeDefined();
      }
    }
    expect(columned).toBeGreaterThanOrEqual(2);
  });

  it('set every caption right under its photo', () => {
    const captions = edition.articles.flatMap((a) => a.captions);
    expect(captions.length).toBeGreaterThan(0);
    expect(content.flatMap((p) => p.images).length).toBeGreaterThanOrEqual(captions.length);
    for (const c of captions) {
      const page = pageWith(c);
      const cap = boundsOf(locate(pdf, page, c)!);
      const photo = content[page - 1]!.images.find((im) => im.rect.x < cap.x + cap.width && im.rect.x + im.rect.width > cap.x && Math.abs(cap.y - (im.rect.y + im.rect.height)) < 20);
      expect(photo, `a photo right above "${c.slice(0, 12)}…" on page ${page}`).toBeDefined();
      expect(cap.y).toBeGreaterThanOrEqual(photo!.rect.y + photo!.rect.height - 0.5);
    }
  });
});

describe('the EPUB', () => {
  it('passes epubcheck with no errors or warnings', () => {
    const r = epubcheck(epub);
    expect(r.summary, r.output).toBe('Messages: 0 fatals / 0 errors / 0 warnings / 0 infos');
  });

  it('is in zh-CN with one chapter per article, titled with its headline', () => {
    const files = unzipSync(readFileSync(epub));
    const opfName = Object.keys(files).find((f) => f.endsWith('.opf'))!;
    const opf = strFromU8(files[opfName]!);
    expect(opf).toMatch(/<dc:language>zh-CN<\/dc:language>/);
    const chapters = Object.keys(files).filter((f) => /article-.*\.xhtml$/.test(f));
    expect(chapters.length).toBe(4);
    const titles = chapters.map((c) => /<title>([^<]*)<\/title>/.exec(strFromU8(files[c]!))?.[1]);
    expect(titles.sort()).toEqual(['交出守好“红色根脉”的新时代组工答卷', '从“鲲鹏行动”计划 看浙江打造人才高地', '以政治建设为统领 抓班子强队伍促担当', '变革重塑，党建统领整体智治'].sort());
  });
});
