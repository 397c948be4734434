/**
 * A plan as the ordinary page plan of edition.yaml: each page its layout, its own `slots:`
 * (rectangles of the grid, in reading order: `lead` for page 1's lead story, then a, b, c, …) and
 * its articles by slot, copyfit on (`fit: auto`), a continued story with `continue: { page, slot }`.
 * What `paiban plan` writes and what a `pages: auto` build builds.
 */
import type { PagePlan, PlanPage } from '../config/schema.ts';
import type { Plan, Story } from './model.ts';

export interface PlacedRect {
  page: number;
  slot: string;
  story: number;
  part: 'whole' | 'first' | 'rest';
  column: number;
  columns: number;
  row: number;
  rows: number;
  lead: boolean;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** Every piece of the plan with its slot name and rectangle on the grid (1-based), in reading order. */
export function rects(plan: Plan): PlacedRect[] {
  const out: PlacedRect[] = [];
  for (const page of plan.pages) {
    let top = 1;
    let n = 0;
    for (const [bi, band] of page.bands.entries()) {
      let column = 1;
      for (const [si, stack] of band.stacks.entries()) {
        let row = top;
        for (const [pi, piece] of stack.pieces.entries()) {
          const lead = page.number === 1 && bi === 0 && si === 0 && pi === 0;
          out.push({ page: page.number, slot: lead ? 'lead' : LETTERS[n % 26]! + (n >= 26 ? String(Math.floor(n / 26)) : ''), story: piece.story, part: piece.part, column, columns: stack.columns, row, rows: piece.rows, lead });
          if (!lead) n++;
          row += piece.rows;
        }
        column += stack.columns;
      }
      top += band.rows;
    }
  }
  return out;
}

/** The plan as `pages:` entries; `options` are each page's section, banner, editor and credit from plan:. */
export function toPagePlans(plan: Plan, stories: Story[], options: PlanPage[]): PagePlan[] {
  const all = rects(plan);
  return plan.pages.map((page, i) => {
    const own = all.filter((r) => r.page === page.number);
    const opt = options[i] ?? {};
    const slots = Object.fromEntries(own.map((r) => [r.slot, { column: r.column, columns: r.columns, row: r.row, rows: r.rows, ...(r.lead ? { lead: true } : {}) }]));
    const articles = own
      .filter((r) => r.part !== 'rest')
      .map((r) => {
        const rest = r.part === 'first' ? all.find((x) => x.story === r.story && x.part === 'rest') : undefined;
        return {
          file: stories[r.story]!.file,
          slot: r.slot,
          fit: 'auto' as const,
          ...(rest ? { continue: { page: rest.page, slot: rest.slot } } : {}),
        };
      });
    return {
      layout: page.layout,
      ...(opt.section ?? page.section ? { section: opt.section ?? page.section } : {}),
      ...(opt.banner ? { banner: opt.banner } : {}),
      ...(opt.editor ? { editor: opt.editor } : {}),
      ...(opt.credit ? { credit: opt.credit } : {}),
      slots,
      articles,
    };
  });
}
