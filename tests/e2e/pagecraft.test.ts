/**
 * Page craft on real outputs: overset reported by file and exiting 1 with --strict, a jump that
 * keeps every character with jump lines naming the right pages, copyfit making a slightly long
 * article fit.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build.ts';
import { launchBrowser, type BrowserHandle } from '../../src/paginate/browser.ts';
import { chineseText, writeEdition, type ArticleSpec } from '../helpers/editions.ts';
import { hanCounts, pdftotext, run } from '../helpers/tools.ts';

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
const han = (s: string) => [...hanCounts(s)].reduce((a, [, n]) => a + n, 0);

describe('overset', () => {
  const long: ArticleSpec = { file: 'long.md', title: '长篇报道', paragraphs: chineseText(3000) };
  const yaml = head(`  - layout: front
    articles:
      - { file: lead.md, slot: lead }
      - { file: long.md, slot: side }
`);

  it('is reported with the file, page, slot, lines over and the word overset', async () => {
    const dir = writeEdition('overset', yaml, [short, long]);
    const r = await build(dir, { out: outDir(), browser, pdf: true });
    const over = r.diagnostics.items.filter((d) => d.rule === 'overset');
    expect(over).toHaveLength(1);
    expect(over[0]!.file).toBe('long.md');
    expect(over[0]!.severity).toBe('warning');
    expect(over[0]!.message).toMatch(/^overset: \d+ of \d+ characters of the article \(\d+%\) are hidden, about \d+ lines? over, on page 1, slot "side" \(\d+ × \d+ mm\)/);
    expect(r.ok).toBe(true);
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
    const p1 = pdftotext(pdf, '-f', '1', '-l', '1').replace(/\s+/g, '');
    const p2 = pdftotext(pdf, '-f', '2', '-l', '2').replace(/\s+/g, '');
    expect(p1).toContain('（转第2版）');
    expect(p2).toContain('（接第1版）');
    // Every character of the article, exactly once across the two pages (no duplicate, no loss).
    const body = long.paragraphs.join('');
    const printed = p1 + p2;
    for (const [c, n] of hanCounts(body)) expect(hanCounts(printed).get(c) ?? 0, c).toBeGreaterThanOrEqual(n);
    const lead = short.paragraphs.join('');
    const extra = han(printed) - han(body) - han(lead);
    // Only headlines, folios, jump lines and mastheads add characters: far fewer than a repeated part.
    expect(extra).toBeLessThan(120);
    // The sentences come in order: the first part, then the rest.
    const raw = pdftotext(pdf, '-raw').replace(/\s+/g, '').replace(/（转第2版）[\s\S]*?（接第1版）/, '');
    expect(raw).toContain(body.slice(0, 60));
    expect(raw).toContain(body.slice(-60));
  });
});

describe('copyfit (fit: auto)', () => {
  it('makes a slightly long article fit its slot', async () => {
    const yaml = (fit: string) =>
      head(`  - layout: front
    articles:
      - { file: lead.md, slot: lead }
      - { file: long.md, slot: side, fit: ${fit} }
`);
    // Find what the slot shows at the template's own leading, then write ~3% more than that.
    const probe: ArticleSpec = { file: 'long.md', title: '长篇报道', paragraphs: chineseText(3000) };
    const r0 = await build(writeEdition('probe', yaml('none'), [short, probe]), { out: outDir(), browser, pdf: true });
    const over = r0.diagnostics.items.find((d) => d.rule === 'overset')!;
    const hidden = Number(/^overset: (\d+) of/.exec(over.message)![1]);
    const shown = probe.paragraphs.join('').length - hidden;
    const slightly: ArticleSpec = { file: 'long.md', title: '长篇报道', paragraphs: chineseText(Math.round(shown * 1.03)) };

    const without = await build(writeEdition('nofit', yaml('none'), [short, slightly]), { out: outDir(), browser, pdf: true });
    expect(without.diagnostics.items.some((d) => d.rule === 'overset')).toBe(true);

    const withFit = await build(writeEdition('fit', yaml('auto'), [short, slightly]), { out: outDir(), browser, pdf: true });
    expect(withFit.diagnostics.items.filter((d) => d.rule === 'overset')).toEqual([]);
    const info = withFit.diagnostics.items.find((d) => d.rule === 'copyfit');
    expect(info?.severity).toBe('info');
    expect(info?.message).toMatch(/copyfit: set at -0\.\d+/);
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
      const r = await build(dir, { out, browser, pdf: true, workers });
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
