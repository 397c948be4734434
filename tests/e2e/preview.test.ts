/**
 * paiban preview: the edition served on 127.0.0.1, paginated by Paged.js in the browser with
 * paiban's own passes and overlay, rebuilt and reloaded on save, errors shown with file and line.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync as tmp } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';
import { CHROME_ARGS, chromePath } from '../../src/paginate/browser.ts';
import { preview, type PreviewHandle } from '../../src/preview/server.ts';

const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'paiban-preview-')), 'zjrb');
let server: PreviewHandle;
// The editor's browser: unlike paiban's own (which reaches nothing), it may open 127.0.0.1.
let browser: Browser;
const profile = tmp(path.join(os.tmpdir(), 'paiban-preview-profile-'));

beforeAll(async () => {
  cpSync(path.resolve('content/zjrb-2022-06-15'), dir, { recursive: true });
  server = await preview(dir, { port: 0 });
  browser = await puppeteer.launch({ executablePath: chromePath(), pipe: true, args: CHROME_ARGS, userDataDir: profile });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(profile, { recursive: true, force: true });
});

describe('paiban preview', () => {
  it('serves the document with the preview script, and only the edition\'s files', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const html = await (await fetch(server.url)).text();
    expect(html).toContain('/_paiban/preview.js');
    expect(html).toContain('交出守好“红色根脉”的新时代组工答卷');
    const img = await fetch(`${server.url}edition/images/zju-math-team.png`);
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/png');
    expect((await fetch(`${server.url}edition/%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404);
  });

  it('is paginated in the browser, with an overlay of what the build would report', async () => {
    const page = await browser.newPage();
    await page.goto(server.url, { waitUntil: 'load' });
    await page.waitForSelector('#pb-preview-overlay', { timeout: 170_000 });
    expect(await page.$$eval('.pagedjs_page', (p) => p.length)).toBe(2);
    expect(await page.$eval('#pb-preview-overlay', (e) => e.textContent)).toContain('2 pages');
    await page.close();
  });

  it('rebuilds on save and tells the page to reload', async () => {
    const events = await fetch(`${server.url}_paiban/events`);
    const reader = events.body!.getReader();
    const file = path.join(dir, 'talent.md');
    const before = readFileSync(file, 'utf8');
    try {
      const next = server.nextBuild();
      writeFileSync(file, before.replace(/^title: .*$/m, 'title: 预览里改过的标题'));
      await next;
      // Read events until a reload; a stream that ends first is a failure, not an endless loop.
      const decoder = new TextDecoder();
      let seen = '';
      while (!seen.includes('event: reload')) {
        const { done, value } = await reader.read();
        if (done) throw new Error(`the event stream ended before a reload event; it sent: ${JSON.stringify(seen)}`);
        seen += decoder.decode(value, { stream: true });
      }
      expect(await (await fetch(server.url)).text()).toContain('预览里改过的标题');
    } finally {
      await reader.cancel();
      // Leave the edition as the other tests expect it.
      const restored = server.nextBuild();
      writeFileSync(file, before);
      await restored;
    }
  });

  it('shows a mistake with its file and line until it is fixed', async () => {
    const file = path.join(dir, 'edition.yaml');
    const good = readFileSync(file, 'utf8');
    try {
      const next = server.nextBuild();
      writeFileSync(file, good.replace('date: 2022-06-15', 'date: 2022-02-30'));
      await next;
      const page = await (await fetch(server.url)).text();
      expect(page).toContain('The edition does not build');
      expect(page).toMatch(/edition\.yaml:\d+:\d+: error EditionInvalid/);
    } finally {
      const next = server.nextBuild();
      writeFileSync(file, good);
      await next;
    }
    expect(await (await fetch(server.url)).text()).toContain('/_paiban/preview.js');
  });
});
