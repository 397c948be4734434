/**
 * The PDF side of native print (layout/native.ts): where the targets landed, read from the named
 * destinations Chromium wrote, and soft hyphens taken out of the text. Loaded only once there is
 * a PDF: pdf-lib takes about 0.15 s to import.
 */
import { promisify } from 'node:util';
import { deflate, inflate } from 'node:zlib';
import { ParseSpeeds, PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFRef } from 'pdf-lib';

const inflateAsync = promisify(inflate);
const deflateAsync = promisify(deflate);

/**
 * Chromium's PDF parsed, with soft hyphens out of its text and the targets' destinations removed
 * (not written again: the PDF stage finishes and writes it), and the page (1-based) each
 * destination pointed at.
 */
export async function cleanNativePdf(printed: Uint8Array): Promise<{ doc: PDFDocument; dests: Map<string, number>; pageCount: number }> {
  // As in src/pdf/postprocess.ts: no metadata stamped, no yielding to the event loop while parsing.
  const doc = await PDFDocument.load(printed, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
  const dests = readDestinations(doc);
  await cleanPdfText(doc);
  return { doc, dests, pageCount: doc.getPageCount() };
}

/** The page number (1-based) of every named destination in the PDF's catalog /Dests. */
export function readDestinations(doc: PDFDocument): Map<string, number> {
  const out = new Map<string, number>();
  const dests = doc.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict);
  if (!dests) return out;
  const pageOf = new Map(doc.getPages().map((p, i) => [p.ref.toString(), i + 1]));
  for (const [name, value] of dests.entries()) {
    const arr = value instanceof PDFRef ? doc.context.lookup(value) : value;
    const ref = arr instanceof PDFArray ? arr.get(0) : undefined;
    const page = ref instanceof PDFRef ? pageOf.get(ref.toString()) : undefined;
    if (page) out.set(name.decodeText(), page);
  }
  return out;
}

/** A marked-content span whose /ActualText (UTF-16BE hex with its byte-order mark) holds a soft hyphen, up to its EMC. */
const SHY_SPAN = /\/Span\s*<<\s*\/ActualText\s*<feff((?:[0-9a-f]{4})*?00ad(?:[0-9a-f]{4})*)>\s*>>\s*BDC(\s[\s\S]*?)EMC/gi;
/** One glyph shown in such a span: an optional move, then a hex string shown with Tj. */
const GLYPH_SHOW = /(?:[-\d.]+\s+[-\d.]+\s+Td\s+)?<[0-9a-f]*>\s*Tj/gi;

/**
 * The span without its soft hyphens' text. A span of soft hyphens alone gets an empty ActualText.
 * A ligature that took soft hyphens in (f·f·i) draws their (empty) glyphs after its own: those
 * move into a span of their own with an empty ActualText, so that a text extractor spreads the
 * ligature's letters over the ligature alone and does not run them into the next glyph.
 */
export function withoutSoftHyphens(hex: string, body: string): { span: string; removed: number } {
  const units = hex.toLowerCase().match(/[0-9a-f]{4}/g)!;
  const kept = units.filter((u) => u !== '00ad');
  const removed = units.length - kept.length;
  const shows = body.match(GLYPH_SHOW) ?? [];
  if (kept.length === 0 || shows.length <= removed) return { span: `/Span<</ActualText <feff${kept.join('')}> >> BDC${body}EMC`, removed };
  const cut = body.lastIndexOf(shows[shows.length - removed]!);
  return { span: `/Span<</ActualText <feff${kept.join('')}> >> BDC${body.slice(0, cut)}EMC\n/Span<</ActualText <feff> >> BDC\n${body.slice(cut)}EMC`, removed };
}

/**
 * Empty the `/ActualText <FEFF00AD>` marks Chromium puts on soft hyphens (see the module comment),
 * and drop the named destinations of the targets. Returns how many soft hyphens were emptied.
 */
export async function cleanPdfText(doc: PDFDocument): Promise<number> {
  let emptied = 0;
  const streams = doc.getPages().flatMap((page) => {
    const contents = page.node.get(PDFName.of('Contents'));
    return (contents instanceof PDFArray ? contents.asArray() : [contents]).filter((r): r is PDFRef => r instanceof PDFRef);
  });
  // zlib's async calls run on libuv's thread pool: the streams are inflated and deflated in parallel.
  await Promise.all(
    streams.map(async (ref) => {
      const stream = doc.context.lookup(ref);
      if (!(stream instanceof PDFRawStream)) return;
      const filter = stream.dict.get(PDFName.of('Filter'));
      const flate = filter === PDFName.of('FlateDecode');
      if (filter && !flate) return;
      const raw = Buffer.from(stream.contents);
      const text = (flate ? await inflateAsync(raw) : raw).toString('latin1');
      if (!/00ad/i.test(text)) return;
      const fixed = text.replace(SHY_SPAN, (_, hex: string, body: string) => {
        const { span, removed } = withoutSoftHyphens(hex, body);
        emptied += removed;
        return span;
      });
      if (fixed === text) return;
      const bytes = Buffer.from(fixed, 'latin1');
      const body = flate ? await deflateAsync(bytes) : bytes;
      const dict = stream.dict.clone(doc.context);
      dict.set(PDFName.of('Length'), PDFNumber.of(body.length));
      doc.context.assign(ref, PDFRawStream.of(dict, body));
    }),
  );
  doc.catalog.delete(PDFName.of('Dests'));
  return emptied;
}

