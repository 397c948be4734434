/**
 * Front pages that hold (issue 12), on real outputs, in Chinese and in English: a front page whose
 * long lead continues on page 2 while the second story, the photo story and the side column are
 * filled too. Every story lies inside its own slot (its text inside the slot's rectangle, from
 * `pdftotext -bbox`), headlines whole, jump lines on both pages, every character of the lead on the
 * two pages once, the continuation not starting with a closing mark, photos undistorted and kept.
 * Then the failures a layout editor must hear about: a slot too small for its headline, a missing
 * photo (the proof shows a marked box, `check` exits 1).
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/build.ts';
import { launchBrowser, type BrowserHandle } from '../../src/browser/browser.ts';
import { CLOSING_MARKS } from '../../src/layout/jumps.ts';
import { chineseText } from '../helpers/editions.ts';
import { edition, PLAN, stories } from '../helpers/frontpage.ts';
import { inside, letterCounts, textIn, words, type Word } from '../helpers/layout.ts';
import { pdftotext, run } from '../helpers/tools.ts';

let browser: BrowserHandle;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe.each([['zh-CN'], ['en']] as const)('a front page whose lead jumps, every slot filled (%s)', (lang) => {
  let r: BuildResult;
  let pdf: string;
  let page: Word[][];
  const list = stories(lang);
  const zh = lang === 'zh-CN';
  const jumpTo = zh ? '（转第2版）' : 'Continued on page 2';
  const jumpFrom = zh ? '（接第1版）' : 'Continued from page 1';
  const squash = (s: string) => s.replace(/\s+/g, '');

  beforeAll(async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'paiban-front-out-'));
    const dir = edition(lang, list, PLAN);
    r = await build(dir, { out, browser, pdf: true });
    pdf = path.join(out, `${path.basename(dir)}.pdf`);
    page = [[], words(pdf, 1), words(pdf, 2)];
  }, 300_000);

  it('builds: nothing overset, clipped or lost, no photo cropped past its limit or distorted', () => {
    const bad = r.diagnostics.items.filter((d) => d.severity === 'error' || ['overset', 'slot-too-small', 'content-lost', 'photo-crop', 'photo-distorted'].includes(d.rule));
    expect(bad).toEqual([]);
    expect(r.pages).toBe(2);
    expect(r.diagnostics.items.find((d) => d.rule === 'jump')?.message).toMatch(/^continued from page 1 to page 2 after \d+ of \d+ characters$/);
  });

  it('places each story in its own slot, the lead in two parts, slots side by side and never overlapping', () => {
    const at = r.placed.map((p) => `${p.page}:${p.slot}:${p.file}${p.part ? `:${p.part}` : ''}`).sort();
    expect(at).toEqual(['1:lead:lead.md:first', '1:photo:photo.md', '1:second:second.md', '1:side:side.md', '2:rest:lead.md:rest']);
    const one = r.placed.filter((p) => p.page === 1);
    for (const a of one) for (const b of one) {
      if (a === b) continue;
      const apart = a.box.x + a.box.width <= b.box.x + 0.5 || b.box.x + b.box.width <= a.box.x + 0.5 || a.box.y + a.box.height <= b.box.y + 0.5 || b.box.y + b.box.height <= a.box.y + 0.5;
      expect(apart, `${a.slot} and ${b.slot}`).toBe(true);
    }
  });

  it('sets every story\'s text inside its slot\'s rectangle, its headline whole, nothing of another story in it', () => {
    for (const s of list.filter((x) => x.file !== 'lead.md')) {
      const slot = r.placed.find((p) => p.file === s.file)!;
      const shown = textIn(page[slot.page]!, slot.box);
      expect(squash(shown), s.file).toContain(squash(s.title));
      const want = letterCounts(s.body.replace(/!\[([^\]]*)\]\([^)]*\)(\{[^}]*\})?/g, '$1'));
      const have = letterCounts(shown);
      const missing = [...want].filter(([c, n]) => (have.get(c) ?? 0) < n);
      expect(missing, s.file).toEqual([]);
      // Only its headline and the byline add letters: no other story's text is in its box.
      const extra = [...have].reduce((a, [c, n]) => a + Math.max(0, n - (want.get(c) ?? 0)), 0);
      expect(extra, s.file).toBeLessThanOrEqual([...letterCounts(s.title)].reduce((a, [, n]) => a + n, 0) + 4);
    }
  });

  it('jumps: the jump lines in the lead\'s two slots, every character of the lead once across them, the rest not starting with a closing mark', () => {
    const first = r.placed.find((p) => p.file === 'lead.md' && p.part === 'first')!;
    const rest = r.placed.find((p) => p.file === 'lead.md' && p.part === 'rest')!;
    const one = squash(textIn(page[1]!, first.box));
    const two = squash(textIn(page[2]!, rest.box));
    expect(one).toContain(squash(jumpTo));
    expect(two).toContain(squash(jumpFrom));
    const lead = list[0]!;
    const printed = letterCounts(one + two);
    const want = letterCounts(lead.body);
    expect([...want].filter(([c, n]) => (printed.get(c) ?? 0) < n), 'lost').toEqual([]);
    const jumpLetters = [...letterCounts(jumpTo + jumpFrom + lead.title + lead.title + (zh ? '浙江以高质量党建统领高质量发展' : 'Traffic returns to the old crossing'))].reduce((a, [, n]) => a + n, 0);
    const extra = [...printed].reduce((a, [c, n]) => a + Math.max(0, n - (want.get(c) ?? 0)), 0);
    expect(extra, 'duplicated').toBeLessThanOrEqual(jumpLetters);
    // The rest starts right after the jump line: never with a closing or pause mark.
    const after = two.slice(two.indexOf(squash(jumpFrom)) + squash(jumpFrom).length);
    expect(CLOSING_MARKS.includes(after[0]!), after.slice(0, 10)).toBe(false);
    // The first part reaches the foot of its slot (a jump cuts at the slot's depth).
    const low = Math.max(...page[1]!.filter((w) => inside(w, first.box)).map((w) => w.y1));
    expect(first.box.y + first.box.height - low).toBeLessThan(16);
  });
});

describe('a slot that cannot hold its headline, and a missing photo', () => {
  const long = { file: 'second.md', title: '以政治建设为统领抓班子强队伍促担当'.repeat(4), body: chineseText(300).join('\n\n') };

  it('fails the build with slot-too-small naming page, slot and the headline; the command line exits 1 and writes nothing', async () => {
    const dir = edition('zh-CN', [{ file: 'lead.md', title: '头条', body: chineseText(600).join('\n\n') }, long], `  - layout: front
    depths: { lead: 50 }
    articles:
      - { file: lead.md, slot: lead }
      - { file: second.md, slot: second }
`);
    const r = await build(dir, { out: mkdtempSync(path.join(os.tmpdir(), 'paiban-front-out-')), browser, pdf: true });
    expect(r.ok).toBe(false);
    expect(r.outputs).toEqual([]);
    const e = r.diagnostics.errors.find((d) => d.rule === 'slot-too-small')!;
    expect(e.file).toBe('second.md');
    expect(e.message).toMatch(/^page 1, slot "second" \(\d+ × \d+ mm\): the headline(, [a-z ()]+)* do(es)? not fit the slot; give the slot more rows \(depths: \{ second: N \}/);
    const cli = run('node', ['bin/paiban', 'build', dir, '--out', mkdtempSync(path.join(os.tmpdir(), 'paiban-front-cli-'))]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/second\.md error slot-too-small: page 1, slot "second"/);
  });

  it('a missing photo: the proof shows a marked box naming the file, check exits 1 and names a file of a close name', async () => {
    const dir = edition('zh-CN', [{ file: 'lead.md', title: '头条', body: `![图为茶园。](images/landscpe.png){.wide}\n\n${chineseText(900).join('\n\n')}` }], `  - layout: front
    articles:
      - { file: lead.md, slot: lead, fit: auto }
`);
    const out = mkdtempSync(path.join(os.tmpdir(), 'paiban-front-out-'));
    const r = await build(dir, { out, browser, pdf: true });
    const missing = r.diagnostics.items.find((d) => d.rule === 'missing-image')!;
    expect(missing).toMatchObject({ file: 'lead.md', line: 5, severity: 'warning' });
    expect(missing.message).toContain('did you mean "images/landscape.png"?');
    expect(r.ready).toBe(false);
    expect(pdftotext(path.join(out, 'front-zh.pdf')).replace(/\s+/g, ' ')).toContain('FPO · missing images/landscpe.png');
    const check = run('node', ['bin/paiban', 'check', dir]);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/front-zh\/lead\.md:5 warning missing-image: image "images\/landscpe\.png" is missing/);
    expect(check.stdout).toMatch(/is not ready to print: .*1 missing-image/);
    const strict = run('node', ['bin/paiban', 'build', dir, '--strict', '--out', mkdtempSync(path.join(os.tmpdir(), 'paiban-front-cli-'))]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/lead\.md:5 error missing-image/);
  });
});
