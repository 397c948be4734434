/**
 * The planner's hard rules, as checks: on a search state (which stories go where; search.ts never
 * takes a state that breaks one) and on a finished plan (its pages as cut, for the report and the
 * tests). Each names what is wrong in words an editor reads.
 *
 * - The most important story leads page 1 (under the largest headline).
 * - Pins hold: a pinned story is on its page (and leads it when pinned to `lead`); pins win over
 *   the order of priorities (a pinned story does not count in the rules below).
 * - Sections stay together: a story goes on its section's pages (or a page without a section,
 *   such as the front page); when no page names a section, each inside page holds one section and
 *   a section's pages follow each other.
 * - No story is held over while one two priority steps less important is placed (unless no page
 *   could take it at all: too long for any slot and not to be continued, or no page of its section).
 * - Priority descends through the edition (each page's lead is no more important than the one
 *   before, within a section) and down each page (nothing sits under a less important story).
 * - A story continues once at most, on a later page; a story with `jump: false` never does.
 * - Every page is full: its bands add up to the grid's rows, each stack's pieces to its band's, each
 *   piece within its measured range.
 */
import type { Frame, Plan, Story } from './model.ts';

export interface PageRule {
  layout: string;
  section?: string;
}

interface RuleInput {
  stories: Story[];
  pages: PageRule[];
  jumps: boolean;
  lead: number;
  /** Stories no page could take at all (too long and not to be continued, no page of their section): the hold-over rule is about choices. */
  unplaceable?: ReadonlySet<number>;
}

interface StateLike {
  at: number[];
  rest: number[];
}

/** What a state breaks, each in words (empty: nothing). */
export function stateViolations(s: StateLike, input: RuleInput): string[] {
  const out: string[] = [];
  const { stories, pages } = input;
  if (s.at[input.lead] !== 1) out.push(`the most important story (${stories[input.lead]?.file}) is not on page 1`);
  let worstPlaced = 0;
  let bestHeld = Infinity;
  const leads = pages.map(() => Infinity);
  const sectionsOf = pages.map(() => new Set<string>());
  for (const st of stories) {
    const p = s.at[st.index]!;
    const r = s.rest[st.index]!;
    if (r && (!p || r <= p || !input.jumps || !st.jump)) out.push(`${st.file} continues where it may not (page ${p} to ${r})`);
    if (!p) {
      if (!input.unplaceable?.has(st.index)) bestHeld = Math.min(bestHeld, st.priority);
      continue;
    }
    if (st.pin && st.pin.page !== p) out.push(`${st.file} is pinned to page ${st.pin.page}`);
    const section = pages[p - 1]?.section;
    if (section && st.section && section !== st.section) out.push(`${st.file} (section ${st.section}) is on a page of section ${section}`);
    // The editor's pins win over the order of priorities: pinned stories do not count in it.
    if (st.pin) continue;
    worstPlaced = Math.max(worstPlaced, st.priority);
    leads[p - 1] = Math.min(leads[p - 1]!, st.priority);
    if (st.section) sectionsOf[p - 1]!.add(st.section);
  }
  if (worstPlaced >= bestHeld + 2) out.push(`a priority ${bestHeld} story is held over while a priority ${worstPlaced} story is placed`);
  for (let p = 1; p < pages.length; p++) {
    if ((pages[p]!.section ?? '') !== (pages[p - 1]!.section ?? '')) continue;
    if (Number.isFinite(leads[p]!) && leads[p]! < leads[p - 1]!) out.push(`page ${p + 1} is led by a more important story (priority ${leads[p]}) than page ${p} (priority ${leads[p - 1]})`);
  }
  // No page names a section: the stories' sections make the inside pages' (one each, consecutive).
  if (!pages.some((pg) => pg.section)) {
    const seen = new Map<string, number>();
    for (let p = 2; p <= pages.length; p++) {
      const set = sectionsOf[p - 1]!;
      if (set.size > 1) out.push(`page ${p} mixes sections ${[...set].join(', ')}`);
      for (const sec of set) {
        const last = seen.get(sec);
        if (last !== undefined && last < p - 1 && [...Array(p - 1 - last).keys()].some((k) => !sectionsOf[last + k]!.has(sec))) out.push(`section ${sec} is split (pages ${last} and ${p})`);
        seen.set(sec, p);
      }
    }
  }
  return out;
}

