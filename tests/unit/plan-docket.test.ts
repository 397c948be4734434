/**
 * The docket and the page budget in edition.yaml: validated with the line of the mistake, loaded
 * (every docket file read, only the placed ones built), checked against the template; and a plan
 * written back as an ordinary pages: list that keeps the editor's comments and builds as written.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EditionSchema } from '../../src/config/schema.ts';
import { loadTemplate } from '../../src/compose/template.ts';
import { checkPlan } from '../../src/compose/plan.ts';
import { errorsOf } from './helpers.ts';
import { loadEdition } from '../../src/load/edition.ts';
import { parseYaml } from '../../src/load/yaml.ts';
import { withPages } from '../../src/plan/auto.ts';
import { docketStories, leadStory, planPages } from '../../src/plan/docket.ts';
import { rects, toPagePlans } from '../../src/plan/emit.ts';
import { Planner } from '../../src/plan/search.ts';
import { planReport } from '../../src/plan/report.ts';
import { writePlan } from '../../src/plan/write.ts';
import { renderArticles } from '../../src/markdown/render.ts';
import { Diagnostics } from '../../src/diagnostics.ts';
import { checkRects } from '../../src/compose/grid.ts';
import { writeEdition } from '../helpers/editions.ts';
import { mixedDocket, planInput } from '../helpers/docket.ts';

const head = `title: 测试版
publication: 测试日报
date: 2022-06-15
language: zh-CN
`;
const story = (n: number) => ({ file: `s${n}.md`, title: `新闻${n}`, paragraphs: ['这是一则新闻的正文。'.repeat(10)] });
const stories = [1, 2, 3, 4].map(story);

describe('pages: auto in edition.yaml', () => {
  it('takes a docket and a page budget, and becomes an empty page list to fill', () => {
    const c = EditionSchema.parse({ title: 't', publication: 'p', date: '2022-06-15', language: 'zh-CN', pages: 'auto', plan: { pages: 4 }, articles: [{ file: 'a.md', priority: 1 }] });
    expect(c.auto).toBe(true);
    expect(c.pages).toEqual([]);
    expect(c.articles![0]).toEqual({ file: 'a.md', priority: 1, jump: true });
    expect(c.plan).toEqual({ pages: 4, jumps: true });
  });

  it('refuses a missing budget, a missing docket and a priority out of range, at their lines', async () => {
    const noBudget = writeEdition('auto', `${head}pages: auto\narticles:\n  - { file: s1.md, priority: 1 }\n`, stories);
    const e1 = await errorsOf(loadEdition(noBudget));
    expect(e1[0]!.message).toBe('pages: auto needs a page budget');
    expect(e1[0]!.hint).toMatch(/add plan: \{ pages: N \}/);
    expect(e1[0]!.where?.line).toBe(5);
    expect(e1).toHaveLength(1);
    const typo = writeEdition('auto', `${head}pages: automatic\nplan: { pages: 2 }\narticles:\n  - { file: s1.md, priority: 1 }\n`, stories);
    expect((await errorsOf(loadEdition(typo))).map((e) => `${e.where?.line} ${e.message}`)).toEqual(['5 pages: is a list of pages (- layout: front …), or auto to plan them from the docket under articles:']);
    const bad = writeEdition('auto', `${head}pages: auto\nplan: { pages: 2 }\narticles:\n  - { file: s1.md, priority: 1 }\n  - { file: s2.md, priority: 7 }\n`, stories);
    const e2 = await errorsOf(loadEdition(bad));
    expect(e2[0]!.message).toMatch(/articles\.1\.priority: priorities run from 1 \(most important\) to 5/);
    expect(e2[0]!.where?.line).toBe(9);
    // The docket's fields are described with the planner, not with the article fields.
    expect(e2[0]!.hint).toBe('fix edition.yaml (the docket and plan: fields: docs/planning.md)');
    const zero = writeEdition('auto', `${head}pages: auto\nplan: { pages: 0 }\narticles:\n  - { file: s1.md, priority: 0 }\n`, stories);
    expect((await errorsOf(loadEdition(zero))).map((e) => `${e.where?.line} ${e.hint}`)).toEqual([
      '6 fix edition.yaml (the docket and plan: fields: docs/planning.md)',
      '8 fix edition.yaml (the docket and plan: fields: docs/planning.md)',
    ]);
    const lang = writeEdition('auto', `${head.replace('zh-CN', '42')}pages: auto\nplan: { pages: 1 }\narticles:\n  - { file: s1.md, priority: 1 }\n`, stories);
    expect((await errorsOf(loadEdition(lang)))[0]!.hint).toMatch(/docs\/writing\.md/);
    // A priority of the wrong type is said so, not taken for a missing or misspelt field.
    const word = writeEdition('auto', `${head}pages: auto\nplan: { pages: 2 }\narticles:\n  - { file: s1.md, priority: high }\n`, stories);
    const e3 = await errorsOf(loadEdition(word));
    expect(e3.map((e) => `${e.where?.line} ${e.message}`)).toEqual(['8 articles.0.priority: a priority from 1 (most important) to 5']);
    const none = writeEdition('auto', `${head}pages: auto\nplan: { pages: 2 }\narticles:\n`, stories);
    expect((await errorsOf(loadEdition(none))).map((e) => `${e.where?.line} ${e.message}`)).toEqual(['7 articles: is empty: list the stories under it, one a line (- { file: a.md, priority: 1 })']);
    const one = writeEdition('auto', `${head}pages: auto\nplan: { pages: 2 }\narticles: s1.md\n`, stories);
    expect((await errorsOf(loadEdition(one))).map((e) => e.message)).toEqual(['articles: is a list of stories, one a line (- { file: a.md, priority: 1 })']);
    const empty = writeEdition('auto', `${head}pages: auto\nplan: { pages: 2 }\n`, stories);
    expect((await errorsOf(loadEdition(empty)))[0]!.message).toMatch(/needs the docket/);
  });

  it('names a docket file that is missing or listed twice', async () => {
    const dir = writeEdition('auto', `${head}pages: auto\nplan: { pages: 2 }\narticles:\n  - { file: s1.md, priority: 1 }\n  - { file: nope.md, priority: 2 }\n  - { file: s1.md, priority: 3 }\n`, stories);
    const errs = await errorsOf(loadEdition(dir));
    expect(errs.map((e) => `${e.where?.line} ${e.message}`)).toEqual(['9 article file "nope.md" does not exist', '10 article "s1.md" is on the docket twice']);
    const typo = writeEdition('auto', `${head}pages: auto\nplan: { pages: 2 }\narticles:\n  - { file: s1.md, priority: 1 }\n  - { file: s2.mdd, priority: 2 }\n`, stories);
    const [e] = await errorsOf(loadEdition(typo));
    expect(`${e!.where?.line} ${e!.message}`).toBe('9 article file "s2.mdd" does not exist: did you mean "s2.md"?');
    expect(e!.hint).toBe('change it to s2.md, or create s2.mdd');
  });

  it('checks pins against the budget and the plan written before', async () => {
    const dir = writeEdition('auto', `${head}pages: auto\nplan: { pages: 2 }\narticles:\n  - { file: s1.md, priority: 1, page: 3 }\n  - { file: s2.md, priority: 2, page: 2, slot: b }\n  - { file: s3.md, priority: 2, slot: lead }\n`, stories);
    const edition = await loadEdition(dir);
    const template = await loadTemplate('newspaper', edition.dir);
    const setup = planPages(edition, template);
    const articles = await renderArticles(edition.docket, { editionDir: edition.dir, config: edition.config, diagnostics: new Diagnostics() });
    const errs = await errorsOf(Promise.resolve().then(() => docketStories(edition, articles, setup)));
    expect(errs.map((e) => `${e.where?.line} ${e.message}`)).toEqual([
      '8 articles: s1.md is pinned to page 3, but plan: has 2 pages',
      '9 articles: s2.md is pinned to slot "b" of page 2, which has no planned slots yet',
      '10 articles: s3.md pins a slot but not a page',
    ]);
  });

  it('plans page 1 on front (the masthead) and the others on feature, each with its section', async () => {
    const dir = writeEdition('auto', `${head}pages: auto\nplan:\n  pages:\n    - { section: 要闻, banner: 特别报道 }\n    - { section: 文化 }\narticles:\n  - { file: s1.md, priority: 1 }\n`, stories);
    const edition = await loadEdition(dir);
    const setup = planPages(edition, await loadTemplate('newspaper', edition.dir));
    expect(setup.pages.map((p) => [p.layout, p.section])).toEqual([['front', '要闻'], ['feature', '文化']]);
    expect(setup.frames).toEqual([{ layout: 'front', banner: '特别报道' }, { layout: 'feature' }]);
    const flow = writeEdition('auto', `${head}pages: auto\nplan: { pages: 2, layouts: [front, flow] }\narticles:\n  - { file: s1.md, priority: 1 }\n`, stories);
    const e = await errorsOf(loadEdition(flow).then(async (ed) => planPages(ed, await loadTemplate('newspaper', ed.dir))));
    expect(e[0]!.message).toMatch(/layout "flow" flows its articles/);
    expect(e[0]!.where?.line).toBe(6);
  });

  it('leads page 1 with the most important story, the first listed of a tie, or the one pinned there', () => {
    const st = (priority: number, i: number, pin?: { page: number; slot?: string }) => ({ index: i, id: `s${i}`, file: `s${i}.md`, title: '', priority, jump: true, photos: 0, chars: 1, ...(pin ? { pin } : {}) });
    expect(leadStory([st(2, 0), st(1, 1), st(1, 2)])).toBe(1);
    expect(leadStory([st(2, 0), st(1, 1), st(3, 2, { page: 1, slot: 'lead' })])).toBe(2);
  });
});

describe('paiban plan', () => {
  it('says what to add when the edition has no docket, exit 1, nothing written', async () => {
    const dir = writeEdition('nodocket', `${head}pages:\n  - layout: front\n    articles:\n      - { file: s1.md, slot: lead }\n`, stories);
    const before = readFileSync(path.join(dir, 'edition.yaml'), 'utf8');
    let err = '';
    const io = { stdout: { write: () => true }, stderr: { write: (s: string) => ((err += s), true) } };
    const { runPlan } = await import('../../src/plan/command.ts');
    expect(await runPlan(dir, {}, io as never)).toBe(1);
    expect(err).toMatch(/nodocket\/edition\.yaml:6:3: error EditionInvalid: nothing to plan: edition\.yaml has no docket\n {2}→ list the stories under articles:/);
    expect(readFileSync(path.join(dir, 'edition.yaml'), 'utf8')).toBe(before);
  });
});

describe('the plan written into edition.yaml', () => {
  const input = planInput(mixedDocket(12), 2);
  const planner = new Planner(input);
  const plan = planner.plan();
  const report = planReport({ plan, stories: input.stories, checks: [], violations: [], timings: {}, measured: { probed: 0, layouts: 0 }, evaluations: 0, rounds: 1, repaired: [], pages: [] });
  const pages = toPagePlans(plan, input.stories, [{ section: '要闻' }, {}]);

  it('gives every page its own slots, rectangles of the grid that do not overlap, and its stories by slot', () => {
    for (const [i, p] of pages.entries()) {
      const slots = Object.entries(p.slots!).map(([name, r]) => ({ name, column: r.column, columns: r.columns, row: r.row, rows: r.rows, lead: !!r.lead }));
      expect(checkRects(slots, { columns: 8, rows: 60 }, 'slots')).toEqual([]);
      expect(slots.reduce((a, s) => a + s.columns * s.rows, 0), `page ${i + 1} covers the grid`).toBe(480);
      for (const a of p.articles) expect(p.slots![a.slot!]).toBeDefined();
    }
    expect(pages[0]!.slots!.lead).toMatchObject({ column: 1, row: 1, lead: true });
    expect(pages[0]!.articles[0]!.file).toBe(input.stories[input.lead]!.file);
    expect(pages[0]!.section).toBe('要闻');
    for (const r of rects(plan).filter((x) => x.part === 'first')) {
      const rest = rects(plan).find((x) => x.story === r.story && x.part === 'rest')!;
      expect(pages[r.page - 1]!.articles.find((a) => a.slot === r.slot)!.continue).toEqual({ page: rest.page, slot: rest.slot });
    }
  });

  it('replaces pages: and keeps every other line, the comments included, and reads back valid', () => {
    const source = `# My edition\n${head}# the budget\nplan: { pages: 2 } # two pages tonight\npages: auto\n# the docket\narticles:\n${input.stories.map((s) => `  - { file: ${s.file}, priority: ${s.priority} }`).join('\n')}\n`;
    const out = writePlan(source, pages, report);
    expect(out).toContain('# My edition\n');
    expect(out).toContain('plan: { pages: 2 } # two pages tonight\n');
    expect(out).toContain('# the docket\narticles:\n');
    expect(out).toMatch(/# Planned by paiban plan from the docket/);
    for (const h of report.held) expect(out).toContain(`# held over: ${h.file} (priority ${h.priority}): `);
    expect(out).toMatch(/ {6}lead: \{ column: 1, columns: \d, row: 1, rows: \d+, lead: true \}\n/);
    expect(out).toMatch(/ {6}- \{ file: s\d+\.md, slot: lead, fit: auto \}\n/);
    const { value } = parseYaml(out, EditionSchema, 'edition.yaml', 'EditionInvalid');
    expect(value.auto).toBe(false);
    expect(value.pages).toEqual(pages);
    // Planned again: one mark, the editor's own comment kept.
    const again = writePlan(out.replace('# Planned by', '# keep this\n# Planned by'), pages, report);
    expect(again.match(/Planned by paiban plan/g)).toHaveLength(1);
    expect(again).toContain('# keep this\n');
  });

  it('builds as written: the edition takes the placed stories, the held ones stay on the docket', async () => {
    const dir = writeEdition('written', `${head}pages: auto\nplan: { pages: 1 }\narticles:\n  - { file: s1.md, priority: 1 }\n  - { file: s2.md, priority: 2 }\n  - { file: s3.md, priority: 3 }\n`, stories);
    const file = path.join(dir, 'edition.yaml');
    const one = [{ layout: 'front', slots: { lead: { column: 1, columns: 8, row: 1, rows: 30, lead: true }, a: { column: 1, columns: 8, row: 31, rows: 30 } }, articles: [{ file: 's2.md', slot: 'lead', fit: 'auto' as const }, { file: 's1.md', slot: 'a', fit: 'auto' as const }] }];
    const r = { ...report, held: [{ file: 's3.md', title: '', priority: 3, reason: 'no room' }] };
    writeFileSync(file, writePlan(readFileSync(file, 'utf8'), one, r));
    const edition = await loadEdition(dir);
    expect(edition.config.auto).toBe(false);
    expect(edition.articles.map((a) => a.file)).toEqual(['s2.md', 's1.md']);
    expect(edition.docket.map((a) => a.file)).toEqual(['s1.md', 's2.md', 's3.md']);
    checkPlan(edition, await loadTemplate('newspaper', edition.dir));
    // A pages: auto edition given the same pages builds the same stories in the same order.
    const auto = await loadEdition(writeEdition('auto', `${head}pages: auto\nplan: { pages: 1 }\narticles:\n  - { file: s1.md, priority: 1 }\n  - { file: s2.md, priority: 2 }\n  - { file: s3.md, priority: 3 }\n`, stories));
    expect(withPages(auto, one).articles.map((a) => a.file)).toEqual(['s2.md', 's1.md']);
  });
});
