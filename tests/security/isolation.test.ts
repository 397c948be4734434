/**
 * Nothing leaves the build, nothing outside the edition gets in, and no content script runs.
 * Two hostile editions (html: true content; an own template) refer every way we know to a
 * listener on 127.0.0.1 and to a secret file next to and outside the edition. The listener must
 * receive nothing, the secret must appear in no output (PDF text, EPUB, HTML, manifest), and the
 * scripts they carry must not run (they would set document.title or mark the document).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics.ts';
import { launchBrowser, type BrowserHandle } from '../../src/browser/browser.ts';
import { pdftotext } from '../helpers/tools.ts';
import { PHOTO, article, editionYaml, listener, makeEdition, outcome, ownTemplate, secrets, tempDir, type Outcome } from './helpers.ts';
import { contentBody, evilSvg, themeCss, themeHead, themeBody } from './hostile-content.ts';

let browser: BrowserHandle;
let net: Awaited<ReturnType<typeof listener>>;
beforeAll(async () => {
  browser = await launchBrowser();
  net = await listener();
});
afterAll(async () => {
  await browser?.close();
  await net?.close();
});

describe('the listener', () => {
  it('hears a request when one is made (so "it received nothing" means something)', async () => {
    await fetch(`${net.url}/probe`).then((r) => r.text());
    expect(net.hits).toEqual(['connection from 127.0.0.1', 'GET /probe HTTP/1.1']);
    net.hits.length = 0;
  });
});

interface Built {
  outcome: Outcome;
  token: string;
  out: string;
  page: { title: string; pwned: string | null; scripts: number; iframes: number };
}

/** Build `dir` to PDF, EPUB and HTML, recording what the page looked like before printing. */
async function buildHostile(dir: string, token: string): Promise<Built> {
  const out = await tempDir('paiban-sec-out-');
  let page: Built['page'] = { title: '', pwned: null, scripts: -1, iframes: -1 };
  const inspect = async (p: Page) => {
    page = await p.evaluate(() => ({
      title: document.title,
      pwned: document.documentElement.getAttribute('data-pwned') ?? (window as unknown as { pwned?: string }).pwned ?? null,
      scripts: document.querySelectorAll('script:not([src*="/_paiban/"])').length,
      iframes: document.querySelectorAll('iframe, object, embed').length,
    }));
  };
  const result = await outcome(dir, { browser, out, html: true, inspect });
  return { outcome: result, token, out, page };
}

function everyOutput(b: Built, slug: string): Record<string, string> {
  const texts: Record<string, string> = {
    pdf: pdftotext(path.join(b.out, `${slug}.pdf`)),
    html: readFileSync(path.join(b.out, `${slug}.html`), 'utf8'),
    manifest: readFileSync(path.join(b.out, `${slug}.manifest.json`), 'utf8'),
    pdfBytes: readFileSync(path.join(b.out, `${slug}.pdf`)).toString('latin1'),
  };
  for (const [name, bytes] of Object.entries(unzipSync(readFileSync(path.join(b.out, `${slug}.epub`))))) texts[`epub:${name}`] = strFromU8(bytes, true);
  return texts;
}

const warnings = (o: Outcome, rule: string): Diagnostic[] => o.diagnostics.filter((d) => d.rule === rule);

