/**
 * Fixed newspaper pages printed by Chromium's own print layout (src/paginate/native.ts): copyfit,
 * jumps and overset measured on the screen layout, checked against the same edition paginated by
 * Paged.js (PAIBAN_PAGINATOR=pagedjs): the same lines, the same reports, the same jump lines; and a
 * jump whose page a long flow moves is set again with the pages as printed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/build.ts';
import { chineseText, writeEdition, type ArticleSpec } from '../helpers/editions.ts';
import { pdftotext } from '../helpers/tools.ts';
import { factsOf, verifyBuild } from '../helpers/verify.ts';
import { pageBoxes, qpdfOutline } from '../pdf/helpers.ts';
import { png, renderRegion, tempDir, withPaginator } from './helpers.ts';

async function buildWith(paginator: 'auto' | 'pagedjs', dir: string): Promise<{ result: BuildResult; pdf: string }> {
  const out = tempDir(`paiban-fixed-${paginator}-`);
  const result = await withPaginator(paginator, () => build(dir, { out, pdf: true }));
  return { result, pdf: path.join(out, `${path.basename(dir)}.pdf`) };
}

const text = chineseText(6000);
const article = (file: string, title: string, from: number, chars: number): ArticleSpec => {
  const paragraphs: string[] = [];
  for (let i = from, n = 0; n < chars; i++) {
    paragraphs.push(text[i % text.length]!);
    n += text[i % text.length]!.length;
  }
  return { file, title, paragraphs };
};

/** A front page (a photo lead set by copyfit, an overset story, a story that jumps to page 3), a flow page of `flowChars`, a feature page. */
function newspaper(name: string, flowChars: number): string {
  const dir = writeEdition(
    name,
    [
      'title: 定版测试',
      'publication: 测试日报',
      'date: 2022-06-15',
      'language: zh-CN',
      'paper: tabloid',
      'print: { bleed: 3mm, marks: false }',
      'pages:',
      '  - layout: front',
      '    section: 要闻',
      '    articles:',
      '      - { file: lead.md, slot: lead, fit: auto }',
      '      - { file: over.md, slot: second }',
      '      - { file: jump.md, slot: side, continue: { page: 3, slot: top } }',
      '  - layout: flow',
      '    section: 长文',
      '    articles:',
      '      - { file: flow.md }',
      '  - layout: feature',
      '    section: 综合',
      '    articles:',
      '      - { file: left.md, slot: left }',
      '',
    ].join('\n'),
    [
      { ...article('lead.md', '头条新闻', 0, 700), paragraphs: ['![图为测试图片。](images/photo.png)', ...article('lead.md', '', 0, 700).paragraphs] },
      article('over.md', '超长的第二条', 5, 4000),
      article('jump.md', '转版的报道', 11, 2200),
      article('flow.md', '流排长文', 17, flowChars),
      article('left.md', '左栏短讯', 23, 300),
    ],
  );
  mkdirSync(path.join(dir, 'images'));
  writeFileSync(path.join(dir, 'images', 'photo.png'), png(2400, 1600));
  return dir;
}

const rules = (r: BuildResult, rule: string) => r.diagnostics.items.filter((d) => d.rule === rule).map((d) => `${d.file} ${d.message}`);
const page = (pdf: string, n: number) => pdftotext(pdf, '-f', String(n), '-l', String(n)).replace(/\s+/g, '');
const lines = (pdf: string, n: number) => pdftotext(pdf, '-raw', '-f', String(n), '-l', String(n)).split('\n').map((l) => l.replace(/\s+/g, '')).filter((l) => l.length > 3);

