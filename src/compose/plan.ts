/**
 * Check the page plan of edition.yaml against the template and resolve each fixed page's slots to
 * boxes on the grid (grid.ts): layouts and slots must exist, a slot takes at most one article, fixed
 * layouts need a slot for each article, continue targets must be slots of later pages, a page's own
 * `slots:` and `depths:` must leave boxes inside the grid that do not overlap. Errors point at the
 * line in edition.yaml.
 */
import { PaibanError, PaibanErrors } from '../errors.ts';
import { closest } from '../load/suggest.ts';
import type { LoadedEdition } from '../load/edition.ts';
import { absorbEmpty, applyDepths, checkRects, type GridSlot, type GridProblem } from './grid.ts';
import type { Template } from './template.ts';

export interface ResolvedPage {
  /** 1-based plan page. */
  number: number;
  layout: string;
  fixed: boolean;
  /** Filled slots with their boxes, empty ones absorbed (fixed pages; none on flow pages). */
  slots: GridSlot[];
  /** Empty slots no neighbour could take: holes in the page. */
  holes: GridSlot[];
}

/** The slots a page offers before anything is placed: its own `slots:`, else its layout's. */
export function pageSlots(template: Template, page: LoadedEdition['config']['pages'][number]): GridSlot[] {
  const layout = template.meta.layouts[page.layout];
  const own = page.slots ?? layout?.slots ?? {};
  return Object.entries(own).map(([name, s]) => ({
    name,
    column: s.column ?? 1,
    columns: s.columns,
    row: s.row ?? 1,
    rows: s.rows ?? 1,
    lead: s.lead ?? (name === 'lead' || name === 'top'),
  }));
}

export function checkPlan(edition: LoadedEdition, template: Template): ResolvedPage[] {
  const errors: PaibanError[] = [];
  const at = (p: PropertyKey[]) => ({ file: 'edition.yaml', ...edition.locate(p) });
  const layouts = template.meta.layouts;
  const grid = template.meta.grid;
  const taken = new Set<string>();
  const pages = edition.config.pages;
  const offered = pages.map((p) => new Set(pageSlots(template, p).map((s) => s.name)));
  const slotHint = (pi: number, typo?: string) => {
    const near = typo === undefined ? undefined : closest(typo, [...offered[pi]!]);
    return `${near ? `did you mean "${near}"? ` : ''}use one of: ${[...offered[pi]!].join(', ')}`;
  };
  pages.forEach((page, pi) => {
    const layout = layouts[page.layout];
    if (!layout) {
      errors.push(new PaibanError('LayoutUnknown', `page ${pi + 1}: unknown layout "${page.layout}"`, { where: at(['pages', pi, 'layout']), hint: `${didYouMean(page.layout, Object.keys(layouts))}use one of: ${Object.keys(layouts).join(', ')} (see templates/${template.meta.name}/README.md)` }));
      return;
    }
    if (!layout.fixed && (page.slots || page.depths)) {
      const field = page.slots ? 'slots' : 'depths';
      errors.push(new PaibanError('SlotUnknown', `page ${pi + 1}: layout "${page.layout}" flows its articles: ${field}: needs a layout of fixed pages`, { where: at(['pages', pi, field]), hint: 'remove it, or choose a layout with slots (e.g. front or feature)' }));
    }
    page.articles.forEach((a, ai) => {
      if (!layout.fixed) {
        if (a.slot) errors.push(new PaibanError('SlotUnknown', `page ${pi + 1}: layout "${page.layout}" flows its articles and has no slots, but "${a.file}" asks for slot "${a.slot}"`, { where: at(['pages', pi, 'articles', ai, 'slot']), hint: 'remove slot:, or choose a layout with slots' }));
        return;
      }
      if (!a.slot) {
        errors.push(new PaibanError('SlotUnknown', `page ${pi + 1}: "${a.file}" needs a slot on layout "${page.layout}"`, { where: at(['pages', pi, 'articles', ai]), hint: `add slot: one of ${[...offered[pi]!].join(', ')}` }));
        return;
      }
      if (!offered[pi]!.has(a.slot)) {
        errors.push(new PaibanError('SlotUnknown', `page ${pi + 1}: ${page.slots ? 'this page' : `layout "${page.layout}"`} has no slot "${a.slot}"`, { where: at(['pages', pi, 'articles', ai, 'slot']), hint: slotHint(pi, a.slot) }));
        return;
      }
      claim(pi, a.slot, at(['pages', pi, 'articles', ai, 'slot']));
      if (a.continue) {
        const target = pages[a.continue.page - 1];
        const tl = target && layouts[target.layout];
        const where = at(['pages', pi, 'articles', ai, 'continue']);
        if (!target || a.continue.page - 1 <= pi) {
          errors.push(new PaibanError('EditionInvalid', `continue: page ${a.continue.page} must be a later page of this edition`, { where, hint: `pages are counted from 1; this edition has ${pages.length}` }));
        } else if (!tl?.fixed || !offered[a.continue.page - 1]!.has(a.continue.slot)) {
          errors.push(new PaibanError('SlotUnknown', `continue: page ${a.continue.page} (layout "${target.layout}") has no slot "${a.continue.slot}"`, { where, hint: tl?.fixed ? slotHint(a.continue.page - 1, a.continue.slot) : 'continue into a page whose layout has slots' }));
        } else claim(a.continue.page - 1, a.continue.slot, where);
      }
    });
  });
  function claim(pi: number, slot: string, where: { file: string; line?: number }) {
    const key = `${pi}:${slot}`;
    if (taken.has(key)) errors.push(new PaibanError('SlotUnknown', `page ${pi + 1}: slot "${slot}" already holds an article`, { where, hint: 'a slot takes at most one article' }));
    taken.add(key);
  }
  if (errors.length) throw new PaibanErrors(errors);

  const resolved = pages.map((page, pi): ResolvedPage => {
    const fixed = layouts[page.layout]!.fixed;
    if (!fixed) return { number: pi + 1, layout: page.layout, fixed, slots: [], holes: [] };
    const problem = (p: GridProblem) => {
      const path = p.source === 'layout' ? ['pages', pi, 'layout'] : p.source === 'depths' ? ['pages', pi, 'depths', p.slot] : ['pages', pi, 'slots', p.slot];
      errors.push(new PaibanError('SlotUnknown', `page ${pi + 1}: ${p.message}`, { where: at(path), hint: p.hint }));
    };
    let slots = pageSlots(template, page);
    if (page.slots) checkRects(slots, grid, 'slots').forEach(problem);
    if (page.depths) {
      const d = applyDepths(slots, page.depths, grid);
      d.problems.forEach(problem);
      slots = d.slots;
    }
    const filled = new Set([...taken].filter((k) => k.startsWith(`${pi}:`)).map((k) => k.slice(String(pi).length + 1)));
    const { slots: boxes, holes } = absorbEmpty(slots, filled);
    return { number: pi + 1, layout: page.layout, fixed, slots: boxes, holes };
  });
  if (errors.length) throw new PaibanErrors(errors);
  return resolved;
}

function didYouMean(word: string, names: readonly string[]): string {
  const near = closest(word, names);
  return near ? `did you mean "${near}"? ` : '';
}
