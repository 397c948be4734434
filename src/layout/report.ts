/**
 * Turn what the slot pass did and what the measure found into diagnostics a layout editor acts on:
 * parts of an article that do not fit their slot (`slot-too-small`, an error: a headline cut in half
 * is never printed), overset text with the share of the article hidden, slots left partly empty
 * (`underset`, how much), holes where an empty slot has no neighbour to take its place, copyfit and
 * jumps. `--strict` turns the warnings about the printed page into errors (build.ts).
 */
import type { ComposedDocument } from '../compose/compose.ts';
import type { Diagnostics } from '../diagnostics.ts';
import type { PageMeasure, SlotMeasure } from './measure.ts';
import type { SlotPassResult } from './slots.ts';

/** A slot is underset when more than this many lines stay empty under its text. */
export const UNDERSET_LINES = 2;

const signed = (n: number) => `${n > 0 ? '+' : ''}${n}`;
const mm = (px: number) => Math.round((px * 25.4) / 96);
const pct = (a: number, b: number) => `${Math.max(a > 0 ? 1 : 0, Math.round((a / Math.max(1, b)) * 100))}%`;

export function reportSlots(measure: PageMeasure, pass: SlotPassResult, composed: ComposedDocument, diagnostics: Diagnostics): void {
  const fileOf = (id: string) => composed.placements.find((p) => p.articleId === id)?.file ?? id;
  for (const c of pass.copyfit) {
    if (!c.fits) diagnostics.warn(fileOf(c.article), 'copyfit', 'copyfit: the article does not fit its slot even at the tightest leading and tracking (see the overset report)');
    else diagnostics.info(fileOf(c.article), 'copyfit', `copyfit: set at ${signed(c.t)} of the range (leading and tracking)`);
  }
  for (const j of pass.jumps) diagnostics.info(fileOf(j.article), 'jump', `continued from page ${j.fromPage} to page ${j.toPage} after ${j.cutAt} of ${j.total} characters`);
  for (const s of measure.slots) reportSlot(s, fileOf(s.article), diagnostics);
  for (const h of composed.holes) {
    diagnostics.warn('edition.yaml', 'page-hole', `page ${h.page}: slot "${h.slot}" is empty and no slot with its columns is next to it to take its place: a hole in the page; place an article in it, or give the page its own slots:`);
  }
}

function reportSlot(s: SlotMeasure, file: string, diagnostics: Diagnostics): void {
  const where = `page ${s.page}, slot "${s.slot}" (${mm(s.box.width)} × ${mm(s.box.height)} mm)`;
  if (s.clipped.length) {
    const parts = s.clipped.map((c) => (c === 'text' ? 'text (no room is left for it)' : c)).join(', ');
    diagnostics.error(file, 'slot-too-small', `${where}: the ${parts} ${s.clipped.length > 1 ? 'do' : 'does'} not fit the slot; give the slot more rows (depths: { ${s.slot}: N } on the page in edition.yaml), or shorten the headline or deck, or place the article in a bigger slot`);
  }
  if (s.hiddenChars > 0) {
    const what = s.part === 'rest' ? 'of the continued text' : 'of the article';
    diagnostics.warn(file, 'overset', `overset: ${s.hiddenChars} of ${s.chars} characters ${what} (${pct(s.hiddenChars, s.chars)}) are hidden, about ${s.linesOver} line${s.linesOver === 1 ? '' : 's'} over, on ${where}; shorten the article, give it a bigger slot (depths:), or continue it on another page with continue:`);
  } else if (s.part !== 'first' && s.emptyDepth > UNDERSET_LINES * s.lineHeight) {
    const lines = Math.round(s.emptyDepth / s.lineHeight);
    diagnostics.warn(file, 'underset', `underset: text columns end up to ${mm(s.emptyDepth)} mm (about ${lines} line${lines === 1 ? '' : 's'}) above the foot on ${where}, ${pct(s.emptyShare * s.box.height, s.box.height)} of its text area empty; lengthen the article, set fit: auto, or give the slot fewer rows (depths:)`);
  }
}
