/**
 * Joins PDFs printed separately (e.g. page ranges printed in parallel) into one, pages in order.
 *
 * Kept: every page as printed — its content, resources, annotations and boxes (inherited
 * MediaBox/CropBox/Rotate/Resources are copied onto the page) — and the named destinations of the
 * catalog's /Dests dictionary, which is where Chromium puts the targets of `#id` links. Merged into
 * one dictionary, they also make links work across parts (a link printed in one part to an id
 * printed in another); when two parts define the same name, the first part wins.
 *
 * Not kept: document-level data — Info, XMP, outline, /Lang (postprocess writes those) — and the
 * tagged-PDF structure tree, which cannot be joined by copying pages (the pages' /StructParents
 * then point nowhere, which viewers ignore). The result is deterministic: no dates, no ids.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, ParseSpeeds, type PDFObject } from 'pdf-lib';
import { PaibanError } from '../errors.ts';
import { savePdf } from './postprocess.ts';

const DESTS = PDFName.of('Dests');
const D = PDFName.of('D');

/** Concatenates the pages of `parts`, in order, into a new PDF. */
export async function mergePdfs(parts: (Uint8Array | PDFDocument)[]): Promise<Uint8Array> {
  return savePdf(await mergeDocuments(parts));
}

/** Concatenates the pages of `parts` (printed bytes, or documents already parsed) into a new document, not yet written. */
export async function mergeDocuments(parts: (Uint8Array | PDFDocument)[]): Promise<PDFDocument> {
  if (parts.length === 0) throw new PaibanError('OutputFailed', 'no PDF to merge: the list of printed parts is empty');
  // updateMetadata: false — no Producer/Creator/dates from the clock (see postprocess.ts).
  const out = await PDFDocument.create({ updateMetadata: false });
  const dests = new Map<string, PDFArray>();

  for (const [n, part] of parts.entries()) {
    let src: PDFDocument;
    try {
      src = part instanceof PDFDocument ? part : await PDFDocument.load(part, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
    } catch (cause) {
      throw new PaibanError('OutputFailed', `printed part ${n + 1} of ${parts.length} is not a readable PDF`, { cause });
    }
    const srcPages = src.getPages();
    // One copyPages call per part: objects shared between its pages (fonts, images) are copied once.
    const copied = await out.copyPages(src, srcPages.map((_, i) => i));
    const pageMap = new Map<PDFRef, PDFRef>();
    copied.forEach((page, i) => {
      out.addPage(page);
      pageMap.set(srcPages[i]!.ref, page.ref);
    });
    collectDests(src, out, pageMap, dests);
  }

  if (dests.size > 0) {
    const dict = out.context.obj({}) as PDFDict;
    for (const name of [...dests.keys()].sort()) dict.set(PDFName.of(name), dests.get(name)!);
    out.catalog.set(DESTS, out.context.register(dict));
  }
  return out;
}

/**
 * Adds the named destinations of `src` to `into`, rewritten to point at the copied pages. A
 * destination is an array `[page /XYZ left top zoom]` (or a dictionary whose /D is one); those
 * whose page was not copied, or that hold other indirect objects, are left out.
 */
function collectDests(src: PDFDocument, out: PDFDocument, pageMap: Map<PDFRef, PDFRef>, into: Map<string, PDFArray>): void {
  const table = src.catalog.lookupMaybe(DESTS, PDFDict);
  if (!table) return;
  for (const [key, value] of table.entries()) {
    const name = key.decodeText();
    if (into.has(name)) continue;
    let dest: PDFObject | undefined = src.context.lookup(value);
    if (dest instanceof PDFDict) dest = src.context.lookup(dest.get(D));
    if (!(dest instanceof PDFArray) || dest.size() === 0) continue;
    const items = dest.asArray();
    const page = items[0] instanceof PDFRef ? pageMap.get(items[0]) : undefined;
    if (!page || items.slice(1).some((o) => o instanceof PDFRef)) continue;
    // Names, numbers and null are plain values, safe to share between documents.
    into.set(name, out.context.obj([page, ...items.slice(1)]));
  }
}
