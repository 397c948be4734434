/**
 * Check the page plan of edition.yaml against the template: layouts and slots must exist, a slot
 * takes at most one article, fixed layouts need a slot for each article, continue targets must
 * be slots of later pages. Errors point at the line in edition.yaml.
 */
import { PaibanError, PaibanErrors } from '../errors.ts';
import type { LoadedEdition } from '../load/edition.ts';
import type { Template } from './template.ts';

export function checkPlan(edition: LoadedEdition, template: Template): void {
  const errors: PaibanError[] = [];
  const at = (p: PropertyKey[]) => ({ file: 'edition.yaml', ...edition.locate(p) });
  const layouts = template.meta.layouts;
  const taken = new Set<string>();
  const pages = edition.config.pages;
  pages.forEach((page, pi) => {
    const layout = layouts[page.layout];
    if (!layout) {
      errors.push(new PaibanError('LayoutUnknown', `page ${pi + 1}: unknown layout "${page.layout}"`, { where: at(['pages', pi, 'layout']), hint: `use one of: ${Object.keys(layouts).join(', ')} (see templates/${template.meta.name}/README.md)` }));
      return;
    }
    page.articles.forEach((a, ai) => {
      if (!layout.fixed) {
        if (a.slot) errors.push(new PaibanError('SlotUnknown', `page ${pi + 1}: layout "${page.layout}" flows its articles and has no slots, but "${a.file}" asks for slot "${a.slot}"`, { where: at(['pages', pi, 'articles', ai, 'slot']), hint: 'remove slot:, or choose a layout with slots' }));
        return;
      }
      if (!a.slot) {
        errors.push(new PaibanError('SlotUnknown', `page ${pi + 1}: "${a.file}" needs a slot on layout "${page.layout}"`, { where: at(['pages', pi, 'articles', ai]), hint: `add slot: one of ${Object.keys(layout.slots).join(', ')}` }));
        return;
      }
      if (!layout.slots[a.slot]) {
        errors.push(new PaibanError('SlotUnknown', `page ${pi + 1}: layout "${page.layout}" has no slot "${a.slot}"`, { where: at(['pages', pi, 'articles', ai, 'slot']), hint: `use one of: ${Object.keys(layout.slots).join(', ')}` }));
        return;
      }
      claim(pi, a.slot, at(['pages', pi, 'articles', ai, 'slot']));
      if (a.continue) {
        const target = pages[a.continue.page - 1];
        const tl = target && layouts[target.layout];
        const where = at(['pages', pi, 'articles', ai, 'continue']);
        if (!target || a.continue.page - 1 <= pi) {
          errors.push(new PaibanError('EditionInvalid', `continue: page ${a.continue.page} must be a later page of this edition`, { where, hint: `pages are counted from 1; this edition has ${pages.length}` }));
        } else if (!tl?.fixed || !tl.slots[a.continue.slot]) {
          errors.push(new PaibanError('SlotUnknown', `continue: page ${a.continue.page} (layout "${target.layout}") has no slot "${a.continue.slot}"`, { where, hint: tl?.fixed ? `use one of: ${Object.keys(tl.slots).join(', ')}` : 'continue into a page whose layout has slots' }));
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
}
