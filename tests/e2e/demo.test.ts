/**
 * The demo edition end to end, checked on the real outputs: poppler and qpdf on the PDF,
 * epubcheck on the EPUB, and DOM assertions on the paginated pages before printing.
 */
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import type { Page } from 'puppeteer-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/build.ts';
import { toPoints } from '../../src/config/schema.ts';
import { epubcheck, hanCounts, pdfBoxes, pdffonts, pdftotext, printedLines, run } from '../helpers/tools.ts';
import { columnFeet, words } from '../helpers/layout.ts';

const EDITION = path.resolve('content/zjrb-2022-06-15');
const SEED = path.resolve('../shared/seed/000_25f8c18ed81e66c8.txt');
const out = mkdtempSync(path.join(os.tmpdir(), 'paiban-e2e-'));
const pdf = path.join(out, 'zjrb-2022-06-15.pdf');
const epub = path.join(out, 'zjrb-2022-06-15.epub');

interface DomFacts {
  folios: { left: string; center: string }[];
  banner: string;
  masthead: string;
  articles: { id: string; kicker: number; title: string; deck: string; titleBeforeBody: boolean }[];
  slots: { slot: string; article: string; columns: number; rule: string }[];
  figures: { captionBelow: boolean; overlap: boolean }[];
}
let facts: DomFacts;
let result: BuildResult;

async function inspect(page: Page): Promise<void> {
  facts = await page.evaluate(() => {
    const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
    // The running heads: Paged.js draws them as margin boxes in the DOM; Chromium's own print
    // layout (native.ts) reads them from the @page rules of each plan page's named page.
    const paged = Array.from(document.querySelectorAll('.pagedjs_page'));
    const marginRules = (name: string) => {
      const rule = Array.from(document.styleSheets)
        .flatMap((sh) => Array.from(sh.cssRules))
        .find((r): r is CSSPageRule => r instanceof CSSPageRule && r.selectorText === name);
      const box = (which: string) => Array.from(rule?.cssRules ?? []).find((m) => (m as CSSRule & { name?: string }).name === which) as CSSStyleRule | undefined;
      return { left: box('top-left')?.style.getPropertyValue('content') ?? '', center: box('top-center')?.style.getPropertyValue('content') ?? '' };
    };
    return {
      folios: paged.length
        ? paged.map((p) => ({
            left: getComputedStyle(p.querySelector('.pagedjs_margin-top-left .pagedjs_margin-content')!, '::after').content,
            center: getComputedStyle(p.querySelector('.pagedjs_margin-top-center .pagedjs_margin-content')!, '::after').content,
          }))
        : Array.from(document.querySelectorAll<HTMLElement>('.pb-page')).map((p) => marginRules(`pb-p${p.dataset.planPage}`)),
      banner: text(document.querySelector('.pb-banner')),
      masthead: text(document.querySelector('.pb-masthead')),
      articles: Array.from(document.querySelectorAll<HTMLElement>('article[data-article]:not([data-split-from])')).map((a) => {
        const title = a.querySelector('.pb-title');
        const body = a.querySelector('.pb-body');
        return {
          id: a.dataset.article!,
          kicker: a.querySelectorAll('.pb-kicker').length,
          title: text(title),
          deck: text(a.querySelector('.pb-deck')),
          titleBeforeBody: !!title && !!body && title.getBoundingClientRect().bottom <= body.getBoundingClientRect().top + 1,
        };
      }),
      slots: Array.from(document.querySelectorAll<HTMLElement>('.pb-slot')).filter((s) => s.querySelector('[data-article]')).map((s) => {
        const body = s.querySelector('.pb-body')!;
        const cs = getComputedStyle(body);
        return { slot: s.dataset.slot!, article: s.querySelector<HTMLElement>('[data-article]')!.dataset.article!, columns: Number(cs.columnCount), rule: cs.columnRuleStyle };
      }),
      figures: Array.from(document.querySelectorAll('figure')).map((f) => {
        const img = f.querySelector('img')!.getBoundingClientRect();
        const cap = f.querySelector('figcaption')!.getBoundingClientRect();
        return { captionBelow: cap.top >= img.bottom - 0.5, overlap: cap.left < img.right && cap.right > img.left };
      }),
    };
  });
}

