/**
 * Turn slot measurements into diagnostics: every overset article (with the word "overset", the
 * page, the slot and how many lines over) and every clearly underset one. `strict` makes overset
 * an error, so the build exits 1.
 */
import type { ComposedDocument } from '../compose/compose.ts';
import type { Diagnostics } from '../diagnostics.ts';
import type { PageMeasure } from './measure.ts';
import type { SlotPassResult } from './slots.ts';

/** A slot whose text area is more than this share empty is reported as underset. */
export const UNDERSET_SHARE = 0.2;

export function reportSlots(measure: PageMeasure, pass: SlotPassResult, composed: ComposedDocument, diagnostics: Diagnostics, strict: boolean): void {
  const fileOf = (id: string) => composed.placements.find((p) => p.articleId === id)?.file ?? id;
  for (const c of pass.copyfit) {
    if (!c.fits) diagnostics.warn(fileOf(c.article), 'copyfit', 'copyfit: the article does not fit its slot even at the tightest leading and tracking (see the overset report)');
    else diagnostics.info(fileOf(c.article), 'copyfit', `copyfit: set at ${c.t > 0 ? '+' : ''}${c.t} of the range (leading and tracking)`);
  }
  for (const j of pass.jumps) diagnostics.info(fileOf(j.article), 'jump', `continued from page ${j.fromPage} to page ${j.toPage} after ${j.cutAt} characters`);
  for (const s of measure.slots) {
    const file = fileOf(s.article);
    if (s.hiddenChars > 0) {
      diagnostics.add({
        file,
        severity: strict ? 'error' : 'warning',
        rule: 'overset',
        message: `overset: about ${s.linesOver} line${s.linesOver === 1 ? '' : 's'} over (${s.hiddenChars} characters hidden) on page ${s.page}, slot "${s.slot}"; shorten the article, give it a bigger slot, or continue it on another page with continue:`,
      });
    } else if (s.emptyShare > UNDERSET_SHARE) {
      diagnostics.info(file, 'underset', `underset: ${Math.round(s.emptyShare * 100)}% of slot "${s.slot}" on page ${s.page} stays empty`);
    }
  }
}
