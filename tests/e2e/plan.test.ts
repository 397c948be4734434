/**
 * Automatic planning on real outputs: a `pages: auto` edition (a docket of real Chinese stories,
 * some with photos, more than two tabloid pages hold) planned and built in Chromium. Every page full
 * to its foot on the PDF, nothing overset, the most important story leading page 1, what did not fit
 * held over and named, the same bytes twice; `paiban plan` writes the plan as pages:, which builds
 * to the same bytes, and whose PDF passes the suite's verification (helpers/verify.ts: fonts, every
 * character of every placed story in order inside its slot, jumps, kinsoku).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/build.ts';
import { launchBrowser, type BrowserHandle } from '../../src/browser/browser.ts';
import { runPlan } from '../../src/plan/command.ts';
import { formatPlan } from '../../src/plan/report.ts';
import { loadEdition } from '../../src/load/edition.ts';
import { loadTemplate } from '../../src/compose/template.ts';
import { loadHyphenators } from '../../src/compose/hyphenate.ts';
import { renderArticles } from '../../src/markdown/render.ts';
import { Diagnostics } from '../../src/diagnostics.ts';
import { composeProbe, Measurer } from '../../src/plan/measure.ts';
import { LayoutSession } from '../../src/plan/session.ts';
import { chineseText, writeEdition, type ArticleSpec } from '../helpers/editions.ts';
import { columnFeet, words } from '../helpers/layout.ts';
import { encodePng } from '../helpers/png.ts';
import { factsOf, verifyBuild } from '../helpers/verify.ts';

const PAGES = 2;
const priorities = [1, 3, 2, 4, 5, 3, 2, 4, 3, 5];
const lengths = [1500, 800, 1200, 700, 600, 900, 1300, 700, 850, 500];
const docket: ArticleSpec[] = priorities.map((_, i) => ({
  file: `s${i + 1}.md`,
  title: `第${i + 1}条新闻的标题`,
  paragraphs: [...(i % 3 === 0 ? [`![图为第${i + 1}条新闻的现场。](images/p${i + 1}.png "本报记者 摄"){.wide}`] : []), ...chineseText(lengths[i]!)],
}));
const yaml = `title: 规划测试
publication: 测试日报
date: 2022-06-15
language: zh-CN
paper: tabloid
pages: auto
plan: { pages: ${PAGES} }
articles:
${docket.map((a, i) => `  - { file: ${a.file}, priority: ${priorities[i]} }`).join('\n')}
`;

function edition(): string {
  const dir = writeEdition('nightly', yaml, docket);
  mkdirSync(path.join(dir, 'images'));
  for (let i = 0; i < docket.length; i += 3) {
    const width = 2400;
    const pixels = Buffer.alloc(width * 3, 0);
    for (let x = 0; x < width; x++) pixels.set([60 + (x % 160), 90, 140 + ((x * 7) % 100)], x * 3);
    writeFileSync(path.join(dir, 'images', `p${i + 1}.png`), encodePng({ width, height: 1600, colour: 'rgb', pixels, rows: 1600 }));
  }
  return dir;
}

let browser: BrowserHandle;
let dir: string;
let first: BuildResult;
const out = mkdtempSync(path.join(os.tmpdir(), 'paiban-plan-out-'));
const pdf = () => path.join(out, 'a', 'nightly.pdf');

beforeAll(async () => {
  browser = await launchBrowser();
  dir = edition();
  first = await build(dir, { out: path.join(out, 'a'), browser });
});
afterAll(async () => {
  await browser?.close();
});

describe('pages: auto, planned and built', () => {
  it('builds the pages it was given, with nothing overset, clipped, underset or left as a hole', () => {
    expect(first.ok, first.diagnostics.errors.map((d) => d.message).join('\n')).toBe(true);
    expect(first.pages).toBe(PAGES);
    const bad = first.diagnostics.items.filter((d) => ['overset', 'underset', 'slot-too-small', 'page-hole', 'plan-rule'].includes(d.rule));
    expect(bad.map((d) => `${d.file}: ${d.message}`)).toEqual([]);
    for (const s of first.placed) expect(s.hiddenChars, `${s.file} on page ${s.page}`).toBe(0);
  });

  it('fills every page: each slot\'s columns reach its foot on the PDF, and the slots reach the foot of the grid', () => {
    for (let page = 1; page <= PAGES; page++) {
      const ws = words(pdf(), page);
      const slots = first.placed.filter((s) => s.page === page);
      expect(slots.length).toBeGreaterThan(1);
      const foot = Math.max(...slots.map((s) => s.box.y + s.box.height));
      const width = slots.filter((s) => Math.abs(s.box.y + s.box.height - foot) < 1).reduce((a, s) => a + s.box.width, 0);
      // The slots at the foot span the type area (8 columns and their gutters).
      expect(width).toBeGreaterThan(Math.max(...slots.map((s) => s.box.x + s.box.width)) - Math.min(...slots.map((s) => s.box.x)) - 8 * 14);
      for (const s of slots) {
        const feet = columnFeet(ws, { ...s.box, columns: s.columns });
        const line = 9 * 1.62;
        feet.forEach((f, i) => expect(s.box.y + s.box.height - f, `${s.file} on page ${page}, column ${i + 1}`).toBeLessThan(2.5 * line + 2));
      }
    }
  });

  it('keeps each photo with its story: the photo\'s caption inside the story\'s slot', () => {
    for (const s of first.placed.filter((x) => /s(1|4|7|10)\.md/.test(x.file))) {
      const n = /s(\d+)\.md/.exec(s.file)![1];
      const ws = words(pdf(), s.page).filter((w) => w.x0 >= s.box.x - 1 && w.x1 <= s.box.x + s.box.width + 1 && w.y0 >= s.box.y - 1 && w.y1 <= s.box.y + s.box.height + 1);
      if (s.part === 'rest') continue;
      expect(ws.map((w) => w.text).join(''), `${s.file} on page ${s.page}`).toContain(`图为第${n}条新闻的现场`);
    }
  });

  it('leads page 1 with the most important story under the largest headline', () => {
    const lead = first.placed.find((s) => s.page === 1 && s.slot === 'lead');
    expect(lead?.file).toBe('s1.md');
    expect(first.plan!.pages[0]!.stories[0]).toMatchObject({ file: 's1.md', slot: 'lead', priority: 1 });
  });

  it('holds over what does not fit, each story named with why, never two steps more important than one placed', () => {
    const plan = first.plan!;
    expect(plan.held.length).toBeGreaterThan(0);
    expect(plan.placed + plan.held.length).toBe(docket.length);
    const worst = Math.max(...plan.pages.flatMap((p) => p.stories.map((s) => s.priority)));
    for (const h of plan.held) {
      expect(h.title).toMatch(/^第\d+条新闻的标题$/);
      expect(h.reason.length).toBeGreaterThan(10);
      expect(worst).toBeLessThan(h.priority + 2);
    }
    for (const p of [1, 2]) expect(plan.pages.flatMap((x) => x.stories).some((s) => s.priority === p)).toBe(true);
    const text = formatPlan(plan);
    for (const h of plan.held) expect(text).toContain(`held over: ${h.file} (priority ${h.priority})`);
    for (const d of first.diagnostics.items.filter((x) => x.rule === 'held-over')) expect(d.severity).toBe('info');
    expect(first.diagnostics.items.filter((x) => x.rule === 'held-over')).toHaveLength(plan.held.length);
  });

  it('gives the same bytes when built again', async () => {
    const again = await build(dir, { out: path.join(out, 'b'), browser });
    expect(again.ok).toBe(true);
    for (const ext of ['pdf', 'epub']) {
      expect(readFileSync(path.join(out, 'b', `nightly.${ext}`)).equals(readFileSync(path.join(out, 'a', `nightly.${ext}`))), ext).toBe(true);
    }
  });
});

describe('paiban plan', () => {
  it('writes the plan into edition.yaml as pages:, which builds to the same bytes', async () => {
    const copy = path.join(mkdtempSync(path.join(os.tmpdir(), 'paiban-plan-ed-')), 'nightly');
    cpSync(dir, copy, { recursive: true });
    const io = { stdout: { write: (s: string) => ((printed += s), true) }, stderr: { write: (s: string) => ((errors += s), true) } };
    let printed = '';
    let errors = '';
    expect(await runPlan(copy, {}, io as never)).toBe(0);
    expect(errors).toBe('');
    expect(printed).toMatch(/^plan: 2 pages, \d+ of 10 stories placed/);
    expect(printed).toContain(`wrote the plan into ${path.join(copy, 'edition.yaml')}`);
    const written = readFileSync(path.join(copy, 'edition.yaml'), 'utf8');
    expect(written).toMatch(/^pages:\n {2}- layout: front\n/m);
    expect(written).toContain('plan: { pages: 2 }');
    expect(written).toMatch(/^articles:\n {2}- \{ file: s1\.md, priority: 1 \}/m);
    const r = await build(copy, { out: path.join(out, 'c'), browser, pdf: true });
    expect(r.ok).toBe(true);
    expect(r.plan).toBeUndefined();
    expect(readFileSync(path.join(out, 'c', 'nightly.pdf')).equals(readFileSync(pdf()))).toBe(true);
    // The plan as written names where every placed story goes (jumps as continue:): each is printed
    // whole, in order, inside its slot; the held-over stories are not on the pages.
    expect(verifyBuild(pdf(), copy, factsOf(r))).toEqual([]);
    const onPages = words(pdf(), 1).concat(words(pdf(), 2)).map((w) => w.text).join('');
    for (const h of first.plan!.held) expect(onPages, h.file).not.toContain(h.title);
  });
});

describe('measuring stories', () => {
  it('estimates each range from the tightest and loosest settings inside the exact range (bisection with the real fit)', async () => {
    const edition = await loadEdition(dir);
    const template = await loadTemplate(edition.config.template, edition.dir, edition.config.type);
    const diagnostics = new Diagnostics();
    const articles = await renderArticles(edition.docket, { editionDir: edition.dir, config: edition.config, diagnostics });
    const hyphenators = await loadHyphenators(articles.map((a) => a.language));
    const req = { edition, template, articles, hyphenators, probeLayout: 'feature' };
    let session: Promise<LayoutSession> | undefined;
    const measurer = new Measurer({
      ...req,
      minRows: () => 6,
      browserVersion: browser.version,
      cacheDir: mkdtempSync(path.join(os.tmpdir(), 'paiban-plan-cache-')),
      session: () => (session ??= LayoutSession.open({ browser, template, config: edition.config, editionDir: edition.dir, text: composeProbe(req, articles.map((a) => ({ file: a.file, columns: 8, lead: false })), []).text, diagnostics, trace: () => ({ file: 'edition.yaml' }) })),
    });
    try {
      const wants = ['s2.md', 's3.md'].flatMap((file) => [3, 5].map((columns) => ({ file, columns, lead: false })));
      const estimated = await measurer.measure(wants.map((w) => ({ ...w, exact: false })));
      const exact = await measurer.measure(wants.map((w) => ({ ...w, exact: true })));
      expect(measurer.probed).toBe(8);
      let compared = 0;
      for (const w of wants) {
        const e = estimated.get(w.file)!.find((m) => m.columns === w.columns)!;
        const x = exact.get(w.file)!.find((m) => m.columns === w.columns)!;
        expect(x.exact && !e.exact).toBe(true);
        // Both agree whether the story can be set whole at this width at all.
        expect(e.min === undefined, `${w.file} at ${w.columns}`).toBe(x.min === undefined);
        if (e.min === undefined) continue;
        compared++;
        expect(e.min < e.max! && x.min! < x.max!, `${w.file} at ${w.columns}`).toBe(true);
        // The estimate lies inside the exact range (3 px of bisection precision).
        expect(e.min!, `${w.file} at ${w.columns}: least depth`).toBeGreaterThanOrEqual(x.min! - 3);
        expect(e.max!, `${w.file} at ${w.columns}: greatest depth`).toBeLessThanOrEqual(x.max! + 3);
      }
      expect(compared).toBeGreaterThanOrEqual(3);
      // Measured once: the cache answers the same questions without Chromium.
      await measurer.measure(wants.map((w) => ({ ...w, exact: true })));
      expect(measurer.probed).toBe(8);
    } finally {
      await (await session)?.close();
    }
  });
});
