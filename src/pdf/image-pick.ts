/**
 * Two conversions of one PDF by Ghostscript that differ only in how images are compressed (JPEG,
 * lossless) have the same objects under the same numbers. Each image takes the smaller of its
 * two streams: a photo its JPEG, flat art or a smooth drawing its lossless pixels. When the two
 * files do not line up object for object, nothing is picked (the caller keeps the first).
 */
import { PDFDocument, PDFName, PDFNumber, PDFRawStream, type PDFDict, type PDFRef } from 'pdf-lib';

export async function smallerImages(first: Uint8Array, second: Uint8Array): Promise<Uint8Array | undefined> {
  const [a, b] = await Promise.all([first, second].map((bytes) => PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: false })));
  const objects = a!.context.enumerateIndirectObjects();
  if (objects.length !== b!.context.enumerateIndirectObjects().length) return undefined;
  const swaps: [PDFRef, PDFRawStream][] = [];
  for (const [ref, obj] of objects) {
    if (!isImage(obj)) continue;
    const other = b!.context.lookup(ref);
    if (!isImage(other) || !sameImage(obj.dict, other.dict)) return undefined;
    if (other.contents.length < obj.contents.length) swaps.push([ref, other]);
  }
  if (!swaps.length) return first;
  for (const [ref, stream] of swaps) a!.context.assign(ref, PDFRawStream.of(stream.dict.clone(a!.context), stream.contents));
  return a!.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
}

function isImage(o: unknown): o is PDFRawStream {
  return o instanceof PDFRawStream && o.dict.get(PDFName.of('Subtype')) === PDFName.of('Image');
}

/** The same picture: width, height and bits per component agree. */
function sameImage(x: PDFDict, y: PDFDict): boolean {
  const n = (d: PDFDict, k: string) => (d.get(PDFName.of(k)) as PDFNumber | undefined)?.asNumber();
  return ['Width', 'Height', 'BitsPerComponent'].every((k) => n(x, k) === n(y, k));
}
