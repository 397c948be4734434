import { describe, it, expect, afterAll } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { assignText, contentStrings, familyList, matchFace, mergeRuns, subsetMisses, textRuns, type FaceCoverage } from '../../src/fonts/usage.ts';
import { readCoverage } from '../../src/fonts/cmap.ts';
import { everywhereText, keptFaces, type FacePlan } from '../../src/fonts/plan.ts';
import type { PreparedFonts } from '../../src/fonts/prepare.ts';
import { launchBrowser } from '../../src/paginate/browser.ts';

const cps = (s: string) => new Set([...s].map((c) => c.codePointAt(0)!));
const face = (cssFamily: string, has: string, weight: 'regular' | 'bold' = 'regular', style: 'normal' | 'italic' = 'normal'): FaceCoverage => ({ cssFamily, weight, style, has: cps(has) });

describe('familyList and matchFace', () => {
  it('reads a computed font-family list', () => {
    expect(familyList('"pb-body", pb-fallback, "Noto  Serif", serif')).toEqual(['pb-body', 'pb-fallback', 'noto serif', 'serif']);
    expect(familyList('"a\\"b", \'C\'')).toEqual(['a"b', 'c']);
  });

  it('follows CSS font matching: style first, then weight', () => {
    const faces = [face('x', '', 'regular'), face('x', '', 'bold'), face('x', '', 'regular', 'italic')];
    expect(matchFace(faces, 400, 'normal')).toBe(faces[0]);
    expect(matchFace(faces, 500, 'normal')).toBe(faces[0]);
    expect(matchFace(faces, 600, 'normal')).toBe(faces[1]);
    expect(matchFace(faces, 300, 'normal')).toBe(faces[0]);
    expect(matchFace(faces, 900, 'normal')).toBe(faces[1]);
    // Bold italic: the italic face (synthesised bold), not the upright bold one.
    expect(matchFace(faces, 700, 'italic')).toBe(faces[2]);
    expect(matchFace(faces, 700, 'oblique 10deg')).toBe(faces[2]);
    // A family with a bold face only uses it for every weight.
    expect(matchFace([face('h', '', 'bold')], 400, 'normal')?.weight).toBe('bold');
  });
});

describe('assignText', () => {
  const faces = [face('pb-body', '中文字'), face('pb-body', '中文', 'bold'), face('pb-heading', '標題中'), face('pb-fallback', '中文字標題𠀋')];

  it('gives a character to the face that sets it, and to the next family only when that face lacks it', () => {
    const texts = assignText(
      [
        { families: '"pb-body", "pb-fallback"', weight: 400, style: 'normal', text: '中文 𠀋' },
        { families: '"pb-heading", "pb-fallback"', weight: 700, style: 'normal', text: '標題' },
        { families: '"pb-body", "pb-fallback"', weight: 700, style: 'normal', text: '字' },
      ],
      faces,
      '第',
    );
    expect(texts).toEqual(['中文第𠀋', '字第', '標第題', '字第𠀋']);
  });

  it('skips families that are not faces of the edition and characters that need no glyph', () => {
    const texts = assignText([{ families: 'Georgia, "pb-heading", serif', weight: 400, style: 'normal', text: '標\u00ad\u200b 題' }], faces, '');
    expect(texts).toEqual(['', '', '標題', '']);
  });

  it('finds what a subset lost on the laid-out pages', () => {
    const kept = [face('pb-body', ''), face('pb-fallback', '')].map((f, i) => ({ ...f, has: cps(i ? '中字' : '中'), kept: cps(i ? '字' : '') }));
    // 中 falls through the body subset although the body font has it; 字 is the fallback's to set.
    expect(subsetMisses([{ families: 'pb-body, pb-fallback', weight: 400, style: 'normal', text: '中字' }], kept)).toEqual(['中']);
  });

  it('joins runs of the same font and orders them', () => {
    expect(mergeRuns([
      { families: 'b', weight: 400, style: 'normal', text: 'yx' },
      { families: 'a', weight: 400, style: 'normal', text: 'q' },
      { families: 'b', weight: 400, style: 'normal', text: 'xz' },
    ])).toEqual([
      { families: 'a', weight: 400, style: 'normal', text: 'q' },
      { families: 'b', weight: 400, style: 'normal', text: 'xyz' },
    ]);
  });

  it('reads generated content from stylesheets', () => {
    expect(contentStrings(['h2::before { content: "■"; } a::after { content: \'\\2192 \' attr(x) "版" }'])).toBe('■ → 版');
  });
});

