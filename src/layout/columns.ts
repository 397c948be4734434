/**
 * In-page: level column bottoms inside a slot (see page-lib.ts for how it runs). A browser fills
 * balanced columns one after the other, all but the last to the same depth: a story whose lines do
 * not divide evenly ends with a short last column, a hole at the foot of its slot. A compositor
 * spreads the lines instead: every column ends within a line of the foot. Here the body's content
 * is read as units in reading order (each line of a paragraph; each other block whole), split into
 * as many runs as there are columns so that the shortest run is as deep as it can be, and each run
 * starts a column (`break-before: column`; a paragraph cut between two lines goes on as a paragraph
 * of its own without indent). What a column still lacks is shared out between its paragraphs
 * (feathering, within a limit). Nothing moves when that does not make the bottoms more even.
 */
import type { overflows, textNodes } from './text-dom.ts';

declare const PB: { overflows: typeof overflows; textNodes: typeof textNodes; columnUnits: typeof columnUnits; partition: typeof partition; FEATHER: number };

export interface Unit {
  /** Height in CSS px, margins included for blocks. */
  height: number;
  /** No column may start here: after a subhead (break-after: avoid), or inside a word (a line broken at a hyphen). */
  noStart?: boolean;
  /** Its top margin, which a column starting with it leaves out. */
  lead?: number;
  /** A block that starts here (units of a paragraph's first line, and blocks), or the line's first character. */
  block?: HTMLElement;
  at?: { node: Text; offset: number };
}

/** The body's content as units in reading order: lines of paragraphs, other blocks whole. */
export function columnUnits(body: HTMLElement): Unit[] | undefined {
  const units: Unit[] = [];
  const range = document.createRange();
  for (const el of Array.from(body.children) as HTMLElement[]) {
    const cs = getComputedStyle(el);
    const margins = parseFloat(cs.marginTop) + parseFloat(cs.marginBottom);
    if (!el.matches('p') || el.querySelector('img, figure, br')) {
      units.push({ height: el.getBoundingClientRect().height + margins, block: el, lead: parseFloat(cs.marginTop) || 0, noStart: !!units.length && afterSubhead(units) });
      continue;
    }
    const line = parseFloat(cs.lineHeight);
    if (!line) return undefined;
    let last: DOMRect | undefined;
    let first = true;
    for (const t of PB.textNodes(el)) {
      for (let i = 0; i < t.data.length; i++) {
        if (/\s/.test(t.data[i]!)) continue;
        range.setStart(t, i);
        range.setEnd(t, i + 1);
        const r = range.getClientRects()[0];
        if (!r || r.width === 0) continue;
        // A new line: another line top (lower, or higher in the next column), or back to the left.
        if (!last || Math.abs(r.top - last.top) > line / 2 || r.left < last.left - 0.5) {
          // A line that starts inside a word (its line before ends in a hyphen) cannot start a column:
          // as a paragraph of its own, the part before would lose the hyphen.
          const inWord = i > 0 && /[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\u00ad-]/u.test(t.data[i - 1]!);
          units.push(first ? { height: line, block: el, noStart: afterSubhead(units) } : { height: line, at: { node: t, offset: i }, noStart: inWord });
          first = false;
        }
        last = r;
      }
    }
  }
  return units;

  function afterSubhead(us: Unit[]): boolean {
    const prev = us[us.length - 1]?.block;
    return !!prev && getComputedStyle(prev).breakAfter === 'avoid';
  }
}

/**
 * Cut units into `n` runs of consecutive units, each at most `depth` deep, as even as the units
 * allow: run c ends at the unit boundary nearest to c/n of the whole depth, never before a unit
 * that cannot start a column. The indices where runs
 * 2…n start, or undefined when no such cut keeps every run within `depth`.
 */
export function partition(heights: number[], n: number, depth: number, noStart: boolean[] = [], lead: number[] = []): number[] | undefined {
  const sums = [0];
  for (const h of heights) sums.push(sums[sums.length - 1]! + h);
  const total = sums[heights.length]!;
  /** The depth of units [a, b) set at the top of a column (the first one's top margin left out). */
  const run = (a: number, b: number) => sums[b]! - sums[a]! - (a > 0 ? (lead[a] ?? 0) : 0);
  const starts: number[] = [];
  let prev = 0;
  for (let c = 1; c < n; c++) {
    const target = (c * total) / n;
    let best = -1;
    for (let i = prev + 1; i < heights.length; i++) {
      if (run(prev, i) > depth + 0.5) break;
      if (run(i, heights.length) > (n - c) * depth + 0.5 || noStart[i]) continue;
      if (best < 0 || Math.abs(sums[i]! - target) < Math.abs(sums[best]! - target)) best = i;
    }
    if (best < 0) return undefined;
    starts.push(best);
    prev = best;
  }
  return run(prev, heights.length) <= depth + 0.5 ? starts : undefined;
}

/** The most space feathering adds before a paragraph, in lines. */
export const FEATHER = 0.5;

/**
 * Spread the body's lines over its columns so their bottoms are level, then feather: what a column
 * still lacks at its foot is shared out as space before its paragraphs (at most FEATHER of a line
 * each), as a compositor justifies columns vertically. Whether anything moved.
 */
export function levelColumns(body: HTMLElement, shortfalls: (b: HTMLElement) => number[], wholeParagraphs = false): boolean {
  const cs = getComputedStyle(body);
  const n = Number(cs.columnCount) || 1;
  const line = parseFloat(cs.lineHeight) || 16;
  const before = shortfalls(body);
  if (n < 2 || PB.overflows(body) || Math.max(...before) <= line * 1.5) return false;
  const units = PB.columnUnits(body);
  // The body's depth as laid out: clientHeight is rounded to whole pixels, and a column of lines
  // that fills its fractional depth to within that rounding would count as too deep.
  const starts = units && PB.partition(units.map((u) => u.height), n, body.getBoundingClientRect().height, units.map((u) => !!u.noStart || (wholeParagraphs && !!u.at)), units.map((u) => u.lead ?? 0));
  if (!units || !starts) return false;
  const saved = body.innerHTML;
  // From the last cut to the first: a split moves the characters after it, never those before.
  for (const i of [...starts].reverse()) {
    const u = units[i]!;
    if (u.block) {
      u.block.style.breakBefore = 'column';
      continue;
    }
    const { node, offset } = u.at!;
    const para = node.parentElement!.closest('p')!;
    const cut = document.createRange();
    cut.setStart(node, offset);
    cut.setEndAfter(para.lastChild!);
    const rest = para.cloneNode(false) as HTMLElement;
    rest.removeAttribute('id');
    rest.append(cut.extractContents());
    rest.classList.add('pb-cont-para');
    rest.style.breakBefore = 'column';
    para.classList.add('pb-cut-para');
    para.after(rest);
  }
  // Each column now holds one run: its paragraphs (but the first) share what it lacks at its foot.
  const short = shortfalls(body);
  [0, ...starts].forEach((from, c) => {
    const to = starts[c] ?? units.length;
    const paras = units.slice(from + 1, to).flatMap((u) => (u.block?.matches('p') ? [u.block] : []));
    const each = Math.min(PB.FEATHER * line, (short[c] ?? 0) / Math.max(1, paras.length) - 0.5);
    if (paras.length && each > 0.5) for (const p of paras) p.style.marginTop = `${each}px`;
  });
  const after = shortfalls(body);
  if (PB.overflows(body) || Math.max(...after) >= Math.max(...before) - line / 2) {
    body.innerHTML = saved;
    return false;
  }
  return true;
}
