/**
 * Every story inside its own slot, measured on the PDF: the build reports where each filled slot
 * is printed (BuildResult.placed, docs: the page model of issue 12), and every character of the
 * article (or of its part, for a jump) must lie inside that rectangle, as pdftotext -bbox places
 * it, with nothing of it outside. The check itself is tested with rectangles whose positions the
 * test sets (tests/unit/verify.test.ts); here it runs on real builds: the demo's front page, a front
 * page with an overset story, and a front page whose story jumps to an inside page.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/build.ts';
import { launchBrowser, type BrowserHandle } from '../../src/browser/browser.ts';
import { chineseText, writeEdition } from '../helpers/editions.ts';
import { readPages } from '../helpers/pdf.ts';
import { readEdition } from '../helpers/source.ts';
import { requireTools } from '../helpers/tools.ts';
import { factsOf, verifyBuild, type Placement } from '../helpers/verify.ts';

requireTools('poppler');

/** The placements a build reports (BuildResult.placed), as the verification takes them. */
function placements(result: BuildResult): Placement[] {
  const { placed } = factsOf(result);
  if (!placed) throw new Error('BuildResult.placed is missing: the build does not say where each slot is printed (the page model of issue 12: slots with definite depths)');
  return placed;
}

let browser: BrowserHandle;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const outDir = () => mkdtempSync(path.join(os.tmpdir(), 'paiban-slots-'));

/** Build `dir`; every story of a fixed page inside its rectangle; the rectangles on the page, apart. */
async function expectInside(dir: string): Promise<{ result: BuildResult; placed: Placement[] }> {
  const out = outDir();
  const result = await build(dir, { out, browser, pdf: true });
  const pdf = path.join(out, `${path.basename(dir)}.pdf`);
  const placed = placements(result);
  const slotted = readEdition(dir).articles.filter((a) => a.slot);
  for (const a of slotted) expect(placed.some((p) => p.file === a.file), `${a.file} has a placement`).toBe(true);
  const pages = readPages(pdf);
  for (const p of placed) {
    const page = pages[p.page - 1]!;
    expect(p.rect!.x).toBeGreaterThanOrEqual(0);
    expect(p.rect!.y).toBeGreaterThanOrEqual(0);
    expect(p.rect!.x + p.rect!.width).toBeLessThanOrEqual(page.width);
    expect(p.rect!.y + p.rect!.height).toBeLessThanOrEqual(page.height);
    for (const q of placed.filter((o) => o !== p && o.page === p.page)) {
      const overlap = Math.min(p.rect!.x + p.rect!.width, q.rect!.x + q.rect!.width) - Math.max(p.rect!.x, q.rect!.x) > 1 && Math.min(p.rect!.y + p.rect!.height, q.rect!.y + q.rect!.height) - Math.max(p.rect!.y, q.rect!.y) > 1;
      expect(overlap, `${p.file} and ${q.file} overlap on page ${p.page}`).toBe(false);
    }
  }
  expect(verifyBuild(pdf, dir, factsOf(result))).toEqual([]);
  return { result, placed };
}

const head = (pages: string) => `title: 测试版\npublication: 测试日报\ndate: 2022-06-15\nlanguage: zh-CN\npaper: a4\npages:\n${pages}`;
const lead = { file: 'lead.md', title: '头条新闻', paragraphs: chineseText(200) };

describe('every story inside its own slot', () => {
  it('on the demo\'s front page', async () => {
    await expectInside(path.resolve('content/zjrb-2022-06-15'));
  });

  it('on a front page with an overset story: what prints stays in the slot', async () => {
    const dir = writeEdition('overset', head(`  - layout: front\n    articles:\n      - { file: lead.md, slot: lead }\n      - { file: long.md, slot: side }\n`), [lead, { file: 'long.md', title: '长篇报道', paragraphs: chineseText(3000) }]);
    await expectInside(dir);
  });

  it('on a front page with a jump: each part inside its own slot, the two parts the article exactly', async () => {
    const dir = writeEdition(
      'jump',
      head(`  - layout: front\n    articles:\n      - { file: lead.md, slot: lead }\n      - { file: long.md, slot: side, continue: { page: 2, slot: top } }\n  - layout: feature\n    articles: []\n`),
      [lead, { file: 'long.md', title: '长篇报道', paragraphs: chineseText(1400) }],
    );
    const { placed } = await expectInside(dir);
    expect(placed.filter((p) => p.file === 'long.md').map((p) => [p.page, p.part])).toEqual([
      [1, 'first'],
      [2, 'rest'],
    ]);
  });

  it('on a front page with a jump set fit: auto: the rest is copyfit in its slot, and still inside it', async () => {
    const pages = (fit: string) => head(`  - layout: front\n    articles:\n      - { file: lead.md, slot: lead }\n      - { file: long.md, slot: side, ${fit}continue: { page: 2, slot: top } }\n  - layout: feature\n    articles: []\n`);
    const story = { file: 'long.md', title: '长篇报道', paragraphs: chineseText(1400) };
    const copyfits = (r: BuildResult) => r.diagnostics.items.filter((d) => d.rule === 'copyfit' && d.file === 'long.md').map((d) => d.message);
    const fitted = await expectInside(writeEdition('jump-fit', pages('fit: auto, '), [lead, story]));
    // Only the rest is fitted (the first part is cut at its slot's foot): one setting, inside the range.
    const [message, ...more] = copyfits(fitted.result);
    expect(more).toEqual([]);
    expect(message).toMatch(/^copyfit: set at [+-−]?\d/);
    expect(fitted.placed.filter((p) => p.file === 'long.md').map((p) => p.part)).toEqual(['first', 'rest']);
    const plain = await expectInside(writeEdition('jump-plain', pages(''), [lead, story]));
    expect(copyfits(plain.result)).toEqual([]);
  });
});
