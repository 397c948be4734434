/**
 * PDF post-processing: turns the PDF Chromium printed (only a MediaBox per page, Chromium's own
 * Info dictionary with the clock's dates) into the print deliverable — page boxes for the press,
 * document metadata (Info + XMP), bookmarks and a trailer /ID — deterministically: the same input
 * gives the same bytes, whatever the clock says.
 *
 * The PDF is parsed once and written once. Streams (content, fonts, images) are copied through
 * untouched; only the catalog, the Info dictionary, the page dictionaries and the new objects change.
 */
import { createHash } from 'node:crypto';
import { PDFArray, PDFDict, PDFDocument, PDFHeader, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, ParseSpeeds } from 'pdf-lib';
import { PaibanError } from '../errors.ts';
import { stableDigest } from './digest.ts';
import { checkPageSize, pageBoxes, rectFrom, type PageGeometry, type Rect } from './boxes.ts';
import { writeOutline, type OutlineEntry } from './outline.ts';
import { drawMarks } from './draw-marks.ts';
import { digestUuid, keywordString, PDFX_VERSION, xmpPacket, type PdfConformance, type PdfMetadata } from './xmp.ts';

export type { OutlineEntry } from './outline.ts';

/**
 * A printed PDF already parsed (and cleaned, or merged from several runs: src/layout/), with the
 * bytes Chromium printed, which name it in the trailer /ID.
 */
export interface ParsedPdf {
  printed: Uint8Array[];
  doc: PDFDocument;
}

export interface PostprocessInput {
  /** The PDF as printed by Chromium (page.pdf): only a MediaBox per page; or that PDF already parsed. */
  pdf: Uint8Array | ParsedPdf;
  /** Trimmed page size in points. */
  trim: { width: number; height: number };
  /** Bleed in points on every side (0 allowed). */
  bleed: number;
  /** Extra margin in points outside the bleed that holds crop marks (0 when none). */
  marks: number;
  metadata: PdfMetadata;
  /** Bookmarks; replace any outline in the printed PDF (an empty list leaves none). */
  outline: OutlineEntry[];
  /** The standard a Ghostscript-converted file claims: adds GTS_PDFXVersion/Trapped or pdfaid. */
  conformance?: PdfConformance;
}

export type { PdfMetadata };

/**
 * Sets the page boxes, metadata, outline and /ID of a printed PDF and returns the new file.
 * Throws a PaibanError (OutputFailed) when a page was not printed at trim + 2·(bleed + marks).
 */
export async function postprocess(input: PostprocessInput): Promise<Uint8Array> {
  const { metadata } = input;
  if (Number.isNaN(metadata.date.getTime())) throw new PaibanError('OutputFailed', 'the PDF metadata date is not a valid date');

  // updateMetadata: false — otherwise pdf-lib stamps Producer "pdf-lib (https://github.com/Hopding/pdf-lib)"
  // and ModDate (plus CreationDate/Creator when absent) with the current time on load.
  // ParseSpeeds.Fastest: do not yield to the event loop every 100 objects (a timer each time).
  const doc = input.pdf instanceof Uint8Array ? await loadPrinted(input.pdf) : input.pdf.doc;
  if (doc.getPageCount() === 0) throw new PaibanError('OutputFailed', 'the printed PDF has no pages');

  const pageTops = setPageBoxes(doc, { trim: input.trim, bleed: input.bleed, marks: input.marks });
  if (input.marks > 0) drawMarks(doc, { trim: input.trim, bleed: input.bleed, marks: input.marks });

  const digest = inputDigest(input);
  setInfo(doc, metadata, input.conformance);
  doc.setLanguage(metadata.language);
  doc.catalog.getOrCreateViewerPreferences().setDisplayDocTitle(true);
  setXmp(doc, metadata, digest, input.conformance);
  writeOutline(doc, input.outline, pageTops);

  // PDF/X-3:2003 is PDF 1.4 based; Ghostscript wrote 1.3 (see PDFX_VERSION).
  if (input.conformance === 'pdfx') doc.context.header = PDFHeader.forVersion(1, 4);

  // Trailer /ID: two identical strings (first = permanent, second = this version; a fresh file
  // has both the same), derived from the inputs so that they are reproducible.
  const id = Buffer.from(digest.subarray(0, 16)).toString('hex').toUpperCase();
  doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of(id), PDFHexString.of(id)]);

  // useObjectStreams: false — a classic xref table, as Chromium writes. Not needed for determinism
  // (pdf-lib's object streams are deterministic too, and qpdf --check passes on both) but for the
  // press: object and xref streams are PDF 1.5, which PDF/X-1a and PDF/X-3 (PDF 1.3/1.4 based)
  // forbid and older RIPs and preflight tools choke on; the cost is a few KB of uncompressed
  // dictionaries next to MBs of fonts and images. objectsPerTick: Infinity — no timer between
  // objects. No default page, no form appearances: nothing but what is asked.
  const bytes = await doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false, objectsPerTick: Infinity });
  return withVersion(bytes, doc.context.header.toString());
}

/**
 * pdf-lib always writes `%PDF-1.7`; the file keeps the version it was printed with (Chromium: 1.4;
 * PDF/X-3:2003: 1.4), which is what it uses. Same length: no offset moves.
 */
function withVersion(bytes: Uint8Array, header: string): Uint8Array {
  const want = /^%PDF-(\d)\.(\d)/.exec(header);
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, 8).toString('latin1');
  if (!want || !/^%PDF-\d\.\d$/.test(head)) return bytes;
  bytes.set(Buffer.from(`%PDF-${want[1]}.${want[2]}`, 'latin1'), 0);
  return bytes;
}

