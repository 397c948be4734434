/**
 * A digest of a PDF that does not change with the clock: what PDF writers stamp anew on every run
 * is masked before hashing. Chromium (Skia) writes the time of printing as the Info /CreationDate
 * and /ModDate (measured: two prints of the same page differ in those bytes only); Ghostscript
 * also writes a trailer /ID from the time and an XMP packet with a time-based DocumentID. The
 * masked spans keep their length between runs, so the xref offsets that follow them do too.
 */
import { createHash } from 'node:crypto';

const STAMPS: RegExp[] = [
  // Info dates, as literal strings: (D:20261126082320+00'00').
  /\/(CreationDate|ModDate)\s*\((?:\\.|[^\\)])*\)/g,
  // …or as hex strings.
  /\/(CreationDate|ModDate)\s*<[0-9A-Fa-f\s]*>/g,
  // The trailer /ID pair.
  /\/ID\s*\[\s*<[0-9A-Fa-f\s]*>\s*<[0-9A-Fa-f\s]*>\s*\]/g,
  // XMP packets (uncompressed, as writers put them): dates, document and instance ids.
  /<\?xpacket begin=[\s\S]*?<\?xpacket end=["'][rw]["']\s*\?>/g,
];

/** sha256 of `pdf` with its run-to-run stamps (dates, /ID, XMP) masked. */
export function stableDigest(pdf: Uint8Array): Buffer {
  let text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  for (const re of STAMPS) text = text.replace(re, (m, key?: string) => `/${typeof key === 'string' ? key : 'stamp'}(${'x'.repeat(m.length)})`);
  return createHash('sha256').update(text, 'latin1').digest();
}
