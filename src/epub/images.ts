/**
 * The images an EPUB carries: read by us from the paths the render stage already checked (inside
 * the edition folder), typed by their bytes rather than their names, and limited to the EPUB 3
 * core media types so no fallback is needed.
 */
import { readFile } from 'node:fs/promises';
import type { Diagnostics } from '../diagnostics.ts';
import type { RenderedArticle } from '../model.ts';

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

/**
 * Every figure's bytes, keyed by the `src` written in the article HTML. Figures that cannot be
 * read or are not a core media type are reported and left out (their `<img>` is then dropped,
 * the caption stays).
 */
export async function loadFigures(articles: RenderedArticle[], diagnostics: Diagnostics): Promise<Map<string, ImageData>> {
  const out = new Map<string, ImageData>();
  const tried = new Set<string>();
  for (const article of articles) {
    for (const fig of article.figures) {
      if (tried.has(fig.src)) continue;
      tried.add(fig.src);
      if (!fig.absPath) {
        diagnostics.warn(article.file, 'epub-image', `image "${fig.src}" left out of the EPUB: it was not found in the edition`);
        continue;
      }
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await readFile(fig.absPath));
      } catch (e) {
        diagnostics.warn(article.file, 'epub-image', `image "${fig.src}" left out of the EPUB: ${(e as Error).message}`);
        continue;
      }
      const type = sniffImage(bytes);
      if (!type) {
        diagnostics.warn(article.file, 'epub-image', `image "${fig.src}" left out of the EPUB: it is not PNG, JPEG, GIF or SVG (convert it to one of these)`);
        continue;
      }
      out.set(fig.src, { bytes, ...type });
    }
  }
  return out;
}
