/**
 * Print downsampling. An image placed at far more resolution than a press can use (over
 * OVERSAMPLED × print.downsample ppi: the demo's 3200 px photos set 60 mm wide hold 1350 ppi) is
 * scaled to print.downsample ppi before Chromium prints it, as the press presets of PDF export
 * tools do (Acrobat's: bicubic to 300 ppi above 450). Chromium embeds a lossless image by
 * compressing its pixels again, which costs print time by the pixel (the demo's five 3200 px PNGs:
 * about 1 s); a JPEG it embeds as it is, so a JPEG keeps its bytes (scaling it would mean encoding
 * it again, with loss). Nothing moves: the image keeps its box and its aspect ratio (set on it), and
 * its scaled copy is cached by content, like the font subsets. libvips scales deterministically.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { EDITION_PREFIX, ORIGIN } from '../compose/compose.ts';
import { defaultCacheDir } from '../fonts/prepare.ts';
import { loadSharp, sharpVersion } from '../images/sharp.ts';
import { resolveInside } from '../load/files.ts';
import { writeCacheFile } from '../output/atomic.ts';
import type { ImageMeasure } from './measure.ts';

/** Images placed at more than this many times the target resolution are scaled to it. */
export const OVERSAMPLED = 1.5;

/** Bump when the scaled copies change for the same input (kernel, encoder settings). */
const VERSION = 1;

type Placed = Omit<ImageMeasure, 'page'>;

/** CSS px per pixel of the image as placed (for `fill`, the larger of its two axes). */
export function displayScale(im: Placed): number {
  const x = im.width / im.naturalWidth;
  const y = im.height / im.naturalHeight;
  switch (im.fit) {
    case 'contain':
      return Math.min(x, y);
    case 'cover':
      return Math.max(x, y);
    case 'none':
      return 1;
    case 'scale-down':
      return Math.min(1, x, y);
    default:
      return Math.max(x, y);
  }
}

/** The pixel size to print an image at for `ppi`, or undefined when it keeps its own. */
export function printSize(im: Placed, ppi: number): { width: number; height: number } | undefined {
  if (!(im.naturalWidth > 0 && im.naturalHeight > 0 && im.width > 0 && im.height > 0)) return undefined;
  const effective = 96 / displayScale(im);
  if (!(effective > OVERSAMPLED * ppi)) return undefined;
  const f = ppi / effective;
  return { width: Math.max(1, Math.round(im.naturalWidth * f)), height: Math.max(1, Math.round(im.naturalHeight * f)) };
}

export interface Scaled {
  /** The image element's id (native.ts markTargets). */
  dest: string;
  src: string;
  /** Served as ASSET_PREFIX + name. */
  name: string;
  body: Uint8Array;
  from: { width: number; height: number; ppi: number };
  to: { width: number; height: number };
}

/** `<PAIBAN_CACHE or ~/.cache/paiban/fonts>/print-images`, beside the EPUB's images. */
export function printImageDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(defaultCacheDir(env), 'print-images');
}

const isJpeg = (b: Uint8Array) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/**
 * Scaled copies of the images (of one run) placed beyond OVERSAMPLED × `ppi`: PNG, lossless.
 * Images outside the edition folder, JPEGs, and images sharp cannot read are left as they are.
 */
export async function downsample(images: (Placed & { dest: string })[], ppi: number, editionDir: string, cacheDir = printImageDir()): Promise<Scaled[]> {
  const out: Scaled[] = [];
  for (const im of images) {
    const size = printSize(im, ppi);
    if (!size) continue;
    const file = await editionFile(im.src, editionDir);
    if (!file) continue;
    const bytes = await readFile(file).catch(() => undefined);
    if (!bytes || isJpeg(bytes)) continue;
    const key = createHash('sha256').update(`paiban-print-image ${VERSION} sharp ${sharpVersion()} ${size.width}x${size.height}\n`).update(bytes).digest('hex');
    const cached = path.join(cacheDir, `${key}.png`);
    let body: Uint8Array | undefined = await readFile(cached).then((b) => new Uint8Array(b), () => undefined);
    if (!body) {
      const sharp = await loadSharp();
      if (sharp instanceof Error) return out;
      body = await sharp(bytes, { limitInputPixels: false })
        .resize(size.width, size.height, { fit: 'fill', kernel: 'lanczos3' })
        .png({ compressionLevel: 1 })
        .toBuffer()
        .then((b) => new Uint8Array(b), () => undefined);
      if (!body) continue;
      await writeCacheFile(cached, body);
    }
    out.push({ dest: im.dest, src: im.src, name: `print-image-${key.slice(0, 24)}.png`, body, from: { width: im.naturalWidth, height: im.naturalHeight, ppi: Math.round(96 / displayScale(im)) }, to: size });
  }
  return out;
}

/** The file of an image `src` as written in the document, if the server would serve it (resolveInside: inside the edition, symlinks resolved). */
async function editionFile(src: string, editionDir: string): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(src, `${ORIGIN}${EDITION_PREFIX}`);
  } catch {
    return undefined;
  }
  if (url.origin !== ORIGIN || !url.pathname.startsWith(EDITION_PREFIX)) return undefined;
  let rel: string;
  try {
    rel = decodeURIComponent(url.pathname.slice(EDITION_PREFIX.length));
  } catch {
    return undefined;
  }
  const found = await resolveInside(editionDir, rel);
  return 'abs' in found ? found.abs : undefined;
}

/**
 * Runs in the page (serialised; no imports): each image takes its scaled copy, keeping its box
 * (its aspect ratio set to the original's) and decoded before printing.
 */
export async function useScaled(list: { dest: string; url: string; width: number; height: number }[]): Promise<void> {
  await Promise.all(
    list.map(async (x) => {
      const img = document.getElementById(x.dest) as HTMLImageElement | null;
      if (!img) return;
      img.style.aspectRatio = `${x.width} / ${x.height}`;
      img.removeAttribute('srcset');
      img.src = x.url;
      await img.decode().catch(() => undefined);
    }),
  );
}
