/**
 * The plan explained: where each story went (page, slot, rectangle, as a whole or in two parts),
 * what was held over (留稿) and why, how full each page is, what was measured and how long each
 * stage took. For `--json`, and as lines an editor reads (formatPlan).
 */
import type { PagePlan } from '../config/schema.ts';
import { rects } from './emit.ts';
import type { Plan, Story } from './model.ts';
import { WEIGHT } from './pack.ts';
import type { SlotCheck } from './verify.ts';

export interface PlanReport {
  pages: {
    page: number;
    layout: string;
    section?: string;
    /** Share of the page's slot area filled with text (1 = every column to its foot), as laid out when checked. */
    fill: number;
    stories: { file: string; title: string; priority: number; slot: string; part: 'whole' | 'first' | 'rest'; column: number; columns: number; row: number; rows: number; range: [number, number] }[];
  }[];
  held: { file: string; title: string; priority: number; reason: string }[];
  jumps: { file: string; title: string; from: { page: number; slot: string }; to: { page: number; slot: string } }[];
  placed: number;
  stories: number;
  /** Placed stories weighted by priority (WEIGHT), of the docket's. */
  weight: { placed: number; docket: number };
  /** Slots the check found wrong and could not mend (the build reports them too). */
  problems: SlotCheck[];
  /** Hard rules the plan breaks (none, unless pins or the docket force it). */
  violations: string[];
  measured: { probed: number; layouts: number };
  evaluations: number;
  /** Rounds of laying the plan out, and the pages whose rows moved in each. */
  checks: { rounds: number; repaired: number[][] };
  timings: Record<string, number>;
}

export function planReport(x: {
  plan: Plan;
  stories: Story[];
  checks: SlotCheck[];
  violations: string[];
  timings: Record<string, number>;
  measured: { probed: number; layouts: number };
  evaluations: number;
  rounds: number;
  repaired: number[][];
  pages: PagePlan[];
}): PlanReport {
  const all = rects(x.plan);
  const pieces = x.plan.pages.flatMap((p) => p.bands.flatMap((b) => b.stacks.flatMap((s) => s.pieces)));
  const pages = x.plan.pages.map((p) => {
    const own = all.filter((r) => r.page === p.number);
    const area = own.reduce((a, r) => a + r.columns * r.rows, 0);
    const empty = own.reduce((a, r) => a + r.columns * r.rows * (x.checks.find((c) => c.page === r.page && c.slot === r.slot)?.empty ?? 0), 0);
    return {
      page: p.number,
      layout: p.layout,
      ...(p.section ? { section: p.section } : {}),
      fill: area ? Math.round((1 - empty / area) * 1000) / 1000 : 0,
      stories: own.map((r) => {
        const st = x.stories[r.story]!;
        const piece = pieces[all.indexOf(r)]!;
        return { file: st.file, title: st.title, priority: st.priority, slot: r.slot, part: r.part, column: r.column, columns: r.columns, row: r.row, rows: r.rows, range: piece.range };
      }),
    };
  });
  const placed = x.stories.filter((s) => all.some((r) => r.story === s.index));
  const weight = (ss: Story[]) => ss.reduce((a, s) => a + (WEIGHT[s.priority] ?? 0), 0);
  return {
    pages,
    held: x.plan.held.map((h) => ({ file: x.stories[h.story]!.file, title: x.stories[h.story]!.title, priority: x.stories[h.story]!.priority, reason: h.reason })),
    jumps: x.plan.jumps.map((j) => {
      const first = all.find((r) => r.story === j.story && r.part === 'first')!;
      const rest = all.find((r) => r.story === j.story && r.part === 'rest')!;
      return { file: x.stories[j.story]!.file, title: x.stories[j.story]!.title, from: { page: first.page, slot: first.slot }, to: { page: rest.page, slot: rest.slot } };
    }),
    placed: placed.length,
    stories: x.stories.length,
    weight: { placed: weight(placed), docket: weight(x.stories) },
    problems: x.checks.filter((c) => c.problem),
    violations: x.violations,
    measured: x.measured,
    evaluations: x.evaluations,
    checks: { rounds: x.rounds, repaired: x.repaired },
    timings: x.timings,
  };
}

/** The report as lines for the terminal. */
export function formatPlan(r: PlanReport): string {
  const lines = [`plan: ${r.pages.length} page${r.pages.length === 1 ? '' : 's'}, ${r.placed} of ${r.stories} stories placed (priority-weighted ${Math.round((r.weight.placed / Math.max(1, r.weight.docket)) * 100)}%), ${r.jumps.length} continued, ${r.held.length} held over`];
  for (const p of r.pages) {
    lines.push(`  page ${p.page} (${p.layout}${p.section ? `, ${p.section}` : ''}), ${Math.round(p.fill * 100)}% full:`);
    for (const s of p.stories) {
      const part = s.part === 'first' ? ', continues' : s.part === 'rest' ? ', continued' : '';
      lines.push(`    ${s.slot.padEnd(5)} ${s.file} (priority ${s.priority}${part}): columns ${s.column}-${s.column + s.columns - 1}, rows ${s.row}-${s.row + s.rows - 1} «${s.title}»`);
    }
  }
  for (const h of r.held) lines.push(`  held over: ${h.file} (priority ${h.priority}) «${h.title}»: ${h.reason}`);
  for (const v of r.violations) lines.push(`  rule broken: ${v}`);
  return `${lines.join('\n')}\n`;
}