beforeAll(async () => {
  result = await build(EDITION, { out, inspect });
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
  it('embeds every font as a real font, none Type 3', () => {
    const fonts = pdffonts(pdf);
    expect(fonts.length).toBeGreaterThan(2);
    for (const f of fonts) {
      expect(f.type, f.name).not.toBe('Type 3');
      expect(f.emb, f.name).toBe('yes');
    }
    expect(fonts.map((f) => f.name).join(' ')).toMatch(/NotoSerifCJKsc/);
    expect(fonts.map((f) => f.name).join(' ')).toMatch(/NotoSansCJKsc-Bold/);
  });

  // The seed sits in ../shared beside a clone (CI lays it there); the articles are always here.
  it.skipIf(!existsSync(SEED))('has every Han character of the seed (nothing lost)', () => {
    const have = hanCounts(pdftotext(pdf));
    const missing = [...hanCounts(readFileSync(SEED, 'utf8'))].filter(([c, n]) => (have.get(c) ?? 0) < n).map(([c]) => c);
    expect(missing.join('')).toBe('');
  });

  it('has every Han character of every article and of edition.yaml\'s printed fields', () => {
    const have = hanCounts(pdftotext(pdf));
    const sources = ['interview.md', 'politics.md', 'reform.md', 'talent.md'].map((f) => readFileSync(path.join(EDITION, f), 'utf8').replace(/#.*$/gm, ''));
    const missing = [...hanCounts(sources.join('\n'))].filter(([c, n]) => (have.get(c) ?? 0) < n).map(([c]) => c);
    expect(missing.join('')).toBe('');
  });

  it('has each article in reading order (pdftotext -raw)', () => {
    const raw = pdftotext(pdf, '-raw').replace(/\s+/g, '');
    for (const file of ['interview.md', 'politics.md', 'reform.md', 'talent.md']) {
      const body = readFileSync(path.join(EDITION, file), 'utf8').replace(/^---[\s\S]*?\n---\n/, '');
      const sentences = body
        .replace(/!\[[^\]]*\]\([^)]*\)(\{[^}]*\})?/g, '')
        .replace(/^#+\s*/gm, '')
        .split(/(?<=[。！？])|\n/)
        .map((s) => s.replace(/\s+/g, ''))
        .filter((s) => s.length >= 6);
      let at = 0;
      for (const s of sentences) {
        const i = raw.indexOf(s, at);
        expect(i, `${file}: "${s.slice(0, 20)}…" after offset ${at}`).toBeGreaterThanOrEqual(0);
        at = i + s.length;
      }
    }
  });

  it('breaks no CJK line-start or line-end rule (pdftotext -bbox-layout lines)', () => {
    const lines = printedLines(pdf);
    const cjk = lines.filter((l) => l.length >= 2 && /\p{Script=Han}/u.test(l));
    expect(cjk.length).toBeGreaterThan(300);
    const bad = cjk.filter((l) => '，。、；：？！）」』”’》〉】〕'.includes(l[0]!) || '（「『“‘《〈【〔'.includes(l[l.length - 1]!));
    expect(bad).toEqual([]);
  });

  it('carries the headlines and the banner', () => {
    const text = pdftotext(pdf).replace(/\s+/g, '');
    for (const h of ['交出守好“红色根脉”的新时代组工答卷', '——专访省委组织部常务副部长张学伟', '以政治建设为统领', '变革重塑，党建统领整体智治', '闪亮“浙”五年·迎接省第十五次党代会特别报道', '本版图片由省委组织部提供']) {
      expect(text).toContain(h);
    }
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

describe('the paginated pages (DOM)', () => {
  it('have a folio line with the paper, the date and 第N版', () => {
    expect(facts.folios.length).toBeGreaterThanOrEqual(2);
    for (const f of facts.folios) {
      // The page number is a CSS counter in the margin box; the printed page shows its value.
      expect(f.left).toMatch(/"第" counter\(page\) "版/);
      expect(f.center).toContain('浙江日报');
      expect(f.center).toContain('2022年6月15日 星期三');
    }
    for (let i = 1; i <= result.pages; i++) {
      const printed = pdftotext(pdf, '-f', String(i), '-l', String(i)).replace(/\s+/g, '');
      expect(printed).toContain(`第${i}版`);
      expect(printed).toContain('浙江日报2022年6月15日星期三');
    }
  });

  it('have the masthead, the banner and the headline hierarchy', () => {
    expect(facts.masthead).toContain('浙江日报');
    expect(facts.banner).toBe('闪亮“浙”五年·迎接省第十五次党代会特别报道');
    const byId = new Map(facts.articles.map((a) => [a.id, a]));
    expect(byId.get('interview')?.title).toBe('交出守好“红色根脉”的新时代组工答卷');
    expect(byId.get('interview')?.deck).toBe('——专访省委组织部常务副部长张学伟');
    for (const a of facts.articles) expect(a.titleBeforeBody, a.id).toBe(true);
  });

  it('give each article slot its columns and column rules', () => {
    expect(facts.slots.map((s) => `${s.slot}:${s.article}`).sort()).toEqual(['foot:politics', 'lead:interview', 'second:talent', 'top:reform']);
    for (const s of facts.slots) {
      expect(s.columns, s.slot).toBeGreaterThanOrEqual(2);
      expect(s.rule, s.slot).toBe('solid');
    }
  });

  it('set every caption under its figure', () => {
    expect(facts.figures.length).toBe(5);
    for (const f of facts.figures) expect(f).toEqual({ captionBelow: true, overlap: true });
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
