/**
 * A tagged PDF's structure tree (ISO 32000-1 §14.7), read with pdf-lib: each element with its role
 * (through the RoleMap to a standard one), its Alt text and the text of the marked content it
 * points at (MCIDs on its pages, read from the content streams by content.ts). The tree in
 * document order is the reading order a screen reader follows.
 */
import { readFileSync } from 'node:fs';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import { readContent } from './content.ts';

export interface StructNode {
  /** The standard role (H1, P, Figure, …); `raw` is the role as written. */
  role: string;
  raw: string;
  alt?: string;
  /** The text of this element's own marked content (not its children's). */
  text: string;
  kids: StructNode[];
}

export async function readStructure(pdf: string): Promise<StructNode | undefined> {
  const doc = await PDFDocument.load(readFileSync(pdf), { updateMetadata: false });
  const ctx = doc.context;
  const look = (o: PDFObject | undefined): PDFObject | undefined => (o instanceof PDFRef ? ctx.lookup(o) : o);
  const root = look(doc.catalog.get(PDFName.of('StructTreeRoot')));
  if (!(root instanceof PDFDict)) return undefined;
  const roleMap = look(root.get(PDFName.of('RoleMap')));
  const standard = (role: string): string => {
    const mapped = roleMap instanceof PDFDict ? look(roleMap.get(PDFName.of(role))) : undefined;
    return mapped instanceof PDFName && mapped.decodeText() !== role ? standard(mapped.decodeText()) : role;
  };
  const pageIndex = new Map(doc.getPages().map((p, i) => [p.ref.toString(), i]));
  // The text of each MCID, page by page.
  const content = await readContent(pdf);
  const text = content.map((p) => {
    const m = new Map<number, string>();
    for (const g of p.glyphs) if (g.mcid !== undefined) m.set(g.mcid, (m.get(g.mcid) ?? '') + g.char);
    return m;
  });
  const str = (o: PDFObject | undefined) => {
    const v = look(o);
    return v instanceof PDFString || v instanceof PDFHexString ? v.decodeText() : undefined;
  };

  const walk = (o: PDFObject | undefined, page: number | undefined): StructNode[] => {
    const v = look(o);
    if (v instanceof PDFArray) return v.asArray().flatMap((k) => walk(k, page));
    if (!(v instanceof PDFDict)) return [];
    const pg = v.get(PDFName.of('Pg'));
    const here = pg instanceof PDFRef ? pageIndex.get(pg.toString()) : page;
    const type = look(v.get(PDFName.of('Type')));
    if (type instanceof PDFName && type.decodeText() === 'MCR') {
      const id = (look(v.get(PDFName.of('MCID'))) as PDFNumber).asNumber();
      return [{ role: 'MCR', raw: 'MCR', text: here === undefined ? '' : (text[here]?.get(id) ?? ''), kids: [] }];
    }
    if (type instanceof PDFName && type.decodeText() === 'OBJR') return [];
    const s = look(v.get(PDFName.of('S')));
    const raw = s instanceof PDFName ? s.decodeText() : '?';
    const node: StructNode = { role: standard(raw), raw, alt: str(v.get(PDFName.of('Alt'))), text: '', kids: [] };
    const k = look(v.get(PDFName.of('K')));
    for (const kid of k instanceof PDFArray ? k.asArray() : k ? [k] : []) {
      const kv = look(kid);
      if (kv instanceof PDFNumber) node.text += here === undefined ? '' : (text[here]?.get(kv.asNumber()) ?? '');
      else for (const n of walk(kid, here)) (n.role === 'MCR' ? (node.text += n.text) : node.kids.push(n));
    }
    return [node];
  };
  return { role: 'StructTreeRoot', raw: 'StructTreeRoot', text: '', kids: walk(root.get(PDFName.of('K')), undefined) };
}

/** Every element in document order (the reading order), depth first. */
export function flatten(node: StructNode): StructNode[] {
  return [node, ...node.kids.flatMap(flatten)];
}

/** All the text under an element, in reading order. */
export function textOf(node: StructNode): string {
  return node.text + node.kids.map(textOf).join('');
}
