/**
 * The floor: Chromium printing a document with no paginator at all (its own CSS page layout),
 * through puppeteer-core: launch, load the file, wait for fonts, page.pdf, close. Nothing a
 * paginator could do is cheaper than this.
 *
 *   tsx bench/floor.ts DOCUMENT.html OUT.pdf
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const [html, out] = process.argv.slice(2);
if (!html || !out) {
  process.stderr.write('usage: tsx bench/floor.ts DOCUMENT.html OUT.pdf\n');
  process.exit(2);
}
const profile = await mkdtemp(path.join(os.tmpdir(), 'paiban-bench-floor-'));
const browser = await puppeteer.launch({
  executablePath: process.env.PAIBAN_CHROME ?? '/usr/bin/chromium',
  pipe: true,
  headless: true,
  userDataDir: profile,
  // The document refers to its fonts and images by file: URL, like pagedjs-cli is given it.
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--font-render-hinting=none', '--allow-file-access-from-files'],
  protocolTimeout: 15 * 60_000,
});
try {
  const page = await browser.newPage();
  await page.goto(pathToFileURL(path.resolve(html)).href, { waitUntil: 'load', timeout: 0 });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true, timeout: 0 });
  await writeFile(out, pdf);
} finally {
  await browser.close();
  await rm(profile, { recursive: true, force: true });
}
