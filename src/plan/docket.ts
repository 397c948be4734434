/**
 * The planner's input from edition.yaml: the page budget under `plan:` checked against the template
 * (how many pages, each page's layout and section), and the docket under `articles:` as stories
 * (priority, section, jump, pins checked against the budget). Mistakes are errors at their line.
 */
import type { Template } from '../compose/template.ts';
import type { PlanPage } from '../config/schema.ts';
import { PaibanError, PaibanErrors } from '../errors.ts';
import type { LoadedEdition } from '../load/edition.ts';
import type { RenderedArticle } from '../model.ts';
import { frameKey, type FrameSpec } from './measure.ts';
import type { Story } from './model.ts';

export interface PlanSetup {
  pages: { layout: string; section?: string; frame: FrameSpec }[];
  /** Each page's section, banner, editor and credit, for the pages written. */
  options: PlanPage[];
  /** The distinct frames of the pages. */
  frames: FrameSpec[];
  jumps: boolean;
}

export function planPages(edition: LoadedEdition, template: Template): PlanSetup {
  const plan = edition.config.plan;
  const at = (p: PropertyKey[]) => ({ file: 'edition.yaml', ...edition.locate(p) });
  if (!plan) throw new PaibanError('EditionInvalid', 'planning needs a page budget: plan: { pages: N }', { where: at(['plan']), hint: 'add plan: { pages: 4 } (how many pages to fill)' });
  const errors: PaibanError[] = [];
  const planning = template.meta.planning;
  const allowed = plan.layouts ?? planning.layouts;
  const layouts = template.meta.layouts;
  for (const [i, l] of allowed.entries()) {
    if (!layouts[l]) errors.push(new PaibanError('LayoutUnknown', `plan: unknown layout "${l}"`, { where: at(plan.layouts ? ['plan', 'layouts', i] : ['plan']), hint: `use layouts of the template with slots: ${Object.entries(layouts).filter(([, x]) => x.fixed).map(([n]) => n).join(', ')}` }));
    else if (!layouts[l]!.fixed) errors.push(new PaibanError('LayoutUnknown', `plan: layout "${l}" flows its articles: pages are planned on layouts with a grid of slots`, { where: at(plan.layouts ? ['plan', 'layouts', i] : ['plan']), hint: `use ${Object.entries(layouts).filter(([, x]) => x.fixed).map(([n]) => n).join(' or ')}` }));
  }
  for (const split of planning.splits) {
    if (split.reduce((a, b) => a + b, 0) !== template.meta.grid.columns) {
      errors.push(new PaibanError('TemplateInvalid', `template planning.splits: [${split.join(', ')}] does not add up to the grid's ${template.meta.grid.columns} columns`, { where: { file: template.files[0] ?? 'template.yaml' }, hint: 'each split lists stack widths, left to right, that fill the grid' }));
    }
  }
  const count = typeof plan.pages === 'number' ? plan.pages : plan.pages.length;
  const options: PlanPage[] = typeof plan.pages === 'number' ? Array.from({ length: count }, () => ({})) : plan.pages;
  const pages = options.map((o, i) => {
    const layout = o.layout ?? (i === 0 ? allowed[0]! : (allowed[1] ?? allowed[0]!));
    if (o.layout && !allowed.includes(o.layout)) {
      errors.push(new PaibanError('LayoutUnknown', `plan: page ${i + 1} asks for layout "${o.layout}", which is not among the layouts planned on (${allowed.join(', ')})`, { where: at(['plan', 'pages', i, 'layout']), hint: `use one of: ${allowed.join(', ')}` }));
    }
    const frame: FrameSpec = { layout, ...(o.banner ? { banner: o.banner } : {}), ...(o.credit ? { credit: o.credit } : {}) };
    return { layout, ...(o.section ? { section: o.section } : {}), frame };
  });
  if (errors.length) throw new PaibanErrors(errors);
  const frames = [...new Map(pages.map((p) => [frameKey(p.frame), p.frame])).values()];
  return { pages, options, frames, jumps: plan.jumps };
}

/** The docket as stories, in its order; pins checked against the page budget and the current plan. */
export function docketStories(edition: LoadedEdition, articles: RenderedArticle[], setup: PlanSetup): Story[] {
  const docket = edition.config.articles ?? [];
  const at = (p: PropertyKey[]) => ({ file: 'edition.yaml', ...edition.locate(p) });
  const errors: PaibanError[] = [];
  const leads = new Map<number, number>();
  const stories = docket.map((d, i): Story => {
    const a = articles.find((x) => x.file === edition.docket[i]!.file)!;
    let pin: Story['pin'];
    if (d.slot && !d.page) errors.push(new PaibanError('EditionInvalid', `articles: ${d.file} pins a slot but not a page`, { where: at(['articles', i, 'slot']), hint: 'add page: N (the plan page the slot is on)' }));
    if (d.page) {
      if (d.page > setup.pages.length) errors.push(new PaibanError('EditionInvalid', `articles: ${d.file} is pinned to page ${d.page}, but plan: has ${setup.pages.length} page${setup.pages.length === 1 ? '' : 's'}`, { where: at(['articles', i, 'page']), hint: `pin it to a page from 1 to ${setup.pages.length}, or raise plan: pages` }));
      pin = { page: d.page };
      if (d.slot === 'lead') {
        if (leads.has(d.page)) errors.push(new PaibanError('EditionInvalid', `articles: ${d.file} and ${docket[leads.get(d.page)!]!.file} both lead page ${d.page}`, { where: at(['articles', i, 'slot']), hint: 'one story leads a page' }));
        leads.set(d.page, i);
        pin.slot = 'lead';
      } else if (d.slot) {
        // A slot of the page plan as written (paiban plan): the story keeps its width and depth.
        const current = edition.config.pages[d.page - 1]?.slots?.[d.slot];
        if (!current) {
          const names = Object.keys(edition.config.pages[d.page - 1]?.slots ?? {});
          errors.push(new PaibanError('SlotUnknown', `articles: ${d.file} is pinned to slot "${d.slot}" of page ${d.page}, which ${names.length ? `has no such slot (it has ${names.join(', ')})` : 'has no planned slots yet'}`, { where: at(['articles', i, 'slot']), hint: 'pin slot: lead (the page\'s lead story), or a slot of the pages: list paiban plan wrote' }));
        } else pin = { page: d.page, slot: d.slot, columns: current.columns, rows: current.rows };
      }
    }
    const wide = (a.html.match(/<figure class="figure wide[ "]/g) ?? []).length;
    return { index: i, id: a.id, file: d.file, title: a.front.title, priority: d.priority, ...(d.section ? { section: d.section } : {}), jump: d.jump, ...(pin ? { pin } : {}), photos: wide, chars: a.text.replace(/\s/g, '').length };
  });
  if (errors.length) throw new PaibanErrors(errors);
  return stories;
}

/** The story that leads page 1: pinned there as lead, else the most important (the first listed of those). */
export function leadStory(stories: Story[]): number {
  const pinned = stories.find((s) => s.pin?.page === 1 && s.pin.slot === 'lead');
  if (pinned) return pinned.index;
  return [...stories].sort((a, b) => a.priority - b.priority || a.index - b.index)[0]!.index;
}
