/**
 * How full the last page of each flow is, measured on the delivered PDF: the lowest word inside the
 * type area against the type area's foot. Chromium balances the columns of a flow's last page; a
 * newspaper page has no holes, so a page that ends high is reported (page-underfull) with how much
 * of it is empty. Uses poppler's pdftotext -bbox (installed by the set-up, as for the EPUB cover).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** The type area on the PDF page, in points from the MediaBox's top-left corner. */
export interface AreaBox {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** A flow's last page is full when its text reaches this share of the type area's depth. */
export const FULL_SHARE = 0.95;

/** Share of the type area's depth (0..1) down to the lowest word, for each page asked (1-based). */
export async function pageFill(pdf: Uint8Array, pages: number[], area: AreaBox, tool = process.env.PAIBAN_PDFTOTEXT ?? 'pdftotext'): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (!pages.length) return out;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'paiban-fill-'));
  try {
    const file = path.join(dir, 'in.pdf');
    await writeFile(file, pdf);
    for (const page of pages) {
      const html = await run(tool, ['-f', String(page), '-l', String(page), '-bbox', file, '-']);
      let lowest = area.top;
      for (const m of html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">/g)) {
        const [x0, y0, x1, y1] = m.slice(1, 5).map(Number) as [number, number, number, number];
        if (y0 >= area.top - 1 && y1 <= area.bottom + 1 && x0 >= area.left - 1 && x1 <= area.right + 1) lowest = Math.max(lowest, y1);
      }
      out.set(page, (lowest - area.top) / (area.bottom - area.top));
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 60_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}
