/**
 * The functions paiban runs inside the laid-out pages (slot passes, measuring), sent to the browser
 * as source: one script that puts them all on one object, PB, then calls one. Each is a plain
 * top-level function of its module, without imports or module state, and calls the others as
 * PB.name (their modules declare PB with the types they use): a bundler may rename a function, never
 * a property. tsx/esbuild wraps named functions in __name(): the page defines it.
 */
import { columnShortfalls, copyfitBody, fitArticle, largest, photoRange, setPhotoDepth } from './fit.ts';
import { columnUnits, FEATHER, levelColumns, partition } from './columns.ts';
import { breakAllowed, CLOSING_MARKS, jumpArticle, OPENING_MARKS } from './jumps.ts';
import { clippedParts, hiddenIn, measurePages, measureSlot } from './measure.ts';
import { slotPass } from './slots.ts';
import { dropFirst, keepFirst, nextOutside, overflows, pruneEmpty, textNodes, textOf } from './text-dom.ts';

const FUNCTIONS = { textNodes, textOf, keepFirst, dropFirst, nextOutside, pruneEmpty, overflows, photoRange, setPhotoDepth, largest, columnShortfalls, columnUnits, partition, levelColumns, copyfitBody, fitArticle, breakAllowed, jumpArticle, slotPass, hiddenIn, clippedParts, measureSlot, measurePages };

/** The library's source: PB with every function, and the constants they read. */
export const PAGE_LIB = [
  'globalThis.__name = globalThis.__name || ((f) => f);',
  `var PB = ${JSON.stringify({ CLOSING_MARKS, OPENING_MARKS, FEATHER })};`,
  ...Object.entries(FUNCTIONS).map(([name, f]) => `PB.${name} = (${f.toString()});`),
].join('\n');

/** A script that declares the library and returns `PB.fn(arg)`: for page.evaluate, or a page's own script. */
export function callInPage(fn: 'slotPass' | 'measurePages', arg?: unknown): string {
  return `(() => {\n${PAGE_LIB}\nreturn PB.${fn}(${arg === undefined ? '' : JSON.stringify(arg)});\n})()`;
}
