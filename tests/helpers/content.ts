/**
 * A PDF's page content read operator by operator (pdf-lib parses the file; the content streams are
 * tokenized here): what a press checks and poppler does not say. For each page, every colour
 * operator with the colour space it paints in, every transparency (soft masks, constant alpha
 * below 1, blend modes, transparency groups), every image drawn with the rectangle it covers and
 * every stroked straight line and every glyph with its character, origin and size, in points from
 * the page's top-left corner, as pdftotext measures.
 * Form XObjects are followed with their own resources and matrix.
 */
import { readFileSync } from 'node:fs';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFRef, PDFStream, decodePDFRawStream, type PDFObject } from 'pdf-lib';

type Operand = number | string | { str: string } | Operand[] | { dict: Record<string, Operand> };
export interface Op {
  op: string;
  args: Operand[];
}

const WS = new Set([0, 9, 10, 12, 13, 32]);
const DELIM = new Set([...'()<>[]{}/%'].map((c) => c.charCodeAt(0)));

/** The operators of a content stream, with their operands (strings as latin1, names with their slash). */
export function tokenize(bytes: Uint8Array): Op[] {
  const ops: Op[] = [];
  const stack: Operand[][] = [[]];
  let i = 0;
  const top = () => stack[stack.length - 1]!;
  const regular = () => {
    const s = i;
    while (i < bytes.length && !WS.has(bytes[i]!) && !DELIM.has(bytes[i]!)) i++;
    return Buffer.from(bytes.subarray(s, i)).toString('latin1');
  };
  while (i < bytes.length) {
    const c = bytes[i]!;
    if (WS.has(c)) i++;
    else if (c === 0x25) while (i < bytes.length && bytes[i] !== 10 && bytes[i] !== 13) i++;
    else if (c === 0x2f) {
      i++;
      top().push(`/${regular()}`);
    } else if (c === 0x28) {
      let depth = 1;
      let s = '';
      i++;
      while (i < bytes.length && depth > 0) {
        const b = bytes[i++]!;
        if (b === 0x5c) s += String.fromCharCode(b, bytes[i++]!);
        else {
          if (b === 0x28) depth++;
          if (b === 0x29) depth--;
          if (depth > 0) s += String.fromCharCode(b);
        }
      }
      top().push({ str: s });
    } else if (c === 0x3c && bytes[i + 1] === 0x3c) {
      i += 2;
      stack.push([]);
    } else if (c === 0x3e && bytes[i + 1] === 0x3e) {
      i += 2;
      const items = stack.pop()!;
      const dict: Record<string, Operand> = {};
      for (let k = 0; k + 1 < items.length; k += 2) dict[String(items[k])] = items[k + 1]!;
      top().push({ dict });
    } else if (c === 0x3c) {
      const end = bytes.indexOf(0x3e, i);
      top().push({ str: Buffer.from(Buffer.from(bytes.subarray(i + 1, end)).toString('latin1').replace(/\s+/g, ''), 'hex').toString('latin1') });
      i = end + 1;
    } else if (c === 0x5b) {
      i++;
      stack.push([]);
    } else if (c === 0x5d) {
      i++;
      const items = stack.pop()!;
      top().push(items);
    } else {
      const word = regular();
      if (!word) {
        i++;
        continue;
      }
      if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) top().push(Number(word));
      else if (word === 'true' || word === 'false' || word === 'null') top().push(word);
      else if (word === 'ID') {
        // Inline image data: up to EI after whitespace.
        i++;
        while (i < bytes.length && !(WS.has(bytes[i - 1]!) && bytes[i] === 0x45 && bytes[i + 1] === 0x49 && (i + 2 >= bytes.length || WS.has(bytes[i + 2]!)))) i++;
        i += 2;
        ops.push({ op: 'ID', args: stack[0]!.splice(0) });
      } else ops.push({ op: word, args: stack[0]!.splice(0) });
    }
  }
  return ops;
}

export interface ColourUse {
  page: number;
  op: string;
  /** DeviceCMYK, DeviceRGB, DeviceGray, ICCBased(N=4), Separation(All), Pattern, … */
  space: string;
}