const BOX = {
  MediaBox: PDFName.of('MediaBox'),
  CropBox: PDFName.of('CropBox'),
  BleedBox: PDFName.of('BleedBox'),
  TrimBox: PDFName.of('TrimBox'),
  ArtBox: PDFName.of('ArtBox'),
};

/**
 * Checks each page's printed size and writes CropBox = MediaBox (as printed, numbers unchanged),
 * TrimBox and BleedBox. Returns the top edge of each page, for bookmark destinations.
 */
function setPageBoxes(doc: PDFDocument, g: PageGeometry): number[] {
  const ctx = doc.context;
  return doc.getPages().map((page, i) => {
    const node = page.node;
    const printed = node.MediaBox(); // inherited from the page tree when the page has none
    const nums = printed.asArray().map((_, k) => printed.lookup(k, PDFNumber).asNumber());
    const media = rectFrom(nums);
    checkPageSize(media, g, i + 1);
    const boxes = pageBoxes(media, g);
    const arr = (r: Rect): PDFArray => ctx.obj([r.x1, r.y1, r.x2, r.y2]);
    node.set(BOX.MediaBox, ctx.obj(nums));
    node.set(BOX.CropBox, ctx.obj(nums));
    node.set(BOX.BleedBox, arr(boxes.bleed));
    node.set(BOX.TrimBox, arr(boxes.trim));
    node.delete(BOX.ArtBox);
    return media.y2;
  });
}

/** Rewrites the Info dictionary: only our entries (Chromium's Creator is its user agent string). */
function setInfo(doc: PDFDocument, m: PdfMetadata, conformance?: PdfConformance): void {
  const ctx = doc.context;
  const found = ctx.lookup(ctx.trailerInfo.Info);
  const info = found instanceof PDFDict ? found : (ctx.obj({}) as PDFDict);
  for (const key of info.keys()) info.delete(key);
  if (info !== found) ctx.trailerInfo.Info = ctx.register(info);
  const put = (key: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') info.set(PDFName.of(key), PDFHexString.fromText(value));
  };
  put('Title', m.title);
  put('Author', m.author);
  put('Subject', m.subject);
  put('Keywords', keywordString(m.keywords));
  put('Creator', m.creator);
  put('Producer', m.producer);
  // PDFString.fromDate: D:YYYYMMDDHHmmSSZ in UTC (ISO 32000-1 §7.9.4 allows Z without an offset).
  info.set(PDFName.of('CreationDate'), PDFString.fromDate(m.date));
  info.set(PDFName.of('ModDate'), PDFString.fromDate(m.date));
  if (conformance === 'pdfx') {
    // ISO 15930-3 §6.7.5: the version key, and /Trapped True or False (paiban does not trap).
    info.set(PDFName.of('GTS_PDFXVersion'), PDFString.of(PDFX_VERSION));
    info.set(PDFName.of('Trapped'), PDFName.of('False'));
  }
}

/** Attaches the XMP packet to the catalog (uncompressed, as PDF/A and PDF/X ask), replacing any. */
function setXmp(doc: PDFDocument, m: PdfMetadata, digest: Uint8Array, conformance?: PdfConformance): void {
  const xml = xmpPacket({
    ...m,
    conformance,
    documentId: digestUuid('xmpMM:DocumentID', digest),
    instanceId: digestUuid('xmpMM:InstanceID', digest),
  });
  const stream = doc.context.stream(new TextEncoder().encode(xml), { Type: 'Metadata', Subtype: 'XML' });
  const key = PDFName.of('Metadata');
  const old = doc.catalog.get(key);
  if (old instanceof PDFRef) doc.context.assign(old, stream);
  else doc.catalog.set(key, doc.context.register(stream));
}

/**
 * sha256 of the printed PDF (less its clock stamps) and every option that shapes the output, in a fixed order (so that
 * objects built with their keys in another order give the same digest).
 */
function inputDigest(input: PostprocessInput): Uint8Array {
  const m = input.metadata;
  const outline = (list: readonly OutlineEntry[]): unknown[] =>
    list.map((e) => [e.title, e.pageIndex, e.open !== false, outline(e.children ?? [])]);
  const options = [
    'paiban/pdf/postprocess 1',
    [input.trim.width, input.trim.height, input.bleed, input.marks],
    [m.title, m.author, m.subject ?? null, m.keywords ?? [], m.language, m.creator, m.producer, m.date.toISOString()],
    outline(input.outline),
    input.conformance ?? null,
  ];
  // Masks the printer's clock-stamped dates and ids: the same page content gives the same /ID.
  const hash = createHash('sha256');
  for (const part of input.pdf instanceof Uint8Array ? [input.pdf] : input.pdf.printed) hash.update(stableDigest(part));
  return hash.update(JSON.stringify(options)).digest();
}

/** A printed PDF parsed (see postprocess for the options), or OutputFailed. */
export async function loadPrinted(bytes: Uint8Array): Promise<PDFDocument> {
  try {
    return await PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
  } catch (cause) {
    throw new PaibanError('OutputFailed', 'the PDF the browser printed cannot be read', { cause });
  }
}

/** A parsed PDF written out (a classic xref table, no timers: see postprocess). */
export function savePdf(doc: PDFDocument): Promise<Uint8Array> {
  return doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false, objectsPerTick: Infinity });
}