describe('fixed pages printed by Chromium, against Paged.js', () => {
  const dir = newspaper('fixed', 800);
  let native: { result: BuildResult; pdf: string };
  let paged: { result: BuildResult; pdf: string };

  beforeAll(async () => {
    native = await buildWith('auto', dir);
    paged = await buildWith('pagedjs', dir);
  }, 300_000);

  it('is laid out by Chromium alone, page for page as Paged.js lays it out', () => {
    expect(native.result.ok).toBe(true);
    expect(native.result.paginators).toEqual(['chromium']);
    expect(paged.result.paginators).toEqual(['pagedjs']);
    expect(native.result.pages).toBe(3);
    expect(paged.result.pages).toBe(3);
    expect(pageBoxes(native.pdf, 3)).toEqual(pageBoxes(paged.pdf, 3));
    expect(qpdfOutline(native.pdf)).toEqual(qpdfOutline(paged.pdf));
  });

  it('breaks the fixed pages into the same lines', () => {
    for (const n of [1, 3]) {
      const mine = lines(native.pdf, n);
      const theirs = new Set(lines(paged.pdf, n));
      const same = mine.filter((l) => theirs.has(l)).length;
      expect(mine.length, `page ${n}`).toBeGreaterThan(40);
      expect(same / mine.length, `page ${n}`).toBeGreaterThan(0.95);
    }
  });

  it('draws the fixed pages alike: at most 1% of the pixels differ', () => {
    const [box] = pageBoxes(native.pdf, 1);
    const [w, h] = [box!.MediaBox![2]!, box!.MediaBox![3]!];
    for (const n of [1, 3]) {
      const a = renderRegion(native.pdf, n, { x: 0, y: 0, w, h }, 0.5);
      const b = renderRegion(paged.pdf, n, { x: 0, y: 0, w, h }, 0.5);
      let differ = 0;
      for (let y = 0; y < a.height; y++) for (let x = 0; x < a.width; x++) if (a.at(x, y).some((c, i) => Math.abs(c - b.at(x, y)[i]!) > 96)) differ++;
      expect(differ / (a.width * a.height), `page ${n}`).toBeLessThan(0.01);
    }
  });

  it('reports the same copyfit, overset and jump', () => {
    expect(rules(native.result, 'copyfit')).toEqual(rules(paged.result, 'copyfit'));
    // The cut is counted in the text nodes, and Paged.js drops the whitespace between paragraphs:
    // where the jump cuts is compared on the printed pages instead (the lines above).
    const jump = (r: BuildResult) => rules(r, 'jump').map((m) => m.replace(/ after \d+ of \d+ characters/, ''));
    expect(jump(native.result)).toEqual(jump(paged.result));
    const over = (r: BuildResult) => r.diagnostics.items.filter((d) => d.rule === 'overset').map((d) => d.file);
    expect(over(native.result)).toEqual(['over.md']);
    expect(over(paged.result)).toEqual(['over.md']);
    expect(rules(native.result, 'jump')[0]).toMatch(/continued from page 1 to page 3/);
  });

  it('sets the jump lines with the printed pages; both builds pass the shared verification (every character, the jump, kinsoku)', () => {
    expect(page(native.pdf, 1)).toContain('（转第3版）');
    expect(page(native.pdf, 3)).toContain('（接第1版）');
    expect(verifyBuild(native.pdf, dir, factsOf(native.result))).toEqual([]);
    expect(verifyBuild(paged.pdf, dir, factsOf(paged.result))).toEqual([]);
  });

  it('measures the photo where it is placed, as Paged.js does', () => {
    const [mine] = native.result.preflight.images;
    const [theirs] = paged.result.preflight.images;
    expect(mine?.page).toBe(1);
    expect(mine!.widthMm).toBeCloseTo(theirs!.widthMm, 0);
    expect(mine!.heightMm).toBeCloseTo(theirs!.heightMm, 0);
  });
});

describe('a jump past a flow that runs on over several pages', () => {
  it('sets the jump lines again with the pages as printed', async () => {
    const dir = newspaper('moved', 9000);
    const { result, pdf } = await buildWith('auto', dir);
    expect(result.ok).toBe(true);
    expect(result.paginators).toEqual(['chromium']);
    expect(result.pages).toBeGreaterThan(3);
    const last = result.pages;
    expect(page(pdf, 1)).toContain(`（转第${last}版）`);
    expect(page(pdf, last)).toContain('（接第1版）');
    expect(rules(result, 'jump')[0]).toMatch(new RegExp(`continued from page 1 to page ${last}`));
    expect(verifyBuild(pdf, dir, { ...factsOf(result), printedPage: (n) => (n === 3 ? last : n) })).toEqual([]);
  });
});