export interface ImageUse {
  page: number;
  name: string;
  space: string;
  /** What the image covers on the page, in points from the top-left corner. */
  rect: { x: number; y: number; width: number; height: number };
}

/** A stroked straight line, or a filled rectangle thin enough to be a rule. */
export interface Stroke {
  page: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** A glyph as painted: its character (from the font's ToUnicode map), origin on the baseline and size. */
export interface Glyph {
  page: number;
  char: string;
  /** Origin, in points from the page's top-left corner. */
  x: number;
  y: number;
  /** Font size in points, and the glyph's own advance (its width in the font) in points. */
  size: number;
  advance: number;
  /** The marked-content id it is painted under (a tagged PDF's structure tree points at it). */
  mcid?: number;
}

export interface PageContent {
  glyphs: Glyph[];
  colours: ColourUse[];
  images: ImageUse[];
  /** Why a part of the page is transparent (empty: opaque everywhere). */
  transparency: string[];
  /** Rules: stroked lines and thin filled rectangles. */
  strokes: Stroke[];
}

type Matrix = [number, number, number, number, number, number];
const mul = (m: Matrix, n: Matrix): Matrix => [m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3], m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3], m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5]];
const apply = (m: Matrix, x: number, y: number) => ({ x: m[0] * x + m[2] * y + m[4], y: m[1] * x + m[3] * y + m[5] });

