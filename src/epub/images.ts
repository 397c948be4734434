/**
 * The images an EPUB carries: read by us from the paths the render stage already checked (inside
 * the edition folder), typed by their bytes rather than their names, and limited to the EPUB 3
 * core media types so no fallback is needed. Photos made for print (3000 px and more) are scaled
 * for screens with sharp (libvips); WebP, which print takes but EPUB 3.2 does not, is converted.
 */
import { readFile } from 'node:fs/promises';
import type { Diagnostics } from '../diagnostics.ts';
import type { RenderedArticle } from '../model.ts';
import { cachedForScreens } from './image-cache.ts';
import { loadSharp } from '../images/sharp.ts';

/**
 * The longest side of a figure in the EPUB, in pixels: sharp across a tablet held either way,
 * a quarter of the pixels (and bytes) of a photo made for print.
 */
export const SCREEN_PIXELS = 1600;
/** JPEG quality of a scaled or converted photo. */
const JPEG_QUALITY = 82;

export interface ImageData {
  bytes: Uint8Array;
  mediaType: string;
  extension: string;
}

const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((v, i) => b[at + i] === v);

/** PNG, JPEG, GIF and SVG (the core image types of EPUB 3.2) by their first bytes. */
export function sniffImage(b: Uint8Array): { mediaType: string; extension: string } | undefined {
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mediaType: 'image/png', extension: 'png' };
  if (startsWith(b, [0xff, 0xd8, 0xff])) return { mediaType: 'image/jpeg', extension: 'jpg' };
  if (startsWith(b, [0x47, 0x49, 0x46, 0x38])) return { mediaType: 'image/gif', extension: 'gif' };
  const head = new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(0, 1024)).replace(/^\uFEFF/, '');
  if (/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(head)) return { mediaType: 'image/svg+xml', extension: 'svg' };
  return undefined;
}

/** An image as the EPUB carries it; `scaled` when it was made smaller (width × height, before and after). */
export type ScreenImage = ImageData & { scaled?: { from: [number, number]; to: [number, number] } };

const isWebp = (b: Uint8Array) => startsWith(b, [0x52, 0x49, 0x46, 0x46]) && startsWith(b, [0x57, 0x45, 0x42, 0x50], 8);

/**
 * The image as a screen needs it: PNG and JPEG whose longest side is over SCREEN_PIXELS are scaled
 * down (the EXIF orientation applied, as Chromium does in print; metadata dropped); WebP becomes
 * PNG (with transparency) or JPEG. Everything else is returned as it is. Same bytes in, same bytes
 * out: libvips encodes deterministically.
 */
export async function forScreens(bytes: Uint8Array): Promise<ScreenImage | { problem: string }> {
  const type = sniffImage(bytes);
  const webp = isWebp(bytes);
  if (!webp && (!type || (type.mediaType !== 'image/png' && type.mediaType !== 'image/jpeg'))) {
    if (type) return { bytes, ...type };
    const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 4096));
    // An SVG whose DOCTYPE declares entities could pull in other files when a reader parses it.
    if (/<!DOCTYPE[^>]*\[/i.test(head) && /<svg[\s>]/i.test(head)) return { problem: 'it is an SVG whose DOCTYPE declares entities, which an EPUB does not carry (remove the DOCTYPE)' };
    return { problem: 'it is not PNG, JPEG, WebP, GIF or SVG (convert it to one of these)' };
  }
  const sharp = await loadSharp();
  if (sharp instanceof Error) return type ? { bytes, ...type } : { problem: `WebP needs sharp, which cannot be loaded here (${sharp.message.split('\n')[0]}); convert it to JPEG or PNG` };
  try {
    const meta = await sharp(bytes).metadata();
    const rotated = (meta.orientation ?? 1) >= 5;
    const [w, h] = rotated ? [meta.height, meta.width] : [meta.width, meta.height];
    if (!webp && Math.max(w, h) <= SCREEN_PIXELS && (meta.orientation ?? 1) === 1) return { bytes, ...type! };
    const pipeline = sharp(bytes).rotate().resize({ width: SCREEN_PIXELS, height: SCREEN_PIXELS, fit: 'inside', withoutEnlargement: true });
    const png = webp ? meta.hasAlpha : type!.mediaType === 'image/png';
    const out = png ? await pipeline.png({ compressionLevel: 9 }).toBuffer({ resolveWithObject: true }) : await pipeline.jpeg({ quality: JPEG_QUALITY }).toBuffer({ resolveWithObject: true });
    const to: [number, number] = [out.info.width, out.info.height];
    return { bytes: new Uint8Array(out.data), ...(png ? { mediaType: 'image/png', extension: 'png' } : { mediaType: 'image/jpeg', extension: 'jpg' }), ...(to[0] !== w || to[1] !== h ? { scaled: { from: [w, h], to } } : {}) };
  } catch (e) {
    return { problem: `it cannot be read as an image (${(e as Error).message.split('\n')[0]})` };
  }
}