describe('an article with html: true that refers to the network and to a secret every way', () => {
  let built: Built;
  beforeAll(async () => {
    const dir = await makeEdition({ 'edition.yaml': editionYaml({ extra: ['html: true'] }), 'images/x.png': PHOTO });
    const s = await secrets(dir);
    const { writeFile, symlink } = await import('node:fs/promises');
    await writeFile(path.join(dir, 'images', 'evil.svg'), evilSvg(net.url, s));
    await symlink('../../secret.txt', path.join(dir, 'images', 'link.png'));
    await symlink(s.outside, path.join(dir, 'images', 'abs.png'));
    await writeFile(path.join(dir, 'a.md'), article(contentBody(net.url, s), { title: 'Case', byline: `{{> secret}} ${s.beside}` }));
    built = await buildHostile(dir, s.token);
  });

  it('builds (refused references are warnings) and the listener receives nothing', () => {
    expect(built.outcome.errors.map((e) => e.format())).toEqual([]);
    expect(built.outcome.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(built.outcome.exit).toBe(0);
    expect(net.hits).toEqual([]);
  });

  it('no content script ran: the title is the edition\'s, no marker, no script or frame element survived', () => {
    expect(built.page.title).toBe('Hostile');
    expect(built.page.pwned).toBeNull();
    expect(built.page.scripts).toBe(0);
    expect(built.page.iframes).toBe(0);
  });

  it('the secret appears in no output', () => {
    for (const [name, text] of Object.entries(everyOutput(built, 'ed'))) expect(text.includes(built.token), `${name} holds the secret`).toBe(false);
  });

  it('refused images, links and raw HTML are warnings naming the article and line', () => {
    const refused = warnings(built.outcome, 'refused-url');
    expect(refused.length).toBeGreaterThanOrEqual(8);
    for (const d of refused) {
      expect(d.file).toBe('a.md');
      expect(d.line).toBeGreaterThan(4);
    }
    expect(refused.map((d) => d.message).join('\n')).toMatch(/javascript:/);
  });
});

describe('an own template that refers to the network and to a secret every way', () => {
  let built: Built;
  let cssFile = '';
  let cssAbs = '';
  beforeAll(async () => {
    const dir = await makeEdition({ 'edition.yaml': editionYaml({ extra: ['template: ./theme'] }), 'images/x.png': PHOTO, 'images/evil.js': 'document.title = "PWNED";' });
    const s = await secrets(dir);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(dir, 'images', 'evil.svg'), evilSvg(net.url, s));
    const theme = await ownTemplate(dir, {
      document: (d) => d.replace('</head>', `${themeHead(net.url)}\n</head>`).replace('</body>', `${themeBody(net.url, s)}\n</body>`),
      css: themeCss(net.url, s),
    });
    cssAbs = path.join(theme, 'extra.css');
    cssFile = path.relative(dir, cssAbs);
    await writeFile(path.join(dir, 'a.md'), article('Safe text.\n\n![figure](images/evil.svg)\n', { title: 'Case' }));
    built = await buildHostile(dir, s.token);
    if (process.env.PAIBAN_SHOW) console.log(built.outcome.diagnostics.map((d) => `${d.file}:${d.line} ${d.rule}: ${d.message}`).join('\n'));
  });

  it('builds and the listener receives nothing (no preconnect, prefetch, refresh, import or font)', () => {
    expect(built.outcome.errors.map((e) => e.format())).toEqual([]);
    expect(built.outcome.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(built.outcome.exit).toBe(0);
    expect(net.hits).toEqual([]);
  });

  it('the template\'s scripts, inline or from the edition, do not run', () => {
    expect(built.page.title).toBe('Hostile');
    expect(built.page.pwned).toBeNull();
  });

  it('the secret appears in no output', () => {
    for (const [name, text] of Object.entries(everyOutput(built, 'ed'))) expect(text.includes(built.token), `${name} holds the secret`).toBe(false);
  });

  it('a refused url() in the template\'s stylesheet is reported against that stylesheet and its line', () => {
    const refused = warnings(built.outcome, 'refused-request');
    const inCss = refused.filter((d) => d.file === cssFile);
    expect(inCss.length, JSON.stringify(refused, null, 1)).toBeGreaterThanOrEqual(1);
    const lines = readFileSync(cssAbs, 'utf8').split('\n');
    for (const d of inCss) {
      const host = /the page asked for (\S+): refused/.exec(d.message)?.[1] ?? '';
      expect(lines[d.line! - 1], `${d.message} at line ${d.line}`).toContain(new URL(host).pathname);
    }
    expect(refused.some((d) => d.message.includes('127.0.0.1'))).toBe(true);
  });
});
