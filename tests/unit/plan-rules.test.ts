/**
 * The hard rules as checks (rules.ts), each broken once on a hand-made plan: what the planner never
 * does is caught here, so a planner that started doing it would be caught too.
 */
import { describe, expect, it } from 'vitest';
import type { Plan, PlannedPage } from '../../src/plan/model.ts';
import { planViolations, stateViolations } from '../../src/plan/rules.ts';
import { FRAME } from '../helpers/docket.ts';

const story = (index: number, priority: number, extra: object = {}) => ({ index, id: `s${index}`, file: `s${index}.md`, title: `S${index}`, priority, jump: true, photos: 0, chars: 100, ...extra });
const stories = [story(0, 1), story(1, 2), story(2, 3), story(3, 4), story(4, 5)];
const base = { stories, pages: [{ layout: 'front' }, { layout: 'feature' }], jumps: true, lead: 0, frames: [FRAME, FRAME] };

/** A page: one band of two stacks of four columns, pieces given top to bottom as [story, rows]. */
function page(number: number, left: [number, number, string?][], right: [number, number, string?][]): PlannedPage {
  const piece = ([s, rows, part]: [number, number, string?]) => ({ story: s, part: (part ?? 'whole') as 'whole', rows, range: [1, 60] as [number, number] });
  return { number, layout: number === 1 ? 'front' : 'feature', bands: [{ rows: 60, stacks: [{ columns: 4, pieces: left.map(piece) }, { columns: 4, pieces: right.map(piece) }] }] };
}
const plan = (pages: PlannedPage[]): Plan => ({ pages, held: [], jumps: [], score: 0 });

describe('the rules, checked', () => {
  it('pass a plan that keeps them all', () => {
    expect(planViolations(plan([page(1, [[0, 60]], [[1, 60]]), page(2, [[2, 30], [3, 30]], [[4, 60]])]), base)).toEqual([]);
  });

  it('catch a page that is not full', () => {
    expect(planViolations(plan([page(1, [[0, 60]], [[1, 50]]), page(2, [[2, 30], [3, 30]], [[4, 60]])]), base)).toContain("page 1: a stack's stories take 50 of its band's 60 rows (not full)");
  });

  it('catch a story set outside its measured range', () => {
    const p = plan([page(1, [[0, 60]], [[1, 60]]), page(2, [[2, 30], [3, 30]], [[4, 60]])]);
    p.pages[1]!.bands[0]!.stacks[0]!.pieces[0]!.range = [10, 20];
    expect(planViolations(p, base)).toContain('page 2: s2.md takes 30 rows, outside its range 10-20');
  });

  it('catch page 1 led by another story than the most important', () => {
    expect(planViolations(plan([page(1, [[1, 60]], [[0, 60]]), page(2, [[2, 30], [3, 30]], [[4, 60]])]), base)).toContain('page 1 is not led by the most important story (s0.md)');
  });

  it('catch a story under a less important one', () => {
    expect(planViolations(plan([page(1, [[0, 60]], [[1, 60]]), page(2, [[3, 30], [2, 30]], [[4, 60]])]), base)).toContain('page 2: s2.md (priority 3) sits under s3.md (priority 4)');
  });

  it('catch a page led by a more important story than the page before', () => {
    expect(stateViolations({ at: [1, 1, 2, 2, 0], rest: [0, 0, 0, 0, 0] }, base)).toEqual([]);
    expect(stateViolations({ at: [1, 3, 2, 0, 0], rest: [0, 0, 0, 0, 0] }, { ...base, pages: [...base.pages, { layout: 'feature' }] })).toContain('page 3 is led by a more important story (priority 2) than page 2 (priority 3)');
  });

  it('catch a story held over while one two steps less important is placed, unless no page could take it', () => {
    expect(stateViolations({ at: [1, 0, 1, 2, 0], rest: [0, 0, 0, 0, 0] }, base)).toContain('a priority 2 story is held over while a priority 4 story is placed');
    expect(stateViolations({ at: [1, 0, 1, 2, 0], rest: [0, 0, 0, 0, 0] }, { ...base, unplaceable: new Set([1]) })).toEqual([]);
    expect(stateViolations({ at: [1, 1, 0, 2, 0], rest: [0, 0, 0, 0, 0] }, base)).toEqual([]);
  });

  it('catch a pinned story off its page, and a story off its section', () => {
    const pinned = [story(0, 1), story(1, 2, { pin: { page: 2 } }), story(2, 3, { section: 'sport' })];
    const pages = [{ layout: 'front' }, { layout: 'feature', section: 'culture' }];
    expect(stateViolations({ at: [1, 1, 2], rest: [0, 0, 0] }, { ...base, stories: pinned, pages })).toEqual(['s1.md is pinned to page 2', 's2.md (section sport) is on a page of section culture']);
  });

  it('catch mixed sections on an inside page when no page names them, and a section split', () => {
    const sec = [story(0, 1), story(1, 2, { section: 'a' }), story(2, 3, { section: 'b' }), story(3, 3, { section: 'a' })];
    const pages = [{ layout: 'front' }, { layout: 'feature' }, { layout: 'feature' }, { layout: 'feature' }];
    expect(stateViolations({ at: [1, 2, 2, 0], rest: [0, 0, 0, 0] }, { ...base, stories: sec, pages })).toContain('page 2 mixes sections a, b');
    expect(stateViolations({ at: [1, 2, 3, 4], rest: [0, 0, 0, 0] }, { ...base, stories: sec, pages })).toContain('section a is split (pages 2 and 4)');
  });

  it('catch a jump where it may not be, and a story placed twice', () => {
    expect(stateViolations({ at: [1, 2, 0, 0, 0], rest: [0, 1, 0, 0, 0] }, base)).toContain('s1.md continues where it may not (page 2 to 1)');
    expect(stateViolations({ at: [1, 1, 0, 0, 0], rest: [0, 2, 0, 0, 0] }, { ...base, jumps: false })).toContain('s1.md continues where it may not (page 1 to 2)');
    expect(planViolations(plan([page(1, [[0, 60]], [[1, 60]]), page(2, [[1, 30], [3, 30]], [[4, 60]])]), base)).toContain('s1.md is placed as whole@1, whole@2');
  });
});
