/**
 * The parts of the hardening that need no browser: image headers (decompression bombs), time
 * budgets from the environment, tracing a refused URL to its file and line, the watchdog's
 * stall, page-limit and retry rules (with a fake page and a fake browser), paths inside the
 * edition, and the raw-HTML nesting limit.
 */
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../src/diagnostics.ts';
import { PaibanError } from '../../src/errors.ts';
import { DEFAULT_BUDGETS, LIMITS, timeBudgets } from '../../src/limits.ts';
import { isInside } from '../../src/load/files.ts';
import { sizeFromHeader } from '../../src/load/image-info.ts';
import { sanitize } from '../../src/markdown/policy.ts';
import type { BrowserHandle } from '../../src/paginate/browser.ts';
import { makeTracer } from '../../src/paginate/refusals.ts';
import { layOutPages, withBrowser } from '../../src/paginate/watchdog.ts';
import { png } from './helpers.ts';

describe('image headers', () => {
  it('PNG, GIF, JPEG and WebP sizes come from the header alone', () => {
    expect(sizeFromHeader(png(3, 2))).toEqual({ width: 3, height: 2 });
    expect(sizeFromHeader(png(3, 2, { width: 100000, height: 90000 }))).toEqual({ width: 100000, height: 90000 });
    const gif = Buffer.from('GIF89a\x10\x00\x20\x00', 'latin1');
    expect(sizeFromHeader(gif)).toEqual({ width: 16, height: 32 });
    // SOI, an APP0 segment of 16 bytes, then SOF0 with height 600 and width 800.
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.alloc(14), Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, 0x02, 0x58, 0x03, 0x20, 0x03])]);
    expect(sizeFromHeader(jpeg)).toEqual({ width: 800, height: 600 });
    const vp8x = Buffer.alloc(30);
    vp8x.write('RIFF', 0, 'latin1');
    vp8x.write('WEBPVP8X', 8, 'latin1');
    vp8x.writeUIntLE(4999, 24, 3);
    vp8x.writeUIntLE(2999, 27, 3);
    expect(sizeFromHeader(vp8x)).toEqual({ width: 5000, height: 3000 });
    expect(sizeFromHeader(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
    expect(sizeFromHeader(Buffer.from([0xff, 0xd8, 0x00]))).toBeUndefined();
  });
});

describe('time budgets', () => {
  it('come from PAIBAN_TIMEOUT, PAIBAN_PAGE_TIMEOUT and PAIBAN_LAUNCH_TIMEOUT in seconds; nonsense keeps the default', () => {
    expect(timeBudgets({})).toEqual(DEFAULT_BUDGETS);
    expect(timeBudgets({ PAIBAN_TIMEOUT: '90', PAIBAN_PAGE_TIMEOUT: '2.5', PAIBAN_LAUNCH_TIMEOUT: '5' })).toEqual({ buildMs: 90_000, pageMs: 2500, launchMs: 5000 });
    expect(timeBudgets({ PAIBAN_TIMEOUT: '-1', PAIBAN_PAGE_TIMEOUT: 'soon', PAIBAN_LAUNCH_TIMEOUT: '' })).toEqual(DEFAULT_BUDGETS);
  });
});

describe('tracing a refused URL to the file and line that asked for it', () => {
  const trace = makeTracer([
    { file: 'a.md', text: 'Text.\n\n![x](http://example.com/a.png)\n![y](images/evil.svg)\n', firstLine: 5 },
    { file: 'theme/extra.css', text: 'body {\n  background: url(//cdn.example.org/bg.png);\n}\n.x { mask: url(images/evil.svg) }\n', template: true },
  ]);
  it('finds an absolute URL, a protocol-relative one and a relative one', () => {
    expect(trace('http://example.com/a.png')).toEqual({ file: 'a.md', line: 7 });
    expect(trace('https://cdn.example.org/bg.png')).toEqual({ file: 'theme/extra.css', line: 2 });
    expect(trace('https://paiban.invalid/edition/images/evil.svg')).toEqual({ file: 'a.md', line: 8 });
  });
  it('prefers the template for a URL relative to a stylesheet, and falls back to edition.yaml', () => {
    expect(trace('https://paiban.invalid/_paiban/images/evil.svg')).toEqual({ file: 'theme/extra.css', line: 4 });
    expect(trace('http://nowhere.example/x')).toEqual({ file: 'edition.yaml' });
  });
});

/** A page whose layout reports the given page counts, one per poll, then `end`. */
function fakePage(counts: number[], end?: string): Page {
  let polls = 0;
  return {
    evaluate: async () => {
      if (polls++ === 0) return undefined;
      const i = Math.min(polls - 2, counts.length - 1);
      return { pages: counts[i], done: polls - 2 >= counts.length ? end : undefined };
    },
  } as unknown as Page;
}

