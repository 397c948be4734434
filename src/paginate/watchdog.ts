/**
 * Time budgets for the browser. The browser work of one edition gets PAIBAN_TIMEOUT; Paged.js must
 * lay out each next page within PAIBAN_PAGE_TIMEOUT. A crash, a hang or a missed budget kills
 * Chromium; the work is run once more with a fresh Chromium, and a second failure is a clear
 * BrowserFailed error. Nothing waits forever: a frozen Chromium is killed by a timer in Node.
 */
import type { Page } from 'puppeteer-core';
import type { Diagnostics } from '../diagnostics.ts';
import { PaibanError } from '../errors.ts';
import { LIMITS, limitName, timeBudgets, type TimeBudgets } from '../limits.ts';
import { isBrowserFault, type BrowserHandle } from './browser.ts';

const firstLine = (e: unknown) => String((e as Error | undefined)?.message ?? e).split('\n')[0]!;

/**
 * Run `work` (everything one edition needs from the browser) within the build budget, with one
 * retry on a fresh Chromium when the browser crashes, hangs or misses a budget. Errors that are
 * not the browser's (content errors, limits, bugs) are thrown as they are, without a retry.
 */
export async function withBrowser<T>(handle: BrowserHandle, diagnostics: Diagnostics, work: (budgets: TimeBudgets) => Promise<T>, budgets = timeBudgets()): Promise<T> {
  // A browser that died during an earlier edition (paiban build A B) is replaced first.
  if (!handle.browser.connected) await handle.relaunch();
  let first: unknown;
  for (let attempt = 1; ; attempt++) {
    const running = handle.browser;
    try {
      return await withinBudget(handle, budgets, work);
    } catch (e) {
      if (!isBrowserFault(e, handle)) throw e;
      if (attempt === 2) {
        throw new PaibanError('BrowserFailed', `Chromium failed twice while laying out the pages: ${firstLine(first)}; then: ${firstLine(e)}`, {
          hint: `if it hung, look for a huge article or image, or raise PAIBAN_TIMEOUT (now ${budgets.buildMs / 1000} s) or PAIBAN_PAGE_TIMEOUT (now ${budgets.pageMs / 1000} s); if it crashed, check free memory and that PAIBAN_CHROME works; --debug shows more`,
          cause: e,
        });
      }
      first = e;
      diagnostics.info('edition.yaml', 'browser-retry', `Chromium failed (${firstLine(e)}): retrying once with a fresh Chromium`);
      // Editions built side by side share the browser: the first to see it fail replaces it.
      if (handle.browser === running) await handle.relaunch();
      else if (!handle.browser.connected) await handle.relaunch();
    }
  }
}

async function withinBudget<T>(handle: BrowserHandle, budgets: TimeBudgets, work: (budgets: TimeBudgets) => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      handle.kill();
      reject(new PaibanError('BrowserFailed', `the pages were not done within ${budgets.buildMs / 1000} s (PAIBAN_TIMEOUT)`));
    }, budgets.buildMs);
  });
  const running = work(budgets);
  running.catch(() => undefined);
  try {
    return await Promise.race([running, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** `p`, or a BrowserFailed error when it takes longer than `ms`. */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PaibanError('BrowserFailed', `${what} (no answer within ${ms / 1000} s)`)), ms);
  });
  p.catch(() => undefined);
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

/** The edition runs to more pages than LIMITS.pages. */
export function pageLimitError(): PaibanError {
  return new PaibanError('LimitExceeded', `the edition runs to more than ${LIMITS.pages} pages: paiban lays out at most ${LIMITS.pages} (${limitName('pages')})`, {
    where: { file: 'edition.yaml' },
    hint: 'split the edition into several, or look for an article that is far longer than meant',
  });
}

interface LayoutState {
  pages: number;
  done?: string;
}

/**
 * Let Paged.js lay out the document (PagedConfig.auto is false), watching its progress from Node:
 * each next page must come within `pageMs`, and there may be at most LIMITS.pages pages.
 */
export async function layOutPages(page: Page, budgets: Pick<TimeBudgets, 'pageMs'>, pollMs = 250, onPages?: (pages: number) => void): Promise<void> {
  await within(
    page.evaluate(() => {
      const w = window as unknown as { PagedPolyfill: { preview(): Promise<unknown> }; __paibanLayout?: string };
      // Paged.js fetches every stylesheet (and @import) with XMLHttpRequest and gives up on the
      // first it cannot load. One from elsewhere goes to the server's refusal route instead: it
      // is reported there (against the file that asked) and answered with an empty stylesheet.
      const open = XMLHttpRequest.prototype.open as (this: XMLHttpRequest, ...args: unknown[]) => void;
      XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
        const u = new URL(String(url), document.baseURI);
        const to = u.origin === location.origin ? url : `${location.origin}/_paiban/refused?url=${encodeURIComponent(u.href)}`;
        return open.call(this, method, to, ...rest);
      } as typeof XMLHttpRequest.prototype.open;
      const describe = (e: unknown) => {
        const t = (e as { target?: { responseURL?: string; src?: string; href?: string } } | undefined)?.target;
        return e instanceof Event ? `could not load ${t?.responseURL || t?.src || t?.href || 'a resource'} (${e.type})` : String(e);
      };
      void (async () => {
        await document.fonts.ready;
        await w.PagedPolyfill.preview();
        await document.fonts.ready;
      })().then(
        () => (w.__paibanLayout = 'done'),
        (e: unknown) => (w.__paibanLayout = `error: ${describe(e)}`),
      );
    }),
    budgets.pageMs,
    'Paged.js did not start',
  );
  let last = -1;
  let since = Date.now();
  for (;;) {
    const state: LayoutState = await within(
      page.evaluate(() => ({ pages: document.querySelectorAll('.pagedjs_page').length, done: (window as unknown as { __paibanLayout?: string }).__paibanLayout })),
      budgets.pageMs,
      `Paged.js stopped answering after ${Math.max(last, 0)} pages`,
    );
    if (state.pages > LIMITS.pages) throw pageLimitError();
    if (state.done === 'done') return;
    if (state.done) {
      // Not the browser's fault (no retry): Paged.js stopped on something in the document.
      throw new PaibanError('TemplateInvalid', `Paged.js could not lay out the pages: ${state.done.slice(7, 300)}`, {
        hint: 'check the template\'s stylesheets and markup (an own template may refer only to its own and the edition\'s files); report it with the edition if it persists',
      });
    }
    if (state.pages !== last) {
      last = state.pages;
      since = Date.now();
      onPages?.(last);
    } else if (Date.now() - since > budgets.pageMs) {
      throw new PaibanError('BrowserFailed', `Paged.js laid out no new page within ${budgets.pageMs / 1000} s (stuck after page ${last}; PAIBAN_PAGE_TIMEOUT)`);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