/** Why a story was held over, for the report. */
export function holdReason(st: Story, s: StateLike, input: RuleInput & { measures: { min?: number; columns: number; lead: boolean }[][] }): string {
  const fitsWhole = input.measures[st.index]!.some((m) => !m.lead && m.min !== undefined);
  if (st.pin) return `pinned to page ${st.pin.page}${st.pin.slot ? `, slot ${st.pin.slot}` : ''}, where no arrangement fills the page with it`;
  if (!fitsWhole && (!st.jump || !input.jumps)) return `too long for any slot of a page, and it may not continue on another page (${st.jump ? 'plan: jumps: false' : 'jump: false'})`;
  if (!fitsWhole) return 'too long for any slot of a page, and no later page had room for its rest';
  const pages = input.pages.map((pg, i) => ({ pg, n: i + 1 })).filter(({ pg }) => !pg.section || !st.section || pg.section === st.section);
  if (!pages.length) return `no page of section ${st.section} in plan:`;
  const lower = input.stories.filter((o) => s.at[o.index] && o.priority > st.priority);
  if (!lower.length) return `no room: ${pages.length === 1 ? 'page' : 'pages'} ${pages.map((x) => x.n).join(', ')} ${pages.length === 1 ? 'is' : 'are'} full with stories of priority ${st.priority} or more important`;
  return `no room where it fits: with it no page packs full (less important stories took the spaces their sizes fit: ${lower.slice(0, 3).map((o) => o.file).join(', ')})`;
}

/** What a finished plan breaks, checked on its pages as cut (empty: nothing). */
export function planViolations(plan: Plan, input: RuleInput & { frames: Frame[] }): string[] {
  const out: string[] = [];
  const byIndex = new Map(input.stories.map((s) => [s.index, s]));
  const parts = new Map<number, string[]>();
  for (const page of plan.pages) {
    const frame = input.frames[page.number - 1]!;
    const rows = page.bands.reduce((a, b) => a + b.rows, 0);
    if (rows !== frame.rows) out.push(`page ${page.number}: its bands take ${rows} of ${frame.rows} rows (not full)`);
    let top = 1;
    const placed: { story: Story; part: string; column: number; columns: number; row: number; rows: number }[] = [];
    for (const band of page.bands) {
      const width = band.stacks.reduce((a, s) => a + s.columns, 0);
      if (width !== frame.columns) out.push(`page ${page.number}: a band's stacks take ${width} of ${frame.columns} columns`);
      let column = 1;
      for (const stack of band.stacks) {
        const depth = stack.pieces.reduce((a, x) => a + x.rows, 0);
        if (depth !== band.rows) out.push(`page ${page.number}: a stack's stories take ${depth} of its band's ${band.rows} rows (not full)`);
        let row = top;
        for (const piece of stack.pieces) {
          const st = byIndex.get(piece.story)!;
          if (piece.rows < piece.range[0] || piece.rows > piece.range[1]) out.push(`page ${page.number}: ${st.file} takes ${piece.rows} rows, outside its range ${piece.range.join('-')}`);
          placed.push({ story: st, part: piece.part, column, columns: stack.columns, row, rows: piece.rows });
          parts.set(piece.story, [...(parts.get(piece.story) ?? []), `${piece.part}@${page.number}`]);
          row += piece.rows;
        }
        column += stack.columns;
      }
      top += band.rows;
    }
    for (const a of placed) {
      for (const b of placed) {
        if (a.part === 'rest' || b.part === 'rest' || b.row <= a.row || a.story.pin?.slot === 'lead') continue;
        const overlap = a.column < b.column + b.columns && b.column < a.column + a.columns;
        if (overlap && b.story.priority < a.story.priority) out.push(`page ${page.number}: ${b.story.file} (priority ${b.story.priority}) sits under ${a.story.file} (priority ${a.story.priority})`);
      }
    }
    if (page.number === 1) {
      const first = page.bands[0]?.stacks[0]?.pieces[0];
      if (!first || first.story !== input.lead) out.push(`page 1 is not led by the most important story (${byIndex.get(input.lead)?.file})`);
    }
  }
  for (const [story, ps] of parts) {
    const kinds = ps.map((x) => x.split('@')[0]);
    const ok = (kinds.length === 1 && kinds[0] === 'whole') || (kinds.length === 2 && kinds.includes('first') && kinds.includes('rest'));
    if (!ok) out.push(`${byIndex.get(story)?.file} is placed as ${ps.join(', ')}`);
  }
  const state = { at: input.stories.map(() => 0), rest: input.stories.map(() => 0) };
  for (const page of plan.pages) {
    for (const piece of page.bands.flatMap((b) => b.stacks.flatMap((s) => s.pieces))) {
      if (piece.part === 'rest') state.rest[piece.story] = page.number;
      else state.at[piece.story] = page.number;
    }
  }
  return [...out, ...stateViolations(state, input)];
}
