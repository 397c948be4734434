/**
 * Page craft on real outputs, each build checked by the shared verification (fonts, every
 * character of every article in order, kinsoku, jumps): overset reported by file and exiting 1 with
 * --strict, a jump whose two parts are the article exactly with jump lines naming the right pages,
 * copyfit measured on the printed glyphs (leading and tracking within the range, the slot filled),
 * and pages laid out by two runs of a pool giving the pages one run gives.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/build.ts';
import { COPYFIT } from '../../src/layout/fit.ts';
import { launchBrowser, type BrowserHandle } from '../../src/browser/browser.ts';
import { readContent } from '../helpers/content.ts';
import { chineseText, writeEdition, type ArticleSpec } from '../helpers/editions.ts';
import { readPages } from '../helpers/pdf.ts';
import { withRuns } from '../helpers/runs.ts';
import { settingOf, type Setting } from '../helpers/setting.ts';
import { readEdition } from '../helpers/source.ts';
import { pdftotext, run } from '../helpers/tools.ts';
import { factsOf, locate, verifyBuild } from '../helpers/verify.ts';

let browser: BrowserHandle;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const head = (pages: string) => `title: 测试版
publication: 测试日报
date: 2022-06-15
language: zh-CN
paper: a4
pages:
${pages}`;

const short: ArticleSpec = { file: 'lead.md', title: '头条新闻', paragraphs: chineseText(200) };
const outDir = () => mkdtempSync(path.join(os.tmpdir(), 'paiban-craft-out-'));

describe('overset', () => {
  const long: ArticleSpec = { file: 'long.md', title: '长篇报道', paragraphs: chineseText(3000) };
  const yaml = head(`  - layout: front
    articles:
      - { file: lead.md, slot: lead }
      - { file: long.md, slot: side }
`);

  it('is reported with the file, page, slot, lines over and the word overset', async () => {
    const dir = writeEdition('overset', yaml, [short, long]);
    const out = outDir();
    const r = await build(dir, { out, browser, pdf: true });
    const over = r.diagnostics.items.filter((d) => d.rule === 'overset');
    expect(over).toHaveLength(1);
    expect(over[0]!.file).toBe('long.md');
    expect(over[0]!.severity).toBe('warning');
    expect(over[0]!.message).toMatch(/^overset: \d+ of \d+ characters of the article \(\d+%\) are hidden, about \d+ lines? over, on page 1, slot "side" \(\d+ × \d+ mm\)/);
    expect(r.ok).toBe(true);
    // What prints of the overset article is its start, in order; the other article is whole.
    expect(verifyBuild(path.join(out, 'overset.pdf'), dir, factsOf(r))).toEqual([]);
  });

  it('makes the build fail with --strict (exit 1 on the command line)', async () => {
    const dir = writeEdition('overset', yaml, [short, long]);
    const r = await build(dir, { out: outDir(), browser, pdf: true, strict: true });
    expect(r.ok).toBe(false);
    expect(r.outputs).toEqual([]);
    const cli = run('node', [path.resolve('bin/paiban'), 'build', dir, '--out', outDir(), '--pdf', '--strict']);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/long\.md error overset: overset:/);
  });
});

describe('a jump (continue: { page, slot })', () => {
  it('keeps every character, with jump lines naming the printed pages', async () => {
    const long: ArticleSpec = { file: 'long.md', title: '长篇报道', paragraphs: chineseText(1400) };
    const dir = writeEdition(
      'jump',
      head(`  - layout: front
    articles:
      - { file: lead.md, slot: lead }
      - { file: long.md, slot: side, continue: { page: 2, slot: top } }
  - layout: feature
    articles: []
`),
      [short, long],
    );
    const out = outDir();
    const r = await build(dir, { out, browser, pdf: true });
    expect(r.diagnostics.errors).toEqual([]);
    expect(r.diagnostics.items.filter((d) => d.rule === 'overset')).toEqual([]);
    expect(r.diagnostics.items.find((d) => d.rule === 'jump')?.message).toMatch(/continued from page 1 to page 2/);
    const pdf = path.join(out, 'jump.pdf');
    expect(pdftotext(pdf, '-f', '1', '-l', '1').replace(/\s+/g, '')).toContain('（转第2版）');
    expect(pdftotext(pdf, '-f', '2', '-l', '2').replace(/\s+/g, '')).toContain('（接第1版）');
    // The part before the jump line and the part after the other are the article, exactly: nothing
    // repeated, nothing lost, the continuation not starting with a closing mark.
    expect(verifyBuild(pdf, dir, factsOf(r))).toEqual([]);
  });
});

describe('jumps cut where a closing mark follows', () => {
  it('never start the continuation with the mark: the cut moves back before it', async () => {
    // Every third character starts a pair of closing marks (。”): a full line can take one at its
    // end, not two. Three articles differ only by where the pairs fall, each cut in a slot of the
    // same size: a cut that did not move back would leave a mark to start a continuation.
    const text = (shift: number) => Array.from({ length: 2400 }, (_, i) => ['字', '。', '”'][(i + shift) % 3]!.replace('字', '浙江日报组织工作人才高地'[(i >> 2) % 12]!)).join('');
    const names = ['甲', '乙', '丙'];
    const fronts = names.map((_, k) => `  - layout: front\n    articles:\n      - { file: a${k}.md, slot: lead, continue: { page: 4, slot: ${['top', 'left', 'middle'][k]} } }\n`).join('');
    const dir = writeEdition('marks', head(`${fronts}  - layout: feature\n    articles: []\n`), names.map((n, k) => ({ file: `a${k}.md`, title: `转版${n}`, paragraphs: text(k).match(/.{1,160}/g)! })));
    const out = outDir();
    const r = await build(dir, { out, browser, pdf: true });
    expect(r.diagnostics.items.filter((d) => d.rule === 'jump').map((d) => d.file)).toEqual(['a0.md', 'a1.md', 'a2.md']);
    expect(verifyBuild(path.join(out, 'marks.pdf'), dir, factsOf(r))).toEqual([]);
  });
});

describe('copyfit (fit: auto)', () => {
  const yaml = (fit: string) =>
    head(`  - layout: front
    articles:
      - { file: lead.md, slot: lead }
      - { file: long.md, slot: side, fit: ${fit} }
`);
  /** An article of exactly `chars` characters (whole sentences would step by dozens). */
  const longOf = (chars: number): ArticleSpec => {
    const paragraphs: string[] = [];
    let left = chars;
    for (const p of chineseText(chars)) {
      if (left <= 0) break;
      paragraphs.push(p.length <= left ? p : `${p.slice(0, Math.max(1, left - 1))}。`);
      left -= p.length;
    }
    return { file: 'long.md', title: '长篇报道', paragraphs };
  };

  /** How long.md's body is set on page 1: every glyph under its headline, in its columns. */
  async function setting(pdf: string, dir: string): Promise<Setting> {
    const a = readEdition(dir).articles.find((x) => x.file === 'long.md')!;
    const title = locate(pdf, 1, a.head.title)!;
    const words = readPages(pdf)[0]!.words;
    const below = words.slice(words.indexOf(title[title.length - 1]!) + 1).filter((w) => w.x0 >= title[0]!.x0 - 2);
    return settingOf((await readContent(pdf))[0]!.glyphs, below);
  }

  let shown = 0;
  let base: Setting;
  beforeAll(async () => {
    // What the slot shows at the template's own leading: a long article is overset by the rest.
    const probe = longOf(3000);
    const r0 = await build(writeEdition('probe', yaml('none'), [short, probe]), { out: outDir(), browser, pdf: true });
    const over = r0.diagnostics.items.find((d) => d.rule === 'overset')!;
    shown = probe.paragraphs.join('').length - Number(/^overset: (\d+) of/.exec(over.message)![1]);
    // The same slot filled to its foot without copyfit: the setting copyfit is measured against.
    const dir = writeEdition('nofit', yaml('none'), [short, longOf(Math.round(shown * 1.03))]);
    const out = outDir();
    const r = await build(dir, { out, browser, pdf: true });
    expect(r.diagnostics.items.some((d) => d.rule === 'overset')).toBe(true);
    base = await setting(path.join(out, 'nofit.pdf'), dir);
  }, 300_000);

  /** Build with fit: auto; the measured setting, and t as reported. */
  async function fitted(name: string, chars: number): Promise<{ r: BuildResult; s: Setting; t: number; problems: string[] }> {
    const dir = writeEdition(name, yaml('auto'), [short, longOf(chars)]);
    const out = outDir();
    const r = await build(dir, { out, browser, pdf: true });
    const pdf = path.join(out, `${name}.pdf`);
    const info = r.diagnostics.items.find((d) => d.rule === 'copyfit');
    expect(info?.severity).toBe('info');
    return { r, s: await setting(pdf, dir), t: Number(/set at ([-+]?[\d.]+) of the range/.exec(info!.message)![1]), problems: verifyBuild(pdf, dir, factsOf(r)) };
  }

  /** Leading and tracking as printed are the base setting moved by t, within the template's range. */
  function expectSetAt(s: Setting, t: number) {
    expect(base.tracking).toBeCloseTo(0, 3);
    // Chromium sets line boxes on whole CSS pixels (0.75 pt): the leading is compared to one.
    const ratio = s.pitch / base.pitch;
    expect(ratio).toBeGreaterThanOrEqual(1 - COPYFIT.leading - 0.75 / base.pitch);
    expect(ratio).toBeLessThanOrEqual(1 + COPYFIT.leading + 0.75 / base.pitch);
    expect(Math.abs(s.pitch - base.pitch * (1 + t * COPYFIT.leading))).toBeLessThanOrEqual(0.75);
    expect(s.tracking).toBeGreaterThanOrEqual(-COPYFIT.tracking - 0.001);
    expect(s.tracking).toBeLessThanOrEqual(COPYFIT.tracking + 0.001);
    expect(s.tracking).toBeCloseTo(t * COPYFIT.tracking, 3);
  }

  it('sets a slightly long article tighter, within the range, and fills the slot to its foot', async () => {
    const { r, s, t, problems } = await fitted('tighter', Math.round(shown * 1.03));
    expect(r.diagnostics.items.filter((d) => d.rule === 'overset')).toEqual([]);
    expect(problems).toEqual([]);
    expect(t).toBeLessThan(0);
    expectSetAt(s, t);
    expect(s.bottom).toBeGreaterThan(base.bottom - s.pitch);
  });

  it('sets a slightly short article looser, within the range, and fills the slot to its foot', async () => {
    const { r, s, t, problems } = await fitted('looser', Math.round(shown * 0.95));
    // The fitted story fills its slot (the short lead beside it is underset: not this test's story).
    expect(r.diagnostics.items.filter((d) => d.file === 'long.md' && (d.rule === 'overset' || d.rule === 'underset'))).toEqual([]);
    expect(problems).toEqual([]);
    expect(t).toBeGreaterThan(0);
    expectSetAt(s, t);
    expect(s.bottom).toBeGreaterThan(base.bottom - s.pitch);
  });
});

