/**
 * Synthetic dockets for the planner's unit tests: stories whose measured depth at each width follows
 * a story's text area (head + text ÷ width), as Chromium's measures do, on a broadsheet-like frame.
 */
import type { Frame, Measure, Story } from '../../src/plan/model.ts';
import type { PlanInput } from '../../src/plan/search.ts';

export const FRAME: Frame = { row: 32, gap: 0, rows: 60, columns: 8, column: 150, gutter: 17, rule: 15, slack: 2 };
export const FRONT: Frame = { ...FRAME, row: 30 };

export interface Spec {
  priority: number;
  /** Text area in column-px (depth × width at one column). */
  text: number;
  photo?: boolean;
  jump?: boolean;
  section?: string;
  pin?: Story['pin'];
}

/** A story's measures at widths 2…8: the depth its text takes, ±8% copyfit, photos ±30%. */
export function measuresFor(s: Spec, lead = false): Measure[] {
  const line = 19.4;
  return [2, 3, 4, 5, 6, 8].map((columns) => {
    const head = 90 + columns * 4 + (lead ? 20 : 0) + (s.photo ? columns * 100 : 0);
    const body = s.text / columns;
    const natural = head + body;
    const full = FRAME.rows * FRAME.row - FRAME.slack;
    const tight = head * (s.photo ? 0.8 : 1) + body * 0.92;
    const loose = head * (s.photo ? 1.3 : 1) + body * 1.08;
    const fits = tight <= full;
    return { columns, lead, exact: true, ...(fits ? { min: tight, max: Math.min(full, loose + line) } : {}), natural, head, body, chars: Math.round(s.text / 10), line, tight, loose };
  });
}

export function docket(specs: Spec[]): { stories: Story[]; measures: Measure[][] } {
  const stories = specs.map((s, i): Story => ({ index: i, id: `s${i + 1}`, file: `s${i + 1}.md`, title: `Story ${i + 1}`, priority: s.priority, jump: s.jump ?? true, ...(s.section ? { section: s.section } : {}), ...(s.pin ? { pin: s.pin } : {}), photos: s.photo ? 1 : 0, chars: Math.round(s.text / 10) }));
  const lead = [...stories].sort((a, b) => a.priority - b.priority || a.index - b.index)[0]!.index;
  return { stories, measures: specs.map((s, i) => [...measuresFor(s), ...(i === lead ? measuresFor(s, true).filter((m) => m.columns >= 4) : [])]) };
}

export function planInput(specs: Spec[], pages: number, over: Partial<PlanInput> = {}): PlanInput {
  const { stories, measures } = docket(specs);
  return {
    stories,
    measures,
    frames: Array.from({ length: pages }, (_, i) => (i === 0 ? FRONT : FRAME)),
    pages: Array.from({ length: pages }, (_, i) => ({ layout: i === 0 ? 'front' : 'feature' })),
    limits: { minRows: 6, rowsPerColumn: 2, underLines: 2, widths: [2, 3, 4, 5, 6, 8] },
    pack: { splits: [[8], [5, 3], [6, 2], [4, 4], [3, 5], [2, 6], [3, 3, 2], [2, 3, 3], [4, 2, 2], [2, 2, 2, 2]], maxBands: 3, maxStack: 3, budget: 30_000 },
    jumps: true,
    lead: [...stories].sort((a, b) => a.priority - b.priority || a.index - b.index)[0]!.index,
    moves: 3000,
    ...over,
  };
}

/** A night's docket: `n` stories of mixed priority and length, some with photos (deterministic). */
export function mixedDocket(n: number): Spec[] {
  const priorities = [1, 3, 2, 4, 5, 3, 2, 4, 3, 5, 4, 1, 3, 5, 2, 4, 3, 5, 4, 3];
  return Array.from({ length: n }, (_, i) => ({ priority: priorities[i % priorities.length]!, text: 2000 + ((i * 7919) % 9) * 700, photo: i % 3 === 0 }));
}
