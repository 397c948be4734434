/**
 * The plan checked as it will print, before it is printed: the planned pages composed and laid out
 * in Chromium with the build's own slot pass (copyfit, photos, jumps, levelled columns) and measure,
 * then judged as the build's report judges them (report.ts): overset or clipped, underset, a jump
 * that did not happen. A slot found wrong is measured where it stands (a jump's rest as cut); the
 * planner mends the plan with that (replan.ts), else its rows are moved within its band (rows ±,
 * the other stories of its stack and band within their ranges); then the pages that changed are
 * laid out again, a few rounds at most. What still is wrong is returned.
 */
import type { ComposedDocument } from '../compose/compose.ts';
import type { PagePlan, PlanPage } from '../config/schema.ts';
import { callInPage } from '../layout/page-lib.ts';
import type { PageMeasure, SlotMeasure } from '../layout/measure.ts';
import { slotOptions } from '../layout/paginate.ts';
import { UNDERSET_LINES } from '../layout/report.ts';
import { PROBE } from './measure.ts';
import { rects, toPagePlans, type PlacedRect } from './emit.ts';
import { rowsBetween, rowsDepth, type Frame, type Plan, type PlannedPage, type Story } from './model.ts';
import { share } from './pack.ts';
import { probeOne, probeStories, type ProbeResult } from './probe-page.ts';
import { pageScript, trace, type LayoutSession } from './session.ts';

export interface SlotCheck {
  page: number;
  slot: string;
  story: number;
  part: PlacedRect['part'];
  problem?: 'overset' | 'underset' | 'no-jump';
  /** Share of the slot's text area left empty under its columns (0..1). */
  empty: number;
  /** Lines left empty at the foot of the deepest-ending column. */
  emptyLines: number;
}

export interface VerifyResult {
  /** The plan as checked last (mended when slots were wrong), and its pages. */
  plan: Plan;
  pages: PagePlan[];
  checks: SlotCheck[];
  rounds: number;
  /** Pages whose rows were moved, by round. */
  repaired: number[][];
}

/** A slot measured where it stood: the story's depth range there (px of the story's own depth). */
export interface Fix {
  story: number;
  part: PlacedRect['part'];
  columns: number;
  lead: boolean;
  min: number;
  max: number;
  /** For a rest: the first part it was cut from. */
  first?: { columns: number; rows: number };
}

export interface VerifyInput {
  session: LayoutSession;
  compose: (pages: PagePlan[]) => ComposedDocument;
  plan: Plan;
  stories: Story[];
  frames: Frame[];
  options: PlanPage[];
  rounds: number;
  /** The plan again with these measures (the planner packs the pages anew); undefined: it cannot, rows are moved instead. */
  replan?: (fixes: Fix[]) => Plan | undefined;
}