describe('fonts and templates', () => {
  it('reports every character no font has, naming the article', async () => {
    const rare: ArticleSpec = { file: 'rare.md', title: '生僻字', paragraphs: ['这一段里有一个私用区字符\ue000，任何字体都没有。'] };
    const dir = writeEdition('rare', head(`  - layout: front
    articles:
      - { file: lead.md, slot: lead }
      - { file: rare.md, slot: side }
`), [short, rare]);
    const r = await build(dir, { out: outDir(), browser, pdf: true });
    const missing = r.diagnostics.items.filter((d) => d.rule === 'missing-glyph');
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({ file: 'rare.md', severity: 'warning' });
    expect(missing[0]!.message).toContain('U+E000');
  });

  it('uses an edition\'s own template folder', async () => {
    const dir = writeEdition('own', head(`  - layout: front
    articles:
      - { file: lead.md, slot: lead }
`).replace('paper: a4', 'paper: a4\ntemplate: ./my-template'), [short]);
    cpSync(path.resolve('templates/newspaper'), path.join(dir, 'my-template'), { recursive: true });
    const masthead = path.join(dir, 'my-template/partials/masthead.hbs');
    writeFileSync(masthead, readFileSync(masthead, 'utf8').replace('<div class="pb-masthead-name">{{publication}}</div>', '<div class="pb-masthead-name">{{publication}} 自有模板</div>'));
    const out = outDir();
    const r = await build(dir, { out, browser, pdf: true });
    expect(r.ok).toBe(true);
    expect(pdftotext(path.join(out, 'own.pdf')).replace(/\s+/g, '')).toContain('测试日报自有模板');
    expect(verifyBuild(path.join(out, 'own.pdf'), dir, factsOf(r))).toEqual([]);
  });
});

