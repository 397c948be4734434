/**
 * Bookmarks (the document outline, ISO 32000-1 §12.3.3): one entry per page (第1版 特别报道) with
 * the page's articles as children. Titles are UTF-16BE with a BOM so Chinese shows in every viewer.
 */
import { PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, type PDFDocument } from 'pdf-lib';
import { PaibanError } from '../errors.ts';

export interface OutlineEntry {
  title: string;
  /** 0-based index of the page the entry goes to. */
  pageIndex: number;
  children?: OutlineEntry[];
  /** Whether the entry shows its children when the PDF is opened (default true). */
  open?: boolean;
}

const N = {
  Outlines: PDFName.of('Outlines'),
  Type: PDFName.of('Type'),
  Title: PDFName.of('Title'),
  Parent: PDFName.of('Parent'),
  Prev: PDFName.of('Prev'),
  Next: PDFName.of('Next'),
  First: PDFName.of('First'),
  Last: PDFName.of('Last'),
  Count: PDFName.of('Count'),
  Dest: PDFName.of('Dest'),
  XYZ: PDFName.of('XYZ'),
  PageMode: PDFName.of('PageMode'),
  UseOutlines: PDFName.of('UseOutlines'),
};

/**
 * Replaces the document's outline with `entries` (an empty list leaves none) and sets
 * `/PageMode /UseOutlines` when there is one, so viewers open with the bookmarks showing.
 * `pageTops[i]` is the top edge of page i (the upper y of its MediaBox).
 */
export function writeOutline(doc: PDFDocument, entries: readonly OutlineEntry[], pageTops: readonly number[]): void {
  const ctx = doc.context;
  const catalog = doc.catalog;
  removeOutline(doc);
  if (entries.length === 0) {
    if (catalog.get(N.PageMode) === N.UseOutlines) catalog.delete(N.PageMode);
    return;
  }
  const pageRefs = doc.getPages().map((p) => p.ref);

  /** Writes `list` as siblings under `parent`; returns their refs and how many items show when `parent` is open. */
  const addItems = (list: readonly OutlineEntry[], parent: PDFRef): { refs: PDFRef[]; visible: number } => {
    const refs = list.map(() => ctx.nextRef());
    let visible = 0;
    list.forEach((e, i) => {
      const page = pageRefs[e.pageIndex];
      if (!Number.isInteger(e.pageIndex) || page === undefined) {
        throw new PaibanError('OutputFailed', `bookmark "${e.title}" points to page index ${e.pageIndex}, but the PDF has ${pageRefs.length} pages`);
      }
      const item = ctx.obj({}) as PDFDict;
      item.set(N.Title, PDFHexString.fromText(cleanTitle(e.title)));
      item.set(N.Parent, parent);
      if (i > 0) item.set(N.Prev, refs[i - 1]!);
      if (i < list.length - 1) item.set(N.Next, refs[i + 1]!);
      // Top of the page at the current zoom. `/XYZ null null null` would leave the vertical
      // position to the viewer (Acrobat keeps the current one), so the top is given explicitly.
      item.set(N.Dest, ctx.obj([page, N.XYZ, null, pageTops[e.pageIndex] ?? null, null]));
      visible += 1;
      if (e.children && e.children.length > 0) {
        const kids = addItems(e.children, refs[i]!);
        const open = e.open !== false;
        item.set(N.First, kids.refs[0]!);
        item.set(N.Last, kids.refs[kids.refs.length - 1]!);
        // Open: the number of visible descendants; closed: minus the number shown when reopened.
        item.set(N.Count, PDFNumber.of(open ? kids.visible : -kids.visible));
        if (open) visible += kids.visible;
      }
      ctx.assign(refs[i]!, item);
    });
    return { refs, visible };
  };

  const rootRef = ctx.nextRef();
  const top = addItems(entries, rootRef);
  const root = ctx.obj({}) as PDFDict;
  root.set(N.Type, N.Outlines);
  root.set(N.First, top.refs[0]!);
  root.set(N.Last, top.refs[top.refs.length - 1]!);
  root.set(N.Count, PDFNumber.of(top.visible));
  ctx.assign(rootRef, root);
  catalog.set(N.Outlines, rootRef);
  catalog.set(N.PageMode, N.UseOutlines);
}

/** One line, no control characters: viewers show bookmark titles on a single row. */
export function cleanTitle(title: string): string {
  return title.replace(/[\u0000-\u001F\u007F\u2028\u2029\s]+/g, ' ').trim();
}

/** Drops an outline the printer may have written (Chromium can), objects included. */
function removeOutline(doc: PDFDocument): void {
  const ctx = doc.context;
  const rootRef = doc.catalog.get(N.Outlines);
  doc.catalog.delete(N.Outlines);
  if (!(rootRef instanceof PDFRef)) return;
  const seen = new Set<PDFRef>();
  const stack: PDFRef[] = [rootRef];
  while (stack.length > 0) {
    const ref = stack.pop()!;
    if (seen.has(ref)) continue;
    seen.add(ref);
    const dict = ctx.lookup(ref);
    if (dict instanceof PDFDict) {
      for (const key of [N.First, N.Next]) {
        const next = dict.get(key);
        if (next instanceof PDFRef) stack.push(next);
      }
    }
    ctx.delete(ref);
  }
}