/** Every page's colours, transparency, images and strokes. */
export async function readContent(pdf: string): Promise<PageContent[]> {
  const doc = await PDFDocument.load(readFileSync(pdf), { updateMetadata: false });
  const ctx = doc.context;
  const look = (o: PDFObject | undefined): PDFObject | undefined => (o instanceof PDFRef ? ctx.lookup(o) : o);
  const name = (o: PDFObject | undefined) => (look(o) instanceof PDFName ? (look(o) as PDFName).asString() : undefined);
  const num = (o: PDFObject | undefined) => (look(o) instanceof PDFNumber ? (look(o) as PDFNumber).asNumber() : undefined);
  const bytesOf = (s: PDFObject | undefined): Uint8Array => {
    const o = look(s);
    if (o instanceof PDFRawStream) return decodePDFRawStream(o).decode();
    if (o instanceof PDFArray) return Buffer.concat(o.asArray().map((x) => Buffer.from(bytesOf(x))));
    return new Uint8Array();
  };

  /** A colour space object, named as the check reports it. */
  const spaceName = (o: PDFObject | undefined): string => {
    const v = look(o);
    if (v instanceof PDFName) return v.asString().slice(1);
    if (v instanceof PDFArray) {
      const kind = name(v.get(0))?.slice(1) ?? '?';
      if (kind === 'ICCBased') return `ICCBased(N=${num((look(v.get(1)) as PDFStream).dict.get(PDFName.of('N')))})`;
      if (kind === 'Separation') return `Separation(${name(v.get(1))?.slice(1)}, ${spaceName(v.get(2))})`;
      if (kind === 'DeviceN') return `DeviceN(${spaceName(v.get(2))})`;
      if (kind === 'Indexed') return `Indexed(${spaceName(v.get(1))})`;
      return kind;
    }
    return '?';
  };

  /** A font's ToUnicode map and glyph widths (1/1000 em), read once. */
  const fonts = new Map<PDFObject, { chars: Map<number, string>; widths: Map<number, number>; dw: number; twoByte: boolean }>();
  const fontOf = (ref: PDFObject | undefined) => {
    const f = look(ref);
    if (!(f instanceof PDFDict)) return undefined;
    const known = fonts.get(f);
    if (known) return known;
    const chars = new Map<number, string>();
    const cmap = new TextDecoder('latin1').decode(bytesOf(f.get(PDFName.of('ToUnicode'))));
    const utf16 = (hex: string) => String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));
    for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) for (const m of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) chars.set(parseInt(m[1]!, 16), utf16(m[2]!));
    for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
      for (const m of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<([0-9A-Fa-f]+)>|\[([^\]]*)\])/g)) {
        const [lo, hi] = [parseInt(m[1]!, 16), parseInt(m[2]!, 16)];
        const list = m[5] ? [...m[5].matchAll(/<([0-9A-Fa-f]+)>/g)].map((x) => utf16(x[1]!)) : undefined;
        // A range's destination is UTF-16BE; the last unit counts up.
        const units = (m[4] ?? '').match(/.{4}/g)?.map((h) => parseInt(h, 16)) ?? [];
        for (let c = lo; c <= hi; c++) chars.set(c, list ? (list[c - lo] ?? '') : String.fromCharCode(...units.slice(0, -1), (units[units.length - 1] ?? 0) + c - lo));
      }
    }
    const widths = new Map<number, number>();
    let dw = 1000;
    const twoByte = name(f.get(PDFName.of('Subtype'))) === '/Type0';
    const kids = look(f.get(PDFName.of('DescendantFonts')));
    const cid = kids instanceof PDFArray ? look(kids.get(0)) : undefined;
    if (cid instanceof PDFDict) {
      dw = num(cid.get(PDFName.of('DW'))) ?? 1000;
      const w = look(cid.get(PDFName.of('W')));
      const list = w instanceof PDFArray ? w.asArray().map(look) : [];
      for (let k = 0; k < list.length; ) {
        const first = (list[k] as PDFNumber).asNumber();
        const next = list[k + 1];
        if (next instanceof PDFArray) {
          next.asArray().forEach((v, j) => widths.set(first + j, num(v) ?? dw));
          k += 2;
        } else {
          for (let c = first; c <= (next as PDFNumber).asNumber(); c++) widths.set(c, num(list[k + 2]) ?? dw);
          k += 3;
        }
      }
    } else {
      const firstChar = num(f.get(PDFName.of('FirstChar'))) ?? 0;
      const w = look(f.get(PDFName.of('Widths')));
      if (w instanceof PDFArray) w.asArray().forEach((v, j) => widths.set(firstChar + j, num(v) ?? 0));
      dw = 0;
    }
    const font = { chars, widths, dw, twoByte };
    fonts.set(f, font);
    return font;
  };

  const pages: PageContent[] = [];
  doc.getPages().forEach((page, index) => {
    const out: PageContent = { glyphs: [], colours: [], images: [], transparency: [], strokes: [] };
    const pageNo = index + 1;
    const media = page.node.MediaBox().asArray().map((v) => (look(v) as PDFNumber).asNumber());
    // pdftotext's space: y down from the MediaBox's top.
    const toTop = (p: { x: number; y: number }) => ({ x: p.x - media[0]!, y: media[3]! - p.y });
    const group = look(page.node.get(PDFName.of('Group')));
    if (group instanceof PDFDict && name(group.get(PDFName.of('S'))) === '/Transparency') out.transparency.push(`page ${pageNo} is a transparency group`);

    const run = (content: Uint8Array, resources: PDFObject | undefined, start: Matrix, seen: Set<PDFObject>) => {
      const res = look(resources);
      const sub = (key: string, n: string) => {
        const d = res instanceof PDFDict ? look(res.get(PDFName.of(key))) : undefined;
        return d instanceof PDFDict ? d.get(PDFName.of(n.slice(1))) : undefined;
      };
      let ctm = start;
      const saved: Matrix[] = [];
      let path: { x: number; y: number }[][] = [];
      // Text state: matrices, font and size, character and word spacing, horizontal scale.
      let tm: Matrix = [1, 0, 0, 1, 0, 0];
      let tlm: Matrix = [1, 0, 0, 1, 0, 0];
      let font: ReturnType<typeof fontOf>;
      let fs = 0;
      let tc = 0;
      let tw = 0;
      let th = 1;
      let tl = 0;
      // Marked content: the MCID each open BDC/BMC gives (undefined when it gives none).
      const marked: (number | undefined)[] = [];
      const mcid = () => [...marked].reverse().find((m) => m !== undefined);
      const show = (codes: string) => {
        if (!font) return;
        const step = font.twoByte ? 2 : 1;
        for (let k = 0; k + step <= codes.length; k += step) {
          const code = step === 2 ? codes.charCodeAt(k) * 256 + codes.charCodeAt(k + 1) : codes.charCodeAt(k);
          const trm = mul([fs * th, 0, 0, fs, 0, 0], mul(tm, ctm));
          const o = toTop(apply(trm, 0, 0));
          const size = Math.hypot(trm[2], trm[3]);
          const w = (font.widths.get(code) ?? font.dw) / 1000;
          out.glyphs.push({ page: pageNo, char: font.chars.get(code) ?? '', x: o.x, y: o.y, size, advance: w * Math.hypot(trm[0], trm[1]), mcid: mcid() });
          const tx = (w * fs + tc + (step === 1 && code === 32 ? tw : 0)) * th;
          tm = mul([1, 0, 0, 1, tx, 0], tm);
        }
      };
      for (const { op, args } of tokenize(content)) {
        const colour = (space: string) => out.colours.push({ page: pageNo, op, space });
        if (op === 'q') saved.push(ctm);
        else if (op === 'Q') ctm = saved.pop() ?? start;
        else if (op === 'cm') ctm = mul(args.slice(0, 6) as Matrix, ctm);
        else if (op === 'rg' || op === 'RG') colour('DeviceRGB');
        else if (op === 'g' || op === 'G') colour('DeviceGray');
        else if (op === 'k' || op === 'K') colour('DeviceCMYK');
        else if (op === 'cs' || op === 'CS') {
          const n = String(args[0]);
          colour(['/DeviceRGB', '/DeviceGray', '/DeviceCMYK', '/Pattern'].includes(n) ? n.slice(1) : spaceName(sub('ColorSpace', n)));
        } else if (op === 'gs') {
          const gs = look(sub('ExtGState', String(args[0])));
          if (gs instanceof PDFDict) {
            for (const k of ['CA', 'ca']) if ((num(gs.get(PDFName.of(k))) ?? 1) < 1) out.transparency.push(`page ${pageNo}: graphics state ${String(args[0])} sets ${k} ${num(gs.get(PDFName.of(k)))}`);
            const smask = look(gs.get(PDFName.of('SMask')));
            if (smask && name(smask) !== '/None') out.transparency.push(`page ${pageNo}: graphics state ${String(args[0])} has a soft mask`);
            const bm = name(gs.get(PDFName.of('BM')));
            if (bm && bm !== '/Normal' && bm !== '/Compatible') out.transparency.push(`page ${pageNo}: graphics state ${String(args[0])} blends ${bm}`);
          }
        } else if (op === 'sh') {
          const sh = look(sub('Shading', String(args[0])));
          const d = sh instanceof PDFStream ? sh.dict : sh;
          colour(d instanceof PDFDict ? spaceName(d.get(PDFName.of('ColorSpace'))) : '?');
        } else if (op === 'Do') {
          const ref = sub('XObject', String(args[0]));
          const x = look(ref);
          if (!(x instanceof PDFStream) || seen.has(x)) continue;
          const subtype = name(x.dict.get(PDFName.of('Subtype')));
          if (subtype === '/Image') {
            const corners = [apply(ctm, 0, 0), apply(ctm, 1, 0), apply(ctm, 0, 1), apply(ctm, 1, 1)].map(toTop);
            const xs = corners.map((p) => p.x);
            const ys = corners.map((p) => p.y);
            const mask = x.dict.get(PDFName.of('ImageMask'))?.toString() === 'true';
            out.images.push({ page: pageNo, name: String(args[0]), space: mask ? 'ImageMask' : spaceName(x.dict.get(PDFName.of('ColorSpace'))), rect: { x: Math.min(...xs), y: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) } });
            if (look(x.dict.get(PDFName.of('SMask')))) out.transparency.push(`page ${pageNo}: image ${String(args[0])} has a soft mask`);
          } else if (subtype === '/Form') {
            const g = look(x.dict.get(PDFName.of('Group')));
            if (g instanceof PDFDict && name(g.get(PDFName.of('S'))) === '/Transparency') out.transparency.push(`page ${pageNo}: form ${String(args[0])} is a transparency group`);
            const m = look(x.dict.get(PDFName.of('Matrix')));
            const fm = (m instanceof PDFArray ? m.asArray().map((v) => num(v) ?? 0) : [1, 0, 0, 1, 0, 0]) as Matrix;
            run(bytesOf(x instanceof PDFRawStream ? x : undefined), x.dict.get(PDFName.of('Resources')) ?? resources, mul(fm, ctm), new Set([...seen, x]));
          }
        } else if (op === 'BDC' || op === 'BMC') {
          const props = args[1];
          const id = typeof props === 'object' && props && 'dict' in props ? props.dict['/MCID'] : undefined;
          marked.push(typeof id === 'number' ? id : undefined);
        } else if (op === 'EMC') marked.pop();
        else if (op === 'BT') tm = tlm = [1, 0, 0, 1, 0, 0];
        else if (op === 'Tf') {
          font = fontOf(sub('Font', String(args[0])));
          fs = args[1] as number;
        } else if (op === 'Tc') tc = args[0] as number;
        else if (op === 'Tw') tw = args[0] as number;
        else if (op === 'Tz') th = (args[0] as number) / 100;
        else if (op === 'TL') tl = args[0] as number;
        else if (op === 'Tm') tm = tlm = args.slice(0, 6) as Matrix;
        else if (op === 'Td' || op === 'TD') {
          if (op === 'TD') tl = -(args[1] as number);
          tm = tlm = mul([1, 0, 0, 1, args[0] as number, args[1] as number], tlm);
        } else if (op === 'T*' || op === "'" || op === '"') {
          tm = tlm = mul([1, 0, 0, 1, 0, -tl], tlm);
          if (op === '"') [tw, tc] = [args[0] as number, args[1] as number];
          if (op !== 'T*') show((args[args.length - 1] as { str: string }).str);
        } else if (op === 'Tj') show((args[0] as { str: string }).str);
        else if (op === 'TJ') {
          for (const item of args[0] as Operand[]) {
            if (typeof item === 'number') tm = mul([1, 0, 0, 1, (-item / 1000) * fs * th, 0], tm);
            else if (typeof item === 'object' && 'str' in item) show(item.str);
          }
        } else if (op === 'm') path.push([apply(ctm, args[0] as number, args[1] as number)]);
        else if (op === 'l') path[path.length - 1]?.push(apply(ctm, args[0] as number, args[1] as number));
        else if (op === 're') {
          const [x0, y0, w, h] = args as number[];
          path.push([apply(ctm, x0!, y0!), apply(ctm, x0! + w!, y0!), apply(ctm, x0! + w!, y0! + h!), apply(ctm, x0!, y0! + h!), apply(ctm, x0!, y0!)]);
        } else if (op === 'S' || op === 's') {
          for (const sp of path) for (let k = 1; k < sp.length; k++) {
            const [a, b] = [toTop(sp[k - 1]!), toTop(sp[k]!)];
            out.strokes.push({ page: pageNo, x1: a.x, y1: a.y, x2: b.x, y2: b.y });
          }
          path = [];
        } else if (['f', 'F', 'f*'].includes(op)) {
          // A filled rectangle thinner than 1.5 pt is a rule (Chromium fills column rules and borders).
          for (const sp of path) {
            const pts = sp.map(toTop);
            const xs = pts.map((p) => p.x);
            const ys = pts.map((p) => p.y);
            const [w, h] = [Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)];
            if (sp.length === 5 && Math.min(w, h) < 1.5 && Math.max(w, h) > 3) {
              out.strokes.push(w < h ? { page: pageNo, x1: (Math.min(...xs) + Math.max(...xs)) / 2, y1: Math.min(...ys), x2: (Math.min(...xs) + Math.max(...xs)) / 2, y2: Math.max(...ys) } : { page: pageNo, x1: Math.min(...xs), y1: (Math.min(...ys) + Math.max(...ys)) / 2, x2: Math.max(...xs), y2: (Math.min(...ys) + Math.max(...ys)) / 2 });
            }
          }
          path = [];
        } else if (['B', 'B*', 'b', 'b*', 'n'].includes(op)) {
          path = [];
        } else if (op === 'BI' || op === 'ID') {
          out.colours.push({ page: pageNo, op: 'inline image', space: 'inline image' });
        }
      }
    };
    run(bytesOf(page.node.get(PDFName.of('Contents'))), page.node.Resources(), [1, 0, 0, 1, 0, 0], new Set());
    pages.push(out);
  });
  return pages;
}
