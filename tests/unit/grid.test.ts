/**
 * Slots with definite depths (src/compose/grid.ts, plan.ts): rectangles on the template's grid, a
 * page's own slots and depths, empty slots given to a neighbour, holes, and every mistake reported at
 * its line in edition.yaml (or template.yaml) with what to do.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.ts';
import { absorbEmpty, applyDepths, checkRects, depthRows, neighbours, type GridSlot } from '../../src/compose/grid.ts';
import { checkPlan } from '../../src/compose/plan.ts';
import { loadTemplate } from '../../src/compose/template.ts';
import { Diagnostics } from '../../src/diagnostics.ts';
import { loadEdition } from '../../src/load/edition.ts';
import { renderArticles } from '../../src/markdown/render.ts';
import { REPO, article, errorsOf, errorsOfSync, lines, tempEdition, theError } from './helpers.ts';

const GRID = { columns: 8, rows: 20 };
/** newspaper's grid has 60 rows: the edition tests below count with it. */
const slot = (name: string, column: number, columns: number, row: number, rows: number): GridSlot => ({ name, column, columns, row, rows, lead: false });
/** newspaper's front layout, as template.yaml draws it. */
const FRONT = [slot('lead', 1, 5, 1, 11), slot('second', 1, 5, 12, 9), slot('photo', 6, 3, 1, 8), slot('side', 6, 3, 9, 12)];
const box = (s: GridSlot | undefined) => s && [s.column, s.columns, s.row, s.rows];

describe('grid geometry', () => {
  it('accepts the front layout and finds slots outside the grid or overlapping', () => {
    expect(checkRects(FRONT, GRID, 'layout')).toEqual([]);
    const bad = checkRects([slot('a', 1, 5, 1, 12), slot('b', 1, 5, 12, 9), slot('c', 7, 3, 1, 4)], GRID, 'slots');
    expect(bad.map((p) => p.slot)).toEqual(['c', 'b']);
    expect(bad[0]!.message).toBe('slot "c" (columns 7-9, rows 1-4) runs outside the grid of 8 columns and 20 rows');
    expect(bad[1]!.message).toBe('slots "a" (columns 1-5, rows 1-12) and "b" (columns 1-5, rows 12-20) overlap');
  });

  it('a depth moves the slot\'s bottom edge and the top edge of the slots right under it', () => {
    const { slots, problems } = applyDepths(FRONT, { lead: 14 }, GRID);
    expect(problems).toEqual([]);
    expect(box(slots.find((s) => s.name === 'lead'))).toEqual([1, 5, 1, 14]);
    expect(box(slots.find((s) => s.name === 'second'))).toEqual([1, 5, 15, 6]);
    // The other column is not moved.
    expect(box(slots.find((s) => s.name === 'side'))).toEqual([6, 3, 9, 12]);
    expect(depthRows('60%', GRID)).toBe(12);
    expect(box(applyDepths(FRONT, { photo: '25%' }, GRID).slots.find((s) => s.name === 'side'))).toEqual([6, 3, 6, 15]);
  });

  it('a depth that leaves no room, has nothing under it, or names no slot is a problem with the fix', () => {
    expect(applyDepths(FRONT, { lead: 20 }, GRID).problems[0]).toMatchObject({ slot: 'lead', message: 'depths: "lead" at 20 rows leaves no room for "second" (columns 1-5, rows 12-20)', hint: 'give "lead" at most 19 rows' });
    expect(applyDepths(FRONT, { second: 5 }, GRID).problems[0]!.message).toBe('depths: nothing sits under "second" (columns 1-5, rows 12-20) to give or take its rows');
    expect(applyDepths(FRONT, { lead: 25 }, GRID).problems[0]!.hint).toBe('give at most 20 rows');
    expect(applyDepths(FRONT, { main: 5 }, GRID).problems[0]).toMatchObject({ message: 'depths: this page has no slot "main"', hint: 'use one of: lead, second, photo, side' });
  });

  it('an empty slot gives its box to the filled slot with its columns below it, else above it; the rest are holes', () => {
    const side = absorbEmpty(FRONT, new Set(['lead', 'second', 'side']));
    expect(box(side.slots.find((s) => s.name === 'side'))).toEqual([6, 3, 1, 20]);
    expect(side.holes).toEqual([]);
    const photo = absorbEmpty(FRONT, new Set(['lead', 'second', 'photo']));
    expect(box(photo.slots.find((s) => s.name === 'photo'))).toEqual([6, 3, 1, 20]);
    // Two empty slots stacked over a filled one: both go to it.
    const stack = absorbEmpty([slot('a', 1, 2, 1, 4), slot('b', 1, 2, 5, 4), slot('c', 1, 2, 9, 12)], new Set(['c']));
    expect(box(stack.slots[0])).toEqual([1, 2, 1, 20]);
    // feature: three slots side by side under the top story; an empty one has no neighbour of its columns.
    const feature = [slot('top', 1, 8, 1, 9), slot('left', 1, 3, 10, 11), slot('middle', 4, 3, 10, 11), slot('right', 7, 2, 10, 11)];
    const holes = absorbEmpty(feature, new Set(['top', 'left']));
    expect(holes.holes.map((h) => h.name)).toEqual(['middle', 'right']);
    expect(holes.slots.map((s) => s.name)).toEqual(['top', 'left']);
  });

  it('rules go between neighbours: above a slot under another, left of a slot beside another', () => {
    expect(neighbours(FRONT[1]!, FRONT)).toEqual({ above: true, left: false });
    expect(neighbours(FRONT[3]!, FRONT)).toEqual({ above: true, left: true });
    expect(neighbours(FRONT[0]!, FRONT)).toEqual({ above: false, left: false });
  });
});

