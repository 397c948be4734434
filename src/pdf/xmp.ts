/**
 * The XMP metadata packet of the print PDF (ISO 16684-1), written to agree with the Info
 * dictionary: same title, author, dates (to the second, UTC), producer and creator tool. It is
 * deterministic: the document and instance ids are derived from a digest, never drawn at random.
 */
import { createHash } from 'node:crypto';

/** What the PDF says about itself, in Info and in XMP alike. */
export interface PdfMetadata {
  title: string;
  author: string;
  subject?: string;
  keywords?: string[];
  /** BCP 47 tag, e.g. zh-CN: catalog /Lang and dc:language. */
  language: string;
  /** The application that made the document (Info /Creator, xmp:CreatorTool), e.g. `paiban 0.1.0`. */
  creator: string;
  /** What wrote the PDF (Info /Producer, pdf:Producer). */
  producer: string;
  /** Used for CreationDate AND ModDate (and the XMP dates), whole seconds, UTC — never the clock. */
  date: Date;
}

export interface XmpFields extends PdfMetadata {
  /** `uuid:…`, see {@link digestUuid}. */
  documentId: string;
  instanceId: string;
  /** The standard the file claims: PDF/X-3 (pdfx:GTS_PDFXVersion, pdf:Trapped) or PDF/A-2b (pdfaid). */
  conformance?: PdfConformance;
}

/** ISO standards paiban can claim, after Ghostscript made the file conform (src/pdf/ghostscript.ts). */
export type PdfConformance = 'pdfx' | 'pdfa';

/** The version strings written into Info (GTS_PDFXVersion) and XMP. */
// 2003 (ISO 15930-6, PDF 1.4 based) rather than X-3:2002 (PDF 1.3): the catalog keeps /Metadata,
// /Lang and /ViewerPreferences, which are PDF 1.4 keys; Ghostscript's output is PDF 1.3, raised to 1.4.
export const PDFX_VERSION = 'PDF/X-3:2003';
export const PDFA_PART = { part: 2, conformance: 'B' } as const;

/** Keywords as one string, for Info /Keywords and pdf:Keywords. */
export function keywordString(keywords: readonly string[] | undefined): string {
  return (keywords ?? []).map((k) => k.trim()).filter((k) => k !== '').join(', ');
}

/** `2022-06-15T08:00:00Z`: XMP date, whole seconds like the Info dictionary's `D:` dates. */
export function xmpDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * A `uuid:` URN from sha256(label ‖ digest), shaped as an RFC 9562 version-8 (custom) UUID so that
 * it is well-formed without claiming to be random.
 */
export function digestUuid(label: string, digest: Uint8Array): string {
  const h = createHash('sha256').update(label).update(digest).digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The complete packet, `<?xpacket begin … end="w"?>`, as UTF-8 text. */
export function xmpPacket(f: XmpFields): string {
  const date = xmpDate(f.date);
  const lang = attr(f.language);
  const keywords = (f.keywords ?? []).map((k) => k.trim()).filter((k) => k !== '');
  const alt = (v: string): string[] => [
    '<rdf:Alt>',
    ` <rdf:li xml:lang="x-default">${text(v)}</rdf:li>`,
    ...(f.language !== '' ? [` <rdf:li xml:lang="${lang}">${text(v)}</rdf:li>`] : []),
    '</rdf:Alt>',
  ];
  const lines = [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '  <rdf:Description rdf:about=""',
    '    xmlns:dc="http://purl.org/dc/elements/1.1/"',
    '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
    '    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"',
    `    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"${f.conformance === 'pdfx' ? '\n    xmlns:pdfx="http://ns.adobe.com/pdfx/1.3/"' : ''}${f.conformance === 'pdfa' ? '\n    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"' : ''}>`,
    '   <dc:format>application/pdf</dc:format>',
    ...element('dc:title', alt(f.title)),
    ...(f.author ? element('dc:creator', ['<rdf:Seq>', ` <rdf:li>${text(f.author)}</rdf:li>`, '</rdf:Seq>']) : []),
    ...(f.subject ? element('dc:description', alt(f.subject)) : []),
    ...(keywords.length ? element('dc:subject', ['<rdf:Bag>', ...keywords.map((k) => ` <rdf:li>${text(k)}</rdf:li>`), '</rdf:Bag>']) : []),
    ...element('dc:language', ['<rdf:Bag>', ` <rdf:li>${text(f.language)}</rdf:li>`, '</rdf:Bag>']),
    `   <xmp:CreateDate>${date}</xmp:CreateDate>`,
    `   <xmp:ModifyDate>${date}</xmp:ModifyDate>`,
    `   <xmp:MetadataDate>${date}</xmp:MetadataDate>`,
    `   <xmp:CreatorTool>${text(f.creator)}</xmp:CreatorTool>`,
    `   <pdf:Producer>${text(f.producer)}</pdf:Producer>`,
    ...(keywords.length ? [`   <pdf:Keywords>${text(keywordString(keywords))}</pdf:Keywords>`] : []),
    `   <xmpMM:DocumentID>${text(f.documentId)}</xmpMM:DocumentID>`,
    `   <xmpMM:InstanceID>${text(f.instanceId)}</xmpMM:InstanceID>`,
    ...(f.conformance === 'pdfx' ? ['   <pdf:Trapped>False</pdf:Trapped>', `   <pdfx:GTS_PDFXVersion>${PDFX_VERSION}</pdfx:GTS_PDFXVersion>`] : []),
    ...(f.conformance === 'pdfa' ? [`   <pdfaid:part>${PDFA_PART.part}</pdfaid:part>`, `   <pdfaid:conformance>${PDFA_PART.conformance}</pdfaid:conformance>`] : []),
    '  </rdf:Description>',
    ' </rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ];
  return lines.join('\n');
}

function element(name: string, body: string[]): string[] {
  return [`   <${name}>`, ...body.map((l) => `    ${l}`), `   </${name}>`];
}

/** Characters XML 1.0 does not allow at all (C0 controls but tab/LF/CR, U+FFFE/U+FFFF, lone surrogates). */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function text(s: string): string {
  return s.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;');
}