describe('the layout watchdog', () => {
  it('finishes when Paged.js says done', async () => {
    await expect(layOutPages(fakePage([1, 2, 3], 'done'), { pageMs: 1000 }, 1)).resolves.toBeUndefined();
  });
  it('a page that takes longer than the page budget is BrowserFailed naming PAIBAN_PAGE_TIMEOUT', async () => {
    const e = await layOutPages(fakePage([1, 2, 2]), { pageMs: 50 }, 5).catch((x: unknown) => x as PaibanError);
    expect(e).toBeInstanceOf(PaibanError);
    expect(e).toMatchObject({ code: 'BrowserFailed' });
    expect((e as PaibanError).message).toMatch(/no new page within 0.05 s \(stuck after page 2; PAIBAN_PAGE_TIMEOUT\)/);
  });
  it('a page that does not answer at all is BrowserFailed too', async () => {
    let n = 0;
    const page = { evaluate: () => (n++ === 0 ? Promise.resolve() : new Promise(() => undefined)) } as unknown as Page;
    await expect(layOutPages(page, { pageMs: 50 }, 1)).rejects.toMatchObject({ code: 'BrowserFailed' });
  });
  it('more pages than the limit is LimitExceeded naming the limit', async () => {
    await expect(layOutPages(fakePage([10, LIMITS.pages + 1]), { pageMs: 1000 }, 1)).rejects.toMatchObject({ code: 'LimitExceeded', message: expect.stringContaining('limits.pages') });
  });
  it('Paged.js giving up is not the browser\'s fault: TemplateInvalid, no retry', async () => {
    await expect(layOutPages(fakePage([1], 'error: could not load x'), { pageMs: 1000 }, 1)).rejects.toMatchObject({ code: 'TemplateInvalid' });
  });
});

describe('one retry on a fresh browser', () => {
  const fakeHandle = () => {
    let relaunches = 0;
    const h = {
      browser: { connected: true },
      kill: () => undefined,
      relaunch: async () => void relaunches++,
      get relaunches() {
        return relaunches;
      },
    };
    return h as unknown as BrowserHandle & { relaunches: number };
  };
  const budgets = { launchMs: 1000, pageMs: 1000, buildMs: 200 };

  it('does not replace a browser another edition has already replaced (paiban build A B side by side)', async () => {
    let relaunches = 0;
    const h = { browser: { connected: true } as { connected: boolean }, kill: () => undefined, relaunch: async () => void relaunches++ };
    const handle = h as unknown as BrowserHandle;
    let calls = 0;
    const r = await withBrowser(handle, new Diagnostics(), async () => {
      calls++;
      if (calls === 1) {
        h.browser = { connected: true }; // replaced meanwhile by the other edition's retry
        throw new PaibanError('BrowserFailed', 'crash');
      }
      return 'ok';
    }, budgets);
    expect(r).toBe('ok');
    expect(relaunches).toBe(0);
  });

  it('a browser fault is retried once, then BrowserFailed with both reasons', async () => {
    const h = fakeHandle();
    const d = new Diagnostics();
    let calls = 0;
    const e = await withBrowser(h, d, async () => {
      calls++;
      throw new PaibanError('BrowserFailed', `crash ${calls}`);
    }, budgets).catch((x: unknown) => x as PaibanError);
    expect(calls).toBe(2);
    expect(h.relaunches).toBe(1);
    expect(e.message).toMatch(/failed twice .*crash 1; then: crash 2/);
    expect(d.items.map((i) => i.rule)).toEqual(['browser-retry']);
  });
  it('work over the build budget is stopped, retried and then reported', async () => {
    const h = fakeHandle();
    // The work never ends: that withBrowser returns at all shows the budget stopped it, twice.
    const e = (await withBrowser(h, new Diagnostics(), () => new Promise<never>(() => undefined), budgets).catch((x: unknown) => x)) as PaibanError;
    expect(e.message).toMatch(/not done within 0.2 s \(PAIBAN_TIMEOUT\)/);
    expect(h.relaunches).toBe(1);
  });
  it('an error that is not the browser\'s is not retried', async () => {
    const h = fakeHandle();
    let calls = 0;
    await expect(withBrowser(h, new Diagnostics(), async () => {
      calls++;
      throw new PaibanError('LimitExceeded', 'too many pages');
    }, budgets)).rejects.toMatchObject({ code: 'LimitExceeded' });
    expect(calls).toBe(1);
  });
});

describe('small rules', () => {
  it('a file whose name starts with two dots is inside; .. and ../x are not', () => {
    expect(isInside('/e', path.join('/e', '..notes.md'))).toBe(true);
    expect(isInside('/e', '/e/..')).toBe(false);
    expect(isInside('/e', '/x')).toBe(false);
    expect(isInside('/e', '/e')).toBe(false);
  });
  it('raw HTML nested deeper than the limit loses the extra elements, keeps the text', () => {
    const deep = `${'<div>'.repeat(5000)}deep${'</div>'.repeat(5000)}`;
    const clean = sanitize(deep);
    expect(clean).toContain('deep');
    expect((clean.match(/<div>/g) ?? []).length).toBeLessThanOrEqual(LIMITS.htmlNesting);
  });
});