describe('page slots and depths in edition.yaml', () => {
  const HEAD = ['title: 测试版', 'publication: 测试日报', 'date: 2022-06-15', 'language: zh-CN', 'pages:']; // pages: on line 5
  const FILES = { 'a.md': article({ title: '甲' }, '甲文。'), 'b.md': article({ title: '乙' }, '乙文。'), 'c.md': article({ title: '丙' }, '丙文。') };
  const edition = async (...pageLines: string[]) => loadEdition(await tempEdition({ 'edition.yaml': lines(...HEAD, ...pageLines), ...FILES }));
  const plan = async (...pageLines: string[]) => {
    const e = await edition(...pageLines);
    const template = await loadTemplate(e.config.template, e.dir);
    return { e, template, check: () => checkPlan(e, template) };
  };

  it('resolves a page\'s depths and its own slots, and composes each slot at its box', async () => {
    const { e, template, check } = await plan(
      '  - layout: front', // 6
      '    depths: { lead: 13 }', // 7
      '    articles:', // 8
      '      - { file: a.md, slot: lead, continue: { page: 2, slot: more } }', // 9
      '      - { file: b.md, slot: second }', // 10
      '  - layout: feature', // 11
      '    slots:', // 12
      '      main: { column: 1, columns: 5, row: 1, rows: 20, lead: true }', // 13
      '      more: { column: 6, columns: 3, row: 1, rows: 20 }', // 14
      '    articles:', // 15
      '      - { file: c.md, slot: main }', // 16
    );
    const pages = check();
    expect(pages[0]!.slots.map((s) => [s.name, s.row, s.rows])).toEqual([['lead', 1, 13], ['second', 14, 47]]);
    expect(pages[0]!.holes.map((h) => h.name)).toEqual(['photo', 'side']);
    expect(pages[1]!.slots.map((s) => [s.name, s.lead])).toEqual([['main', true], ['more', false]]);
    const articles = await renderArticles(e.articles, { editionDir: e.dir, config: e.config, diagnostics: new Diagnostics() });
    const doc = compose({ edition: e, template, articles, generator: 'test' });
    expect(doc.html).toContain('style="grid-column: 1 / span 5; grid-row: 14 / span 47;');
    expect(doc.html).toMatch(/class="pb-slot pb-slot-more pb-rule-left"[^>]*style="grid-column: 6 \/ span 3; grid-row: 1 \/ span 20;/);
    expect(doc.html).toMatch(/class="pb-slot pb-slot-main pb-slot-lead"/);
    expect(doc.holes.map((h) => `${h.page}:${h.slot}`)).toEqual(['1:photo', '1:side']);
  });

  it('depths: errors at the line of the slot in depths:', async () => {
    const { check } = await plan('  - layout: front', '    depths:', '      lead: 70', '    articles:', '      - { file: a.md, slot: lead }');
    const e = theError(errorsOfSync(check), 'SlotUnknown');
    expect(e.message).toBe('page 1: depths: "lead" cannot be 70 rows deep: it starts at row 1 of 60');
    expect(e.where).toMatchObject({ file: 'edition.yaml', line: 8 });
  });

  it('slots: overlapping boxes are an error at the line of the slot; an article must name one of the page\'s own slots', async () => {
    const { check } = await plan(
      '  - layout: feature', // 6
      '    slots:', // 7
      '      a: { column: 1, columns: 5, row: 1, rows: 12 }', // 8
      '      b: { column: 3, columns: 6, row: 10, rows: 11 }', // 9
      '    articles:', // 10
      '      - { file: a.md, slot: a }', // 11
      '      - { file: b.md, slot: top }', // 12
    );
    const errors = errorsOfSync(check);
    const unknown = errors.find((x) => x.message.includes('"top"'))!;
    expect(unknown.format()).toContain('edition.yaml:12');
    expect(unknown.message).toBe('page 1: this page has no slot "top"');
    expect(unknown.hint).toBe('use one of: a, b');
  });

  it('overlapping page slots name both and the line', async () => {
    const { check } = await plan('  - layout: feature', '    slots:', '      a: { column: 1, columns: 5, row: 1, rows: 12 }', '      b: { column: 3, columns: 6, row: 10, rows: 11 }', '    articles:', '      - { file: a.md, slot: a }');
    const e = theError(errorsOfSync(check), 'SlotUnknown');
    expect(e.message).toBe('page 1: slots "a" (columns 1-5, rows 1-12) and "b" (columns 3-8, rows 10-20) overlap');
    expect(e.where).toMatchObject({ line: 9 });
  });

  it('a flow page takes no slots: or depths:', async () => {
    const { check } = await plan('  - layout: flow', '    depths: { lead: 3 }', '    articles:', '      - { file: a.md }');
    const e = theError(errorsOfSync(check), 'SlotUnknown');
    expect(e.message).toBe('page 1: layout "flow" flows its articles: depths: needs a layout of fixed pages');
    expect(e.where).toMatchObject({ line: 7 });
  });

  it('a template whose fixed layout has a slot without depth, or overlapping slots, is refused with the line in template.yaml', async () => {
    const dir = await tempEdition({ 'edition.yaml': lines(...HEAD, '  - layout: front', '    articles:', '      - { file: a.md, slot: lead }').replace('language: zh-CN', 'language: zh-CN\ntemplate: ./t'), ...FILES });
    cpSync(path.join(REPO, 'templates/newspaper'), path.join(dir, 't'), { recursive: true });
    const yaml = path.join(dir, 't/template.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('second: { column: 1, columns: 5, row: 34, rows: 27,', 'second: { column: 1, columns: 5, row: 34,'));
    const errors = await errorsOf(loadTemplate('./t', dir));
    expect(errors.map((x) => x.message)).toEqual(['layout "front", slot "second": a slot of a fixed layout needs its depth on the grid (rows)']);
    expect(errors[0]!.format()).toMatch(/^t\/template\.yaml:\d+:\d+: error TemplateInvalid/);
  });
});
