/**
 * The PDF stage from the printed file to the delivered one: post-processing (boxes, metadata,
 * outline, /ID), and for --pdfx / --pdfa a Ghostscript conversion in between.
 *
 *   printed ─ postprocess ─────────────────────────────────────────────▶ PDF
 *   printed ─ drop Info ─ Ghostscript (PDF/X-3, PDF/A-2b) ─ postprocess(conformance) ─▶ PDF
 *
 * The Info dictionary is dropped before Ghostscript because Ghostscript 10.0 discards the whole
 * DOCINFO when one string is not Latin ("Text string detected in DOCINFO cannot be represented in
 * XMP"), with a warning per key; the metadata is written afterwards by postprocess, with the XMP
 * identification (pdfaid, GTS_PDFXVersion) the standard asks for.
 */
import { PDFName } from 'pdf-lib';
import { ghostscript } from './ghostscript.ts';
import { loadPrinted, postprocess, savePdf, type ParsedPdf, type PostprocessInput } from './postprocess.ts';
import type { PdfConformance } from './xmp.ts';

export type { PdfConformance } from './xmp.ts';
export { checkGhostscript as checkConverter } from './ghostscript.ts';

export interface FinishInput extends PostprocessInput {
  /** Convert to PDF/X-3 (`pdfx`) or PDF/A-2b (`pdfa`) through Ghostscript. */
  standard?: PdfConformance;
}

export interface FinishResult {
  pdf: Uint8Array;
  /** Ghostscript's messages (conformance warnings); empty when clean or not run. */
  messages: string[];
  /** The converting tool, when one ran, e.g. `GPL Ghostscript 10.00.0`. */
  converter?: string;
}

export async function finishPdf(input: FinishInput): Promise<FinishResult> {
  const { standard, ...rest } = input;
  if (!standard) return { pdf: await postprocess(rest), messages: [] };
  const bare = await withoutInfo(input.pdf);
  const gs = await ghostscript(bare, standard, input.metadata.date);
  const pdf = await postprocess({
    ...rest,
    pdf: gs.pdf,
    conformance: standard,
    metadata: { ...rest.metadata, producer: `${rest.metadata.producer}; ${gs.version}` },
  });
  return { pdf, messages: gs.messages, converter: gs.version };
}

/** The PDF with no Info dictionary and no XMP: postprocess writes both afterwards. */
async function withoutInfo(pdf: Uint8Array | ParsedPdf): Promise<Uint8Array> {
  const doc = pdf instanceof Uint8Array ? await loadPrinted(pdf) : pdf.doc;
  delete doc.context.trailerInfo.Info;
  doc.catalog.delete(PDFName.of('Metadata'));
  return savePdf(doc);
}