/** A figure read and made for screens, or why it cannot be carried. */
export type FigureRead = { problem: string } | { size: number; image: ScreenImage };

/**
 * Figures being read and scaled, by absolute path: started before the pages are laid out (the
 * EPUB needs nothing of pagination for them), taken by loadFigures when the EPUB is written.
 */
export type FigureReads = Map<string, Promise<FigureRead>>;

async function readFigure(absPath: string): Promise<FigureRead> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(absPath));
  } catch (e) {
    return { problem: (e as Error).message };
  }
  const image = await cachedForScreens(bytes, `${SCREEN_PIXELS} jpeg ${JPEG_QUALITY} png 9`, () => forScreens(bytes));
  return 'problem' in image ? image : { size: bytes.length, image };
}

/**
 * Start reading and scaling every figure of `articles` now (libvips works on its own threads);
 * pass the result to loadFigures. Results and reports are the same as without it. `oneAtATime`
 * while Chromium lays out pages: each figure holds a thread of Node's pool (four) for as long as
 * libvips scales it, and the same pool reads the files that answer Chromium's requests.
 */
export function readFigures(articles: RenderedArticle[], opts: { oneAtATime?: boolean } = {}, into: FigureReads = new Map()): FigureReads {
  let previous: Promise<unknown> = Promise.resolve();
  for (const article of articles) {
    for (const fig of article.figures) {
      if (!fig.absPath || into.has(fig.absPath)) continue;
      const absPath = fig.absPath;
      const read = opts.oneAtATime ? previous.then(() => readFigure(absPath)) : readFigure(absPath);
      read.catch(() => undefined); // taken (and awaited) by loadFigures
      previous = read.catch(() => undefined);
      into.set(absPath, read);
    }
  }
  return into;
}

/**
 * Every figure's bytes, keyed by the `src` written in the article HTML, made for screens
 * (forScreens). Figures that cannot be read or carried are reported and left out (their `<img>`
 * is then dropped, the caption stays); scaled ones are summed up in one `epub-image` info.
 * `reads`: figures already being read (readFigures); the others are read now.
 */
export async function loadFigures(articles: RenderedArticle[], diagnostics: Diagnostics, epubFile = 'edition.epub', reads: FigureReads = new Map()): Promise<Map<string, ImageData>> {
  const figures = new Map<string, { file: string; absPath: string }>();
  for (const article of articles) for (const fig of article.figures) if (!figures.has(fig.src)) figures.set(fig.src, { file: article.file, absPath: fig.absPath });
  // Read and scale them all at once (libvips works on its own threads); report in reading order.
  readFigures(articles, {}, reads);
  type Done = { src: string; file: string } & FigureRead;
  const done = await Promise.all(
    [...figures].map(async ([src, { file, absPath }]): Promise<Done> => {
      if (!absPath) return { src, file, problem: 'it was not found in the edition' };
      return { src, file, ...(await reads.get(absPath)!) };
    }),
  );
  const out = new Map<string, ImageData>();
  const scaled: { from: number; to: number; max: number }[] = [];
  for (const d of done) {
    if ('problem' in d) {
      diagnostics.warn(d.file, 'epub-image', `image "${d.src}" left out of the EPUB: ${d.problem}`);
      continue;
    }
    const { bytes, mediaType, extension, scaled: s } = d.image;
    if (s) scaled.push({ from: d.size, to: bytes.length, max: Math.max(...s.from) });
    out.set(d.src, { bytes, mediaType, extension });
  }
  if (scaled.length) {
    const kb = (n: number) => `${Math.round(n / 1024)} KiB`;
    const sum = (k: 'from' | 'to') => scaled.reduce((a, s) => a + s[k], 0);
    diagnostics.info(epubFile, 'epub-image', `${scaled.length} ${scaled.length === 1 ? 'image' : 'images'} of up to ${Math.max(...scaled.map((s) => s.max))} px scaled to at most ${SCREEN_PIXELS} px for the EPUB (${kb(sum('from'))} → ${kb(sum('to'))})`);
  }
  return out;
}