describe('keptFaces', () => {
  it('gives each face the code points its subset kept: its text and the base repertoire, less what its font lacks', () => {
    const plan: FacePlan = { faces: [{ cssFamily: 'pb-body', family: 'X', weight: 'regular', text: '中𠀋' }], dropLanguages: [], coverage: [face('pb-body', '中')], fallbacks: [], unprepared: [] };
    const [k] = keptFaces(plan, { faces: [{ missing: ['𠀋'] }], uncovered: [] } as unknown as PreparedFonts);
    expect(k!.kept.has(0x4e2d)).toBe(true);
    expect(k!.kept.has(0x2000b)).toBe(false);
    expect(k!.kept.has(0x41)).toBe(true);
    expect(k!.has).toEqual(cps('中'));
  });
});

describe('everywhereText', () => {
  const locale = { continuedOn: (n: number | string) => `（转第${n}版）`, continuedFrom: (n: number | string) => `（接第${n}版）` } as never;
  it('gives every face generated content and jump lines, and all the text when styles copy text into the margins', () => {
    const doc = { pageCss: '@page { @top-left { content: "要闻" } }', locale, text: '正文龘' };
    const plain = everywhereText(doc, ['p { color: red }']);
    expect(plain).toContain('要闻');
    expect(plain).toContain('转');
    expect(plain).toContain('\u2010');
    expect(plain).not.toContain('龘');
    expect(everywhereText(doc, ['h1 { string-set: title content(text) }'])).toContain('龘');
    expect(everywhereText(doc, ['.h { position: running(head) }'])).toContain('龘');
  });
});

describe('readCoverage', () => {
  it('reads the best cmap of a font and of a face in a collection', async () => {
    const latin = await readCoverage('/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf');
    expect(latin.has(0x41)).toBe(true);
    expect(latin.has(0x4e2d)).toBe(false);
    const noto = await readCoverage('/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', 2);
    expect(noto.has(0x4e2d)).toBe(true);
    expect(noto.size).toBeGreaterThan(40000);
    await expect(readCoverage('/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', 99)).rejects.toThrow(/faces/);
  });
});

describe('textRuns', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('reports each text node with its computed font, in screen and print media', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'paiban-usage-'));
    dirs.push(dir);
    const css = path.join(dir, 'style.css');
    await writeFile(css, 'body { font-family: "pb-body", "pb-fallback"; } h1 { font-family: pb-heading; font-weight: 700; } .up { text-transform: uppercase; } @media print { .p { font-family: pb-caption; } } p::first-letter { font-family: pb-drop; }');
    const html = '<!doctype html><html lang="zh-CN"><head><link rel="stylesheet" href="/_paiban/style.css"></head><body><h1>標題</h1><p>正文é</p><span class="up">é</span><div class="p">图</div></body></html>';
    const browser = await launchBrowser();
    try {
      const runs = await textRuns(browser, html, { assets: new Map([['style.css', { file: css, type: 'text/css' }]]), editionDir: dir });
      const of = (fam: string) => runs.filter((r) => r.families.includes(fam)).map((r) => r.text).join('');
      expect(of('pb-heading')).toContain('標');
      expect(runs.find((r) => r.families.includes('pb-heading'))!.weight).toBe(700);
      expect(of('pb-drop')).toContain('正');
      expect(of('pb-caption')).toBe('图');
      expect(of('pb-body')).toContain('É');
      expect(of('pb-body')).toContain('图');
    } finally {
      await browser.close();
    }
  });
});
