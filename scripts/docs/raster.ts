/** Pages of a PDF as pictures for the docs: poppler's pdftoppm, as the tests and the EPUB cover use it. */
import { execFileSync } from 'node:child_process';
import { renameSync } from 'node:fs';

/** Page `page` of `pdf` as a PNG (or a JPEG when `out` ends in .jpg) at `dpi`. */
export async function rasterise(pdf: string, page: number, out: string, { dpi }: { dpi: number }): Promise<void> {
  const jpeg = out.endsWith('.jpg');
  const base = `${out}.part`;
  execFileSync('pdftoppm', ['-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', ...(jpeg ? ['-jpeg', '-jpegopt', 'quality=78,optimize=y'] : ['-png']), pdf, base]);
  renameSync(`${base}.${jpeg ? 'jpg' : 'png'}`, out);
}
