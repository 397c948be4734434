/**
 * What a printer's preflight looks at in the delivered PDF, read with pdf-lib (no poppler needed):
 * every font (its type, whether it is embedded, the pages it is used on) and every page's boxes.
 * Like `pdffonts`: fonts are found in the pages' resources and in the form XObjects they draw.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFRef, PDFStream, ParseSpeeds, decodePDFRawStream, type PDFObject } from 'pdf-lib';

export interface PdfFont {
  /** BaseFont, e.g. `AAAAAA+NotoSerifCJKsc-Regular`. */
  name: string;
  /** As pdffonts names it: `CID TrueType`, `CID Type 0C`, `TrueType`, `Type 1`, `Type 1C`, `Type 3`, … */
  type: string;
  embedded: boolean;
  /** 1-based pages that use it. */
  pages: number[];
  /**
   * Type 3 fonts only: the face it was made from (its descriptor's FontName without the subset
   * tag, e.g. `NotoSansCJKsc-Regular`) and the characters it draws (from its ToUnicode map).
   */
  face?: string;
  text?: string;
}

export interface PdfPageBoxes {
  media: number[];
  trim?: number[];
  bleed?: number[];
}

export interface PdfFacts {
  pages: number;
  fonts: PdfFont[];
  boxes: PdfPageBoxes[];
}

const N = (s: string) => PDFName.of(s);

export async function inspectPdf(bytes: Uint8Array): Promise<PdfFacts> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
  const ctx = doc.context;
  const look = (o: PDFObject | undefined): PDFObject | undefined => (o instanceof PDFRef ? ctx.lookup(o) : o);
  const fonts = new Map<string, PdfFont>();
  const boxes: PdfPageBoxes[] = [];

  const visitResources = (res: PDFObject | undefined, page: number, seen: Set<PDFObject>): void => {
    const dict = look(res);
    if (!(dict instanceof PDFDict) || seen.has(dict)) return;
    seen.add(dict);
    const fontDict = look(dict.get(N('Font')));
    if (fontDict instanceof PDFDict) {
      for (const [, ref] of fontDict.entries()) {
        const font = look(ref);
        if (!(font instanceof PDFDict)) continue;
        const key = ref instanceof PDFRef ? ref.toString() : String(fonts.size);
        const known = fonts.get(key) ?? { ...describeFont(font, look), pages: [] };
        if (!known.pages.includes(page)) known.pages.push(page);
        fonts.set(key, known);
      }
    }
    const xobjects = look(dict.get(N('XObject')));
    if (xobjects instanceof PDFDict) {
      for (const [, ref] of xobjects.entries()) {
        const x = look(ref);
        if (x instanceof PDFStream && x.dict.get(N('Subtype')) === N('Form')) visitResources(x.dict.get(N('Resources')), page, seen);
      }
    }
  };

  doc.getPages().forEach((p, i) => {
    visitResources(p.node.Resources(), i + 1, new Set());
    const rect = (name: string): number[] | undefined => {
      const a = look(p.node.get(N(name)));
      return a instanceof PDFArray ? a.asArray().map((v) => (look(v) as PDFNumber).asNumber()) : undefined;
    };
    const media = p.node.MediaBox().asArray().map((v) => (look(v) as PDFNumber).asNumber());
    boxes.push({ media, trim: rect('TrimBox'), bleed: rect('BleedBox') });
  });
  return { pages: doc.getPageCount(), fonts: [...fonts.values()], boxes };
}

function describeFont(font: PDFDict, look: (o: PDFObject | undefined) => PDFObject | undefined): Omit<PdfFont, 'pages'> {
  const name = nameOf(look(font.get(N('BaseFont')))) ?? '(no name)';
  const subtype = nameOf(look(font.get(N('Subtype')))) ?? '';
  if (subtype === 'Type3') {
    // Chromium's Type 3 fonts have no BaseFont, but a descriptor with the face's name.
    const d = look(font.get(N('FontDescriptor')));
    const fontName = d instanceof PDFDict ? nameOf(look(d.get(N('FontName')))) : undefined;
    const face = fontName?.replace(/^[A-Z]{6}\+/, '');
    const cmap = look(font.get(N('ToUnicode')));
    const text = cmap instanceof PDFRawStream ? toUnicodeText(cmap) : undefined;
    return { name: fontName ?? name, type: 'Type 3', embedded: true, ...(face ? { face } : {}), ...(text ? { text } : {}) };
  }
  let desc = look(font.get(N('FontDescriptor')));
  let type = { Type1: 'Type 1', MMType1: 'Type 1', TrueType: 'TrueType' }[subtype] ?? subtype;
  if (subtype === 'Type0') {
    const kids = look(font.get(N('DescendantFonts')));
    const cid = kids instanceof PDFArray ? look(kids.get(0)) : undefined;
    if (cid instanceof PDFDict) {
      type = nameOf(look(cid.get(N('Subtype')))) === 'CIDFontType2' ? 'CID TrueType' : 'CID Type 0';
      desc = look(cid.get(N('FontDescriptor')));
    }
  }
  let embedded = false;
  if (desc instanceof PDFDict) {
    const ff3 = look(desc.get(N('FontFile3')));
    embedded = !!(look(desc.get(N('FontFile'))) || look(desc.get(N('FontFile2'))) || ff3);
    if (ff3 instanceof PDFStream) {
      const sub = nameOf(ff3.dict.get(N('Subtype')));
      if (sub === 'Type1C') type = 'Type 1C';
      else if (sub === 'CIDFontType0C') type = 'CID Type 0C';
      else if (sub === 'OpenType') type = `${type} (OT)`;
    }
  }
  return { name, type, embedded };
}

function nameOf(o: PDFObject | undefined): string | undefined {
  return o instanceof PDFName ? o.decodeText() : undefined;
}

/** The characters a ToUnicode CMap maps to (bfchar and bfrange), in code order. */
export function toUnicodeText(stream: PDFRawStream): string {
  let cmap: string;
  try {
    cmap = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
  } catch {
    return '';
  }
  const utf16 = (hex: string) => {
    const bytes = Buffer.from(hex.length % 4 ? hex.padStart(hex.length + (4 - (hex.length % 4)), '0') : hex, 'hex');
    return bytes.swap16().toString('utf16le');
  };
  const out: string[] = [];
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) out.push(utf16(m[2]!));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(?:<([0-9a-fA-F]+)>|\[([^\]]*)\])/g)) {
      const count = Math.min(parseInt(m[2]!, 16) - parseInt(m[1]!, 16) + 1, 65536);
      if (m[4] !== undefined) for (const x of m[4].matchAll(/<([0-9a-fA-F]+)>/g)) out.push(utf16(x[1]!));
      else {
        const first = utf16(m[3]!);
        const cp = first.codePointAt(0)!;
        for (let i = 0; i < count; i++) out.push(String.fromCodePoint(cp + i));
      }
    }
  }
  // Skia maps a Han glyph to the first code point the font's cmap gives it: a Kangxi radical
  // (⽂ U+2F42) for 文. Radicals are read as the characters they stand for.
  const radical = /[\u2e80-\u2fdf]/u;
  return [...new Set(out.map((c) => (radical.test(c) ? c.normalize('NFKC') : c)).filter((c) => /[^\s\p{Cc}\uffff]/u.test(c)))].join('');
}
