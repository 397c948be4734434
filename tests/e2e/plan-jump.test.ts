/**
 * A docket with a story longer than a page: the planner continues it on the next page, and the
 * plan as checked in Chromium prints it whole across the two pages: the part before the jump line
 * and the continuation after the other jump line are its body exactly (helpers/verify.ts), every
 * page full, nothing overset.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build.ts';
import { launchBrowser, type BrowserHandle } from '../../src/browser/browser.ts';
import { runPlan } from '../../src/plan/command.ts';
import { chineseText, writeEdition, type ArticleSpec } from '../helpers/editions.ts';
import { columnFeet, words } from '../helpers/layout.ts';
import { factsOf, verifyBuild } from '../helpers/verify.ts';

const priorities = [1, 2, 3, 2, 3, 4, 3, 5];
const lengths = [5200, 900, 800, 1000, 700, 600, 750, 500];
const docket: ArticleSpec[] = priorities.map((_, i) => ({ file: `j${i + 1}.md`, title: `第${i + 1}条长短新闻`, paragraphs: chineseText(lengths[i]!) }));
const yaml = `title: 转版测试
publication: 测试日报
date: 2022-06-15
language: zh-CN
paper: tabloid
pages: auto
plan: { pages: 2 }
articles:
${docket.map((a, i) => `  - { file: ${a.file}, priority: ${priorities[i]} }`).join('\n')}
`;

let browser: BrowserHandle;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('a story longer than a page', () => {
  it('continues on the next page, printed whole across both, every page full and nothing overset', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'paiban-plan-jump-')), 'jump');
    cpSync(writeEdition('jump', yaml, docket), dir, { recursive: true });
    const io = { stdout: { write: () => true }, stderr: { write: (s: string) => ((errors += s), true) } };
    let errors = '';
    expect(await runPlan(dir, {}, io as never)).toBe(0);
    expect(errors).toBe('');
    const out = path.join(dir, '..', 'out');
    const r = await build(dir, { out, browser, pdf: true });
    expect(r.ok, r.diagnostics.errors.map((d) => d.message).join('\n')).toBe(true);
    const parts = r.placed.filter((s) => s.file === 'j1.md');
    expect(parts.map((s) => `${s.page}:${s.part}`)).toEqual(['1:first', '2:rest']);
    expect(r.diagnostics.items.filter((d) => ['overset', 'underset', 'slot-too-small', 'page-hole'].includes(d.rule)).map((d) => `${d.file}: ${d.message}`)).toEqual([]);
    const pdf = path.join(out, 'jump.pdf');
    expect(verifyBuild(pdf, dir, factsOf(r))).toEqual([]);
    for (const page of [1, 2]) {
      const ws = words(pdf, page);
      for (const s of r.placed.filter((x) => x.page === page)) {
        const feet = columnFeet(ws, { ...s.box, columns: s.columns });
        feet.forEach((f, i) => expect(s.box.y + s.box.height - f, `${s.file} on page ${page}, column ${i + 1}`).toBeLessThan(2.5 * 9 * 1.62 + 2));
      }
    }
  });
});
