/**
 * The pictures of the README and the docs, made from the real demo build: its printed pages
 * (pdftoppm) and its EPUB's first chapter as a phone shows it (Chromium at 390 × 844 CSS px, the
 * EPUB's own XHTML and stylesheet, no fonts but the system's, and a reading system's margin).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { unzipSync } from 'fflate';
import { build, launchBrowser } from '../../src/index.ts';
import { rasterise } from './raster.ts';

export const PHONE = { width: 390, height: 844, deviceScaleFactor: 1.5 };
/** The margin a reading system keeps around the text (the EPUB's stylesheet sets none on body). */
const READER_MARGIN = 'html { padding: 12px 18px; }';

/** The EPUB's first chapter after the cover and the contents, by its package's spine. */
export function firstChapter(files: Record<string, Uint8Array>): string {
  const text = (f: string) => new TextDecoder().decode(files[f]);
  const opfPath = /full-path="([^"]+)"/.exec(text('META-INF/container.xml'))![1]!;
  const opf = text(opfPath);
  const items = new Map<string, { href: string; properties: string }>();
  for (const m of opf.matchAll(/<item\s[^>]*>/g)) {
    const attr = (n: string) => new RegExp(`\\b${n}="([^"]*)"`).exec(m[0])?.[1] ?? '';
    items.set(attr('id'), { href: attr('href'), properties: attr('properties') });
  }
  for (const m of opf.matchAll(/<itemref\s[^>]*idref="([^"]+)"/g)) {
    const item = items.get(m[1]!);
    if (!item || /\bnav\b/.test(item.properties) || /cover/i.test(m[1]!) || /cover/i.test(item.href)) continue;
    return path.posix.join(path.posix.dirname(opfPath), item.href);
  }
  throw new Error('the EPUB has no chapter in its spine');
}

/** Build the demo into `work` and draw its pictures into `imagesDir`; returns their names. */
export async function drawDemo(root: string, work: string, imagesDir: string): Promise<string[]> {
  const demo = path.join(root, 'content', 'zjrb-2022-06-15');
  const result = await build(demo, { out: path.join(work, 'demo') });
  if (!result.ok) throw new Error(`the demo did not build: ${result.diagnostics.errors.map((d) => d.message).join('; ')}`);
  const pdf = result.outputs.find((o) => o.path.endsWith('.pdf'))!;
  const epub = result.outputs.find((o) => o.path.endsWith('.epub'))!.path;
  mkdirSync(imagesDir, { recursive: true });
  const written: string[] = [];
  for (let page = 1; page <= (pdf.pages ?? 1); page++) {
    const out = path.join(imagesDir, `demo-page-${page}.jpg`);
    await rasterise(pdf.path, page, out, { dpi: 40 });
    written.push(out);
  }
  // The EPUB unpacked as a reading system would, and its first chapter opened at phone size.
  const files = unzipSync(readFileSync(epub));
  const unpacked = path.join(work, 'epub');
  for (const [name, bytes] of Object.entries(files)) {
    if (name.endsWith('/')) continue;
    mkdirSync(path.dirname(path.join(unpacked, name)), { recursive: true });
    writeFileSync(path.join(unpacked, name), bytes);
  }
  const browser = await launchBrowser();
  try {
    const page = await browser.browser.newPage();
    await page.setViewport(PHONE);
    await page.goto(pathToFileURL(path.join(unpacked, firstChapter(files))).href, { waitUntil: 'load' });
    await page.addStyleTag({ content: READER_MARGIN });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const out = path.join(imagesDir, 'demo-epub-phone.jpg');
    writeFileSync(out, await page.screenshot({ type: 'jpeg', quality: 75 }));
    written.push(out);
  } finally {
    await browser.close();
  }
  return written;
}