export async function verifyPlan(input: VerifyInput): Promise<VerifyResult> {
  const { stories, frames } = input;
  let plan = input.plan;
  const repaired: number[][] = [];
  const pages = toPagePlans(plan, stories, input.options);
  const composed = input.compose(pages);
  const page = await input.session.load(composed);
  try {
    // Later rounds lay out again only the pages that changed (and those their jumps join), from
    // the document composed again, with the others set aside.
    await page.evaluate(keepPristine);
    const pageOf = Object.fromEntries(pages.map((_, i) => [String(i + 1), i + 1]));
    let checks: SlotCheck[] = [];
    let redo = plan.pages.map((p) => p.number);
    for (let round = 1; ; round++) {
      const all = rects(plan);
      if (round > 1) {
        await page.evaluate(updatePristine, input.compose(toPagePlans(plan, stories, input.options)).html, redo);
        await page.evaluate(resetPages, redo, true);
      }
      const t0 = performance.now();
      await page.evaluate(callInPage('slotPass', slotOptions(composed, 0, pageOf)));
      const t1 = performance.now();
      const measure = (await page.evaluate(callInPage('measurePages', '.pb-page'))) as PageMeasure;
      if (round > 1) await page.evaluate(restoreAside);
      trace(`check round ${round} (pages ${redo.join(', ')}): slot pass ${Math.round(t1 - t0)} ms, measure ${Math.round(performance.now() - t1)} ms`);
      checks = all.map((r) => (redo.includes(r.page) ? judge(r, measure.slots.find((m) => m.planPage === r.page && m.slot === r.slot)) : checks.find((c) => c.story === r.story && c.part === r.part && c.page === r.page)!));
      // What is wrong on the pages laid out this round (the others' were measured before).
      const wrong = checks.filter((c) => (c.problem === 'overset' || c.problem === 'underset') && redo.includes(c.page));
      const done = () => ({ plan, pages: toPagePlans(plan, stories, input.options), checks, rounds: round, repaired });
      if (!wrong.length || round >= input.rounds) return done();
      // Each wrong slot measured where it stands, with its content as cut (the pages as laid out).
      if (round > 1) await page.evaluate(resetPages, redo, false);
      await page.evaluate(asComposed, wrong.map((c) => ({ page: c.page, slot: c.slot, rest: c.part === 'rest' })));
      const tasks = wrong.map((c) => ({ page: c.page, mode: 'exact' as const, minDepth: 0, slot: c.slot }));
      const probed = (await page.evaluate(pageScript({ probeOne, probeStories }, `PB.probeStories(${JSON.stringify(tasks)}, ${JSON.stringify(PROBE)})`))) as ProbeResult[];
      if (round > 1) await page.evaluate(restoreAside);
      const before = JSON.stringify(all);
      const next = mend(plan, all, wrong, probed, frames, input.replan);
      const after = rects(next);
      const onPage = (rs: PlacedRect[], n: number) => JSON.stringify(rs.filter((r) => r.page === n));
      const changed = plan.pages.map((p) => p.number).filter((n) => onPage(all, n) !== onPage(after, n));
      if (!changed.length || JSON.stringify(after) === before) return done();
      plan = next;
      repaired.push(changed);
      // A jump's two pages go together: the rest is cut from the first part.
      const joined = new Set(changed);
      for (const j of plan.jumps) if (joined.has(j.from) || joined.has(j.to)) joined.add(j.from).add(j.to);
      redo = [...joined].sort((a, b) => a - b);
    }
  } finally {
    await input.session.release(page);
  }
}

/**
 * The plan mended with what was measured where the wrong slots stood: through the planner (which
 * packs the pages again with the measures), else by moving rows within the pages' bands (rows ±;
 * when the measured range still holds a slot's rows, a row less for underset, a row more for overset).
 */
