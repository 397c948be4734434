/**
 * Slots as rectangles on the page grid. A fixed layout's slots have definite boxes (template.yaml:
 * `{ column, columns, row, rows }` on `grid: { columns, rows }`); a page of edition.yaml may replace
 * them (`slots:`, what `paiban plan` writes) or move a slot's bottom edge (`depths:`). Content never
 * changes a box: text that does not fit continues or is overset.
 *
 * An empty slot gives its box to the filled slot right below it (else right above it) with exactly
 * its columns, as a newspaper runs the side column up when there is no photo; an empty slot without
 * such a neighbour is a hole in the page, which the build reports. Pure functions, no I/O.
 */
export interface Rect {
  column: number;
  columns: number;
  row: number;
  rows: number;
}

export interface GridSlot extends Rect {
  name: string;
  lead: boolean;
}

export interface GridSize {
  columns: number;
  rows: number;
}

/** A problem with a slot's box: `path` is where it was written (under the page, or the layout's slot). */
export interface GridProblem {
  slot: string;
  message: string;
  hint: string;
  /** 'depths' or 'slots': which field of the page the problem comes from; 'layout' for the template's. */
  source: 'depths' | 'slots' | 'layout';
}

const bottom = (r: Rect) => r.row + r.rows - 1;
const right = (r: Rect) => r.column + r.columns - 1;
const overlapsColumns = (a: Rect, b: Rect) => a.column <= right(b) && b.column <= right(a);
const overlapsRows = (a: Rect, b: Rect) => a.row <= bottom(b) && b.row <= bottom(a);

export function describe(r: Rect): string {
  const span = (from: number, n: number) => (n === 1 ? `${from}` : `${from}-${from + n - 1}`);
  return `columns ${span(r.column, r.columns)}, rows ${span(r.row, r.rows)}`;
}

/** Boxes inside the grid that do not overlap: problems otherwise. */
export function checkRects(slots: GridSlot[], grid: GridSize, source: GridProblem['source']): GridProblem[] {
  const problems: GridProblem[] = [];
  for (const s of slots) {
    if (right(s) > grid.columns || bottom(s) > grid.rows) {
      problems.push({ slot: s.name, source, message: `slot "${s.name}" (${describe(s)}) runs outside the grid of ${grid.columns} columns and ${grid.rows} rows`, hint: `keep column + columns - 1 ≤ ${grid.columns} and row + rows - 1 ≤ ${grid.rows}` });
    }
  }
  for (let i = 0; i < slots.length; i++) {
    for (let j = i + 1; j < slots.length; j++) {
      const [a, b] = [slots[i]!, slots[j]!];
      if (overlapsColumns(a, b) && overlapsRows(a, b)) {
        problems.push({ slot: b.name, source, message: `slots "${a.name}" (${describe(a)}) and "${b.name}" (${describe(b)}) overlap`, hint: 'give each slot its own rectangle of the grid' });
      }
    }
  }
  return problems;
}

/** Rows from a depth written in edition.yaml: a number of rows, or a share of the grid's rows. */
export function depthRows(depth: number | string, grid: GridSize): number {
  if (typeof depth === 'number') return depth;
  return Math.round((parseFloat(depth) / 100) * grid.rows);
}

/**
 * `depths: { lead: 13 }`: the slot's bottom edge moves, and so does the top edge of every slot that
 * starts right under it and shares a column with it (they keep their bottom edges).
 */
export function applyDepths(slots: GridSlot[], depths: Record<string, number | string>, grid: GridSize): { slots: GridSlot[]; problems: GridProblem[] } {
  const out = slots.map((s) => ({ ...s }));
  const problems: GridProblem[] = [];
  for (const [name, depth] of Object.entries(depths)) {
    const s = out.find((x) => x.name === name);
    if (!s) {
      problems.push({ slot: name, source: 'depths', message: `depths: this page has no slot "${name}"`, hint: `use one of: ${out.map((x) => x.name).join(', ')}` });
      continue;
    }
    const rows = depthRows(depth, grid);
    const delta = rows - s.rows;
    if (delta === 0) continue;
    const under = out.filter((x) => x !== s && x.row === bottom(s) + 1 && overlapsColumns(x, s));
    if (rows < 1 || bottom(s) + delta > grid.rows) {
      problems.push({ slot: name, source: 'depths', message: `depths: "${name}" cannot be ${rows} rows deep: it starts at row ${s.row} of ${grid.rows}`, hint: `give at most ${grid.rows - s.row + 1} rows` });
      continue;
    }
    if (!under.length) {
      problems.push({ slot: name, source: 'depths', message: `depths: nothing sits under "${name}" (${describe(s)}) to give or take its rows`, hint: 'set the depth of the slot above it instead, or give the page its own slots:' });
      continue;
    }
    const squeezed = under.find((x) => x.rows - delta < 1);
    if (squeezed) {
      problems.push({ slot: name, source: 'depths', message: `depths: "${name}" at ${rows} rows leaves no room for "${squeezed.name}" (${describe(squeezed)})`, hint: `give "${name}" at most ${s.rows + squeezed.rows - 1} rows` });
      continue;
    }
    s.rows = rows;
    for (const x of under) {
      x.row += delta;
      x.rows -= delta;
    }
  }
  return { slots: out, problems: problems.length ? problems : checkRects(out, grid, 'depths') };
}

/**
 * Empty slots give their boxes to a filled neighbour with exactly their columns (below first, then
 * above); the empty slots left over are holes in the page.
 */
export function absorbEmpty(slots: GridSlot[], filled: Set<string>): { slots: GridSlot[]; holes: GridSlot[] } {
  const out = slots.map((s) => ({ ...s }));
  let empty = slots.filter((s) => !filled.has(s.name));
  // Until nothing moves: a neighbour that took one empty slot may now touch the next (a stack of two).
  for (let moved = true; moved; ) {
    moved = false;
    for (const e of empty) {
      const same = (x: GridSlot) => filled.has(x.name) && x.column === e.column && x.columns === e.columns;
      const below = out.find((x) => same(x) && x.row === e.row + e.rows);
      const above = out.find((x) => same(x) && bottom(x) + 1 === e.row);
      if (below) {
        below.rows += below.row - e.row;
        below.row = e.row;
      } else if (above) above.rows = bottom(e) - above.row + 1;
      else continue;
      empty = empty.filter((x) => x !== e);
      moved = true;
    }
  }
  return { slots: out.filter((s) => filled.has(s.name)), holes: empty };
}

/** Whether a filled slot has a neighbour above it or to its left (a rule is drawn between them). */
export function neighbours(s: Rect, others: Rect[]): { above: boolean; left: boolean } {
  return {
    above: others.some((o) => o !== s && bottom(o) + 1 === s.row && overlapsColumns(o, s)),
    left: others.some((o) => o !== s && right(o) + 1 === s.column && overlapsRows(o, s)),
  };
}
