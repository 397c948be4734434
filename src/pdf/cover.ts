/**
 * The EPUB's cover: page 1 of the printed PDF (whichever paginator printed it), drawn by poppler's
 * pdftoppm in a process of its own while the caller finishes the PDF.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Tallest cover (px) and its JPEG quality: headlines and even body text stay legible on a tablet. */
const COVER_HEIGHT = 1600;
const COVER_QUALITY = 60;

/**
 * Page 1 of a printed PDF, the whole sheet, as a JPEG for the EPUB's cover, drawn by poppler's
 * pdftoppm (PAIBAN_PDFTOPPM) in a process of its own: at 96 dpi (a CSS pixel per px), at most
 * COVER_HEIGHT px tall (the demo's broadsheet front page: 1600 px, about 250 KB). The same PDF and
 * poppler give the same bytes. Without pdftoppm, or when it fails, `problem` says why and the
 * EPUB goes without a cover.
 */
export async function coverFromPdf(pdf: Uint8Array): Promise<{ jpeg?: Uint8Array; problem?: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'paiban-cover-'));
  try {
    const input = path.join(dir, 'in.pdf');
    await writeFile(input, pdf);
    const heightPx = (firstPageHeight(pdf) * 96) / 72;
    const scale = heightPx > COVER_HEIGHT ? ['-scale-to-y', String(COVER_HEIGHT), '-scale-to-x', '-1'] : ['-r', '96'];
    const tool = process.env.PAIBAN_PDFTOPPM ?? 'pdftoppm';
    await execFileAsync(tool, ['-f', '1', '-l', '1', '-singlefile', '-jpeg', '-jpegopt', `quality=${COVER_QUALITY}`, ...scale, input, path.join(dir, 'cover')], { timeout: 60_000 });
    return { jpeg: new Uint8Array(await readFile(path.join(dir, 'cover.jpg'))) };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { problem: err.code === 'ENOENT' ? 'pdftoppm is not installed (Debian package poppler-utils; npm run setup installs it)' : `pdftoppm failed: ${String(err.message).split('\n')[0]}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Height (pt) of the first /MediaBox in a PDF as Chromium writes it (page dictionaries in the clear); 0 if none. */
export function firstPageHeight(pdf: Uint8Array): number {
  const m = /\/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]/.exec(Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1'));
  return m ? Number(m[4]) - Number(m[2]) : 0;
}