function mend(plan: Plan, all: PlacedRect[], wrong: SlotCheck[], probed: ProbeResult[], frames: Frame[], replan: VerifyInput['replan']): Plan {
  const fixes: Fix[] = [];
  wrong.forEach((c, i) => {
    const r = probed[i]!;
    const at = all.find((x) => x.page === c.page && x.slot === c.slot)!;
    const first = c.part === 'rest' ? all.find((x) => x.story === c.story && x.part === 'first') : undefined;
    const base = { story: c.story, part: c.part, columns: at.columns, lead: at.lead, ...(first ? { first: { columns: first.columns, rows: first.rows } } : {}) };
    // A whole story that neither fits nor fills at any depth of this width: not at this width.
    if (r.min === undefined || r.max === undefined) {
      if (c.part === 'whole') fixes.push({ ...base, min: Infinity, max: -Infinity });
      return;
    }
    fixes.push({ ...base, ...agreed(r.min, r.max, c, at, frames[c.page - 1]!) });
  });
  const again = fixes.length ? replan?.(fixes) : undefined;
  const changed = again !== undefined && JSON.stringify(rects(again)) !== JSON.stringify(all);
  trace(`replan: ${again ? (changed ? 'new plan' : 'same rects') : 'none'}`);
  if (changed) return again;
  const copy = structuredClone(plan);
  const moved = new Set<number>();
  wrong.forEach((c, i) => {
    const r = probed[i]!;
    const piece = pieceAt(copy.pages[c.page - 1]!, all, c);
    if (!piece) return;
    const ruled = (all.find((x) => x.page === c.page && x.slot === c.slot)?.row ?? 1) > 1;
    const measured = r.min !== undefined && r.max !== undefined ? rowsBetween(frames[c.page - 1]!, r.min, r.max, ruled) : undefined;
    trace(`mend p${c.page} ${c.slot} ${c.problem} ${c.emptyLines.toFixed(2)} lines: rows ${piece.rows} range ${piece.range} measured ${r.min?.toFixed(1)}..${r.max?.toFixed(1)} px = rows ${measured}`);
    const next: [number, number] = measured && (measured[0] > piece.rows || measured[1] < piece.rows) ? measured : c.problem === 'underset' ? [piece.range[0], piece.rows - 1] : [piece.rows + 1, piece.range[1]];
    if (next[0] > next[1] || next[0] < 1) return;
    const keep = piece.range;
    piece.range = next;
    const ok = reallocate(copy.pages[c.page - 1]!, frames[c.page - 1]!.rows);
    trace(`reallocate p${c.page} ${c.slot} to ${next}: ${ok}`);
    if (!ok) piece.range = keep;
    else moved.add(c.page);
  });
  return moved.size ? copy : plan;
}

/**
 * A measured range that agrees with the judgement of the slot as laid out: the bisection finds its
 * ends within a few px, so a slot judged underset (overset) at its rows whose measured range still
 * holds them is taken as just past the range's deep (shallow) end.
 */
export function agreed(min: number, max: number, c: SlotCheck, at: PlacedRect, frame: Frame): { min: number; max: number } {
  const depth = rowsDepth(frame, at.rows, at.row > 1);
  if (c.problem === 'underset' && max >= depth) return { min: Math.min(min, depth - 1), max: depth - 0.5 };
  if (c.problem === 'overset' && min <= depth) return { min: depth + 0.5, max: Math.max(max, depth + 1) };
  return { min, max };
}

/** Runs in the page: each plan page as composed, kept for later rounds. */
function keepPristine(): void {
  const kept: Record<string, string> = {};
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('.pb-page'))) kept[el.dataset.planPage!] = el.outerHTML;
  (window as unknown as { __pbPristine?: Record<string, string> }).__pbPristine = kept;
}

/**
 * Runs in the page: each slot's story as composed again, before its slot is measured where it
 * stands: a whole story from the document as composed (the slot pass set its type, photos and
 * columns), a jump's rest as cut, its columns' levelling undone.
 */
function asComposed(slots: { page: number; slot: string; rest: boolean }[]): void {
  const w = window as unknown as { __pbPristine: Record<string, string> };
  for (const s of slots) {
    const sel = `.pb-slot[data-slot="${s.slot}"]`;
    const live = document.querySelector<HTMLElement>(`.pb-page[data-plan-page="${s.page}"] ${sel} > article`);
    if (!live) continue;
    if (!s.rest) {
      const t = document.createElement('template');
      t.innerHTML = w.__pbPristine[String(s.page)]!;
      const art = t.content.querySelector(`${sel} > article`);
      if (art) live.replaceWith(art);
      continue;
    }
    const body = live.querySelector<HTMLElement>('.pb-body');
    if (!body) continue;
    for (const cont of Array.from(body.querySelectorAll<HTMLElement>(':scope > p.pb-cont-para'))) {
      const prev = cont.previousElementSibling;
      if (prev?.matches('p.pb-cut-para')) {
        prev.append(...Array.from(cont.childNodes));
        prev.classList.remove('pb-cut-para');
        cont.remove();
      }
    }
    for (const el of Array.from(body.children) as HTMLElement[]) {
      el.style.removeProperty('break-before');
      el.style.removeProperty('margin-top');
    }
  }
}