describe('pages in parallel', () => {
  it('print the same pages, page numbers and bookmarks with two workers as with one', async () => {
    // Eight pages: two runs of four (MIN_PAGES_PER_RUN), one per worker.
    const N = [1, 2, 3, 4, 5, 6, 7, 8];
    const arts = N.map((n) => ({ file: `a${n}.md`, title: `第${n}篇报道`, paragraphs: chineseText(200 + n * 30) }));
    const yaml = head(arts.map((a) => `  - layout: front\n    section: 要闻\n    articles:\n      - { file: ${a.file}, slot: lead }\n`).join(''));
    const dir = writeEdition('parallel', yaml, arts);
    const texts: string[][] = [];
    const outlines: string[] = [];
    for (const workers of [1, 2]) {
      const out = outDir();
      const { result: r, runs } = await withRuns(() => build(dir, { out, browser, pdf: true, workers }));
      // Two workers: two runs of four pages (MIN_PAGES_PER_RUN), and no fallback to one.
      expect([...runs].sort((a, b) => a - b)).toEqual(workers === 1 ? [1] : [1, 5]);
      expect(verifyBuild(path.join(out, 'parallel.pdf'), dir, factsOf(r))).toEqual([]);
      expect(r.ok).toBe(true);
      expect(r.pages).toBe(8);
      const pdf = path.join(out, 'parallel.pdf');
      texts.push(N.map((p) => pdftotext(pdf, '-f', String(p), '-l', String(p)).replace(/\s+/g, '')));
      const json = run('qpdf', ['--json', '--json-key=outlines', pdf]).stdout;
      outlines.push([...json.matchAll(/"(title|destpageposfrom1)": ("[^"]*"|\d+)/g)].map((m) => `${m[1]}=${m[2]}`).join(' '));
    }
    expect(texts[1]).toEqual(texts[0]);
    texts[1]!.forEach((t, i) => expect(t).toContain(`第${i + 1}版`));
    expect(outlines[0]).toContain('destpageposfrom1=4 destpageposfrom1=4 title="第4篇报道" title="第4版 要闻"');
    expect(outlines[1]).toEqual(outlines[0]);
  });
});
