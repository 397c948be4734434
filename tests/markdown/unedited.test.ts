/**
 * Real, unedited Chinese text printed: no line starts with a closing or pause mark, none ends with
 * an opening one, whatever quirks the copy has (a space before a closing quote, ASCII punctuation
 * between Chinese characters, quotation marks the wrong way round). Checked on every printed line
 * of the PDF (pdftotext -bbox-layout), pieces on one baseline joined as poppler splits them where
 * compressed punctuation steps back.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/build.ts';
import { launchBrowser, type BrowserHandle } from '../../src/paginate/browser.ts';
import { writeEdition } from '../helpers/editions.ts';
import { guwen, injectQuirks, type Quirk } from '../helpers/unedited.ts';
import { hanCounts, pdftotext, printedLines } from '../helpers/tools.ts';

let browser: BrowserHandle;
let result: BuildResult;
let pdf: string;
const quirks: Quirk[] = [];
let source = '';

beforeAll(async () => {
  browser = await launchBrowser();
  const essays = guwen();
  const n = { chars: 0, paras: 0 };
  // Four articles of essays, each essay a subhead and its paragraphs.
  const articles = [0, 1, 2, 3].map((a) => {
    const mine = essays.filter((_, i) => i % 4 === a);
    const paragraphs = mine.flatMap((e) => [`## ${e.title}`, ...e.paragraphs.map((p) => injectQuirks(p, n, quirks))]);
    return { file: `guwen-${a + 1}.md`, title: mine[0]!.title, paragraphs };
  });
  source = articles.flatMap((a) => a.paragraphs).join('');
  const pages = articles.map((a) => `      - { file: ${a.file} }`).join('\n');
  const dir = writeEdition('guwen', `title: 古文觀止\npublication: 测试日报\ndate: 2022-06-15\nlanguage: zh-CN\npaper: a4\npages:\n  - layout: flow\n    articles:\n${pages}\n`, articles);
  const out = mkdtempSync(path.join(os.tmpdir(), 'paiban-unedited-'));
  result = await build(dir, { out, browser, pdf: true });
  pdf = path.join(out, 'guwen.pdf');
}, 600_000);
afterAll(async () => {
  await browser?.close();
});

describe('long unedited Chinese text', () => {
  it('has hundreds of quirks of every kind', () => {
    expect(quirks.length).toBeGreaterThan(700);
    const kinds = new Map<Quirk, number>();
    for (const q of quirks) kinds.set(q, (kinds.get(q) ?? 0) + 1);
    for (const k of ['space-before-closing', 'dots-space-quote', 'break-before-quote', 'ideographic-space', 'space-after-opening', 'ascii-punctuation', 'wrong-way-quotes', 'space-before-pause'] as const) {
      expect(kinds.get(k) ?? 0, k).toBeGreaterThan(10);
    }
  });

  it('prints whole', () => {
    expect(result.diagnostics.errors).toEqual([]);
    const printed = hanCounts(pdftotext(pdf));
    for (const [ch, count] of hanCounts(source)) expect(printed.get(ch) ?? 0, ch).toBeGreaterThanOrEqual(count);
  });

  it('starts no printed line with a closing or pause mark and ends none with an opening one', () => {
    const lines = printedLines(pdf).filter((l) => l.length >= 2 && /\p{Script=Han}/u.test(l));
    expect(lines.length).toBeGreaterThan(3000);
    const bad = lines.filter((l) => '，。、；：？！）」』”’》〉】〕…,.;:!?)'.includes(l[0]!) || '（「『“‘《〈【〔'.includes(l[l.length - 1]!));
    expect(bad).toEqual([]);
  });
});