/** Runs in the page: the pages `redo` as composed anew (`html`: the whole document), kept for resetPages. */
function updatePristine(html: string, redo: number[]): void {
  const w = window as unknown as { __pbPristine: Record<string, string> };
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const n of redo) {
    const el = doc.querySelector(`.pb-page[data-plan-page="${n}"]`);
    if (el) w.__pbPristine[String(n)] = el.outerHTML;
  }
}

/**
 * Runs in the page: the pages `redo` as composed (`fresh`; else as they stand), every other page set
 * aside (out of the document) until restoreAside.
 */
async function resetPages(redo: number[], fresh: boolean): Promise<void> {
  const w = window as unknown as { __pbPristine: Record<string, string>; __pbAside?: [Comment, HTMLElement][] };
  const aside: [Comment, HTMLElement][] = [];
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('.pb-page'))) {
    const n = Number(el.dataset.planPage);
    if (!redo.includes(n)) {
      const mark = document.createComment('aside');
      el.replaceWith(mark);
      aside.push([mark, el]);
    } else if (fresh) {
      const t = document.createElement('template');
      t.innerHTML = w.__pbPristine[String(n)]!;
      el.replaceWith(t.content);
    }
  }
  w.__pbAside = aside;
  await Promise.all(Array.from(document.images, (img) => img.decode().catch(() => undefined)));
}

/** Runs in the page: the pages resetPages set aside, back in their places. */
function restoreAside(): void {
  const w = window as unknown as { __pbAside?: [Comment, HTMLElement][] };
  for (const [mark, el] of w.__pbAside ?? []) mark.replaceWith(el);
  w.__pbAside = [];
}

function judge(r: PlacedRect, m: SlotMeasure | undefined): SlotCheck {
  const base = { page: r.page, slot: r.slot, story: r.story, part: r.part };
  // A rest slot is taken out when its story did not jump: the first part held all of it.
  if (!m) return { ...base, problem: 'no-jump', empty: 1, emptyLines: 0 };
  const emptyLines = m.lineHeight > 0 ? m.emptyDepth / m.lineHeight : 0;
  const out = { ...base, empty: m.emptyShare, emptyLines };
  if (m.hiddenChars > 0 || m.clipped.length) return { ...out, problem: 'overset' };
  if (r.part === 'first' && m.part !== 'first') return { ...out, problem: 'no-jump' };
  if (r.part !== 'first' && m.emptyDepth > UNDERSET_LINES * m.lineHeight) return { ...out, problem: 'underset' };
  return out;
}

function pieceAt(page: PlannedPage, all: PlacedRect[], c: SlotCheck) {
  const own = all.filter((r) => r.page === page.number);
  const index = own.findIndex((r) => r.slot === c.slot);
  return page.bands.flatMap((b) => b.stacks.flatMap((s) => s.pieces))[index];
}

/**
 * Rows for a page's bands and pieces again, its cut kept, each piece within its (updated) range:
 * whether it worked (else the page keeps its rows).
 */
export function reallocate(page: PlannedPage, rows: number): boolean {
  const intervals = page.bands.map((b) => {
    let lo = 0;
    let hi = Infinity;
    for (const s of b.stacks) {
      lo = Math.max(lo, s.pieces.reduce((a, x) => a + x.range[0], 0));
      hi = Math.min(hi, s.pieces.reduce((a, x) => a + x.range[1], 0));
    }
    return [lo, hi] as [number, number];
  });
  if (intervals.some(([lo, hi]) => lo > hi)) return false;
  const bandRows = share(rows, intervals);
  if (!bandRows) return false;
  const next = page.bands.map((b, i) => b.stacks.map((s) => share(bandRows[i]!, s.pieces.map((x) => x.range))));
  if (next.some((b) => b.some((s) => !s))) return false;
  page.bands.forEach((b, i) => {
    b.rows = bandRows[i]!;
    b.stacks.forEach((s, j) => s.pieces.forEach((x, k) => (x.rows = next[i]![j]![k]!)));
  });
  return true;
}
