/**
 * Small HTML pages printed to PDF by Chromium (the browser paiban uses), for testing the checks
 * themselves on real PDFs whose text and geometry the test controls.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, type BrowserHandle } from '../../src/paginate/browser.ts';

let browser: Promise<BrowserHandle> | undefined;
const dir = mkdtempSync(path.join(os.tmpdir(), 'paiban-print-html-'));
let n = 0;

/** A TrueType Chinese face (Chromium embeds CFF faces as Type 3), Latin from Liberation. */
export const FONT = '"AR PL UMing CN", "Liberation Serif"';

/**
 * Print `body` on pages of `width` × `height` mm with no margins; 1 CSS px = 0.75 pt. Returns the
 * PDF's path.
 */
export async function printHtml(body: string, opts: { width?: number; height?: number; css?: string; font?: string } = {}): Promise<string> {
  const handle = await (browser ??= launchBrowser());
  const context = await handle.browser.createBrowserContext();
  try {
    const page = await context.newPage();
    const css = `@page { size: ${opts.width ?? 100}mm ${opts.height ?? 100}mm; margin: 0 } html, body { margin: 0; padding: 0 } body { font: 12pt/1.5 ${opts.font ?? FONT}; } p { margin: 0 } ${opts.css ?? ''}`;
    await page.setContent(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>${css}</style></head><body>${body}</body></html>`, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    const file = path.join(dir, `page-${++n}.pdf`);
    writeFileSync(file, pdf);
    return file;
  } finally {
    await context.close();
  }
}

export async function closePrinter(): Promise<void> {
  if (browser) await (await browser).close();
  browser = undefined;
}
