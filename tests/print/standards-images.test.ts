/**
 * PDF/X and PDF/A keep photos compressed: a JPEG photo passes into the PDF/A file byte for byte
 * (colours stay ICC-based, so Ghostscript decodes nothing), and the PDF/X file, whose colours
 * become CMYK, holds it as JPEG again rather than as Flate-compressed pixels (which made such
 * files about ten times the plain PDF). The photo is grainy on purpose: grain is what lossless
 * compression cannot shrink; a flat chart beside it stays lossless. Sizes measured for the docs
 * are in docs/print-standards.md.
 */
import { statSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build.ts';
import { launchBrowser, type BrowserHandle } from '../../src/paginate/browser.ts';
import { run } from '../helpers/tools.ts';
import { PHOTO, article, editionYaml, makeEdition, tempDir } from '../security/helpers.ts';

interface ImageRow {
  enc: string;
  color: string;
  bytes: number;
}

/** pdfimages -list, one row per image: encoding, colour space and stream size in bytes. */
function images(pdf: string): ImageRow[] {
  const rows = run('pdfimages', ['-list', pdf]).stdout.split('\n').slice(2).filter(Boolean);
  return rows.map((l) => {
    const c = l.trim().split(/\s+/);
    const size = c[14]!;
    const n = Number(size.slice(0, -1));
    return { enc: c[8]!, color: c[5]!, bytes: Math.round(size.endsWith('M') ? n * 1024 * 1024 : size.endsWith('K') ? n * 1024 : Number(size.replace(/B$/, ''))) };
  });
}

/** A grainy 1600 × 1067 photo as a JPEG (quality 85), the same bytes every run for a seed. */
async function grainyJpeg(seed = 42): Promise<Buffer> {
  const w = 1600;
  const h = 1067;
  const px = Buffer.alloc(w * h * 3);
  const clamp = (v: number) => Math.max(0, Math.min(255, v));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const grain = (seed % 24) - 12;
      const i = (y * w + x) * 3;
      px[i] = clamp(90 + (x * 120) / w + 40 * Math.sin(x / 37) * Math.cos(y / 53) + grain);
      px[i + 1] = clamp(140 - (y * 60) / h + 30 * Math.sin((x + y) / 71) + grain);
      px[i + 2] = clamp(70 + ((x + y) * 80) / (w + h) + grain);
    }
  }
  return sharp(px, { raw: { width: w, height: h, channels: 3 } }).blur(0.7).jpeg({ quality: 85 }).toBuffer();
}

const pdfs: Record<'plain' | 'pdfx' | 'pdfa', string> = { plain: '', pdfx: '', pdfa: '' };
let browser: BrowserHandle;
let jpegBytes = 0;
/** The photo's RGB pixels Flate-compressed: what Ghostscript wrote before. */
let flateBytes = 0;

beforeAll(async () => {
  browser = await launchBrowser();
  const photo = await grainyJpeg();
  jpegBytes = photo.length;
  flateBytes = deflateSync(await sharp(photo).raw().toBuffer()).length;
  // A second photo on a second page: Ghostscript 10.0 forgot its JPEG settings after page 1.
  const pages = ['pages:', '  - layout: flow', '    articles:', '      - { file: a.md }', '  - layout: flow', '    articles:', '      - { file: b.md }'];
  const ed = await makeEdition({
    'edition.yaml': editionYaml().replace(/pages:[\s\S]*/, `${pages.join('\n')}\n`),
    'images/photo.jpg': photo,
    'images/second.jpg': await grainyJpeg(7),
    'a.md': article('A photo story.\n\n![The harbour at dawn](images/photo.jpg "Photo: A. Photographer")\n\nMore text.'),
    'images/chart.png': PHOTO,
    'b.md': article('Another.\n\n![The harbour at dusk](images/second.jpg "Photo: A. Photographer")\n\n![A flat chart](images/chart.png)'),
  });
  for (const kind of ['plain', 'pdfx', 'pdfa'] as const) {
    const out = await tempDir();
    const r = await build(ed, { out, pdf: true, browser, ...(kind === 'plain' ? {} : { [kind]: true }) });
    expect(r.diagnostics.errors).toEqual([]);
    expect(r.diagnostics.items.filter((d) => d.rule === 'pdf-standard')).toEqual([]);
    pdfs[kind] = path.join(out, 'ed.pdf');
  }
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

describe('photos in PDF/X and PDF/A files', () => {
  it('the plain PDF holds the JPEG as it is', () => {
    const [photo] = images(pdfs.plain);
    expect(photo!.enc).toBe('jpeg');
    expect(Math.abs(photo!.bytes - jpegBytes)).toBeLessThan(1024);
  });

  it('PDF/A passes the JPEG through byte for byte; the file is about the plain PDF\'s size', () => {
    const [photo] = images(pdfs.pdfa);
    expect(photo).toMatchObject({ enc: 'jpeg', color: 'icc' });
    expect(Math.abs(photo!.bytes - jpegBytes)).toBeLessThan(1024);
    expect(statSync(pdfs.pdfa).size).toBeLessThan(statSync(pdfs.plain).size * 1.2);
  });

  it('PDF/X holds it as a CMYK JPEG, not as Flate-compressed pixels', () => {
    const [photo] = images(pdfs.pdfx);
    expect(photo).toMatchObject({ enc: 'jpeg', color: 'cmyk' });
    // Its pixels Flate-compressed (as before) take 15 times the JPEG; JPEG at high quality in CMYK, a few times.
    console.log(`photo: JPEG ${jpegBytes} B, Flate ${flateBytes} B; PDF/X JPEG ${photo!.bytes} B; files: plain ${statSync(pdfs.plain).size}, PDF/X ${statSync(pdfs.pdfx).size}, PDF/A ${statSync(pdfs.pdfa).size} B`);
    expect(photo!.bytes).toBeLessThan(flateBytes / 3);
  });

  it('PDF/X encodes the photo on page 2 as the one on page 1 (the same JPEG quality on every page)', () => {
    const [first, second] = images(pdfs.pdfx);
    expect(second).toMatchObject({ enc: 'jpeg', color: 'cmyk' });
    expect(second!.bytes / first!.bytes).toBeGreaterThan(0.8);
    expect(second!.bytes / first!.bytes).toBeLessThan(1.25);
  });

  it('PDF/X keeps flat art lossless (Flate is the smaller there)', () => {
    const chart = images(pdfs.pdfx)[2];
    expect(chart).toMatchObject({ enc: 'image', color: 'cmyk' });
  });
});
