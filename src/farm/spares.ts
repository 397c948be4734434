/**
 * Renderers started ahead. Each layout run and each face plan of a build opens a page in a fresh
 * browser context, and starting its renderer process costs 0.3-0.7 s; a cold `paiban build` saves
 * one of them by taking the tab Chromium opened at its start. A warm worker keeps a few such pages
 * ready (each in a context of its own, never used: as fresh as a new one), started while it waits
 * for jobs, and hands them out through the same two doors the build uses: `takeInitialPage()` (a
 * layout run) and `browser.createBrowserContext()` (the face plan, whose first `newPage()` gets the
 * page). A page taken takes its context with it when it closes. After a Chromium relaunch, spares
 * of the old one are dropped.
 */
import type { Browser, BrowserContext, Page } from 'puppeteer-core';
import type { BrowserHandle } from '../paginate/browser.ts';

interface Spare {
  browser: Browser;
  context: BrowserContext;
  page: Page;
}

export interface WarmHandle extends BrowserHandle {
  /** Start spares up to the number kept (one at a time, in the background): when a job ends. */
  refill(): void;
  /** Spares ready now. */
  readonly ready: number;
}

export function warmHandle(handle: BrowserHandle, keep = 2): WarmHandle {
  const spares: Spare[] = [];
  let filling = false;
  let closed = false;
  const proxies = new WeakMap<Browser, Browser>();

  const take = (): Spare | undefined => {
    for (let s = spares.shift(); s; s = spares.shift()) {
      if (s.browser === handle.browser && s.browser.connected && !s.page.isClosed()) return s;
      void s.context.close().catch(() => undefined);
    }
    return undefined;
  };

  function refill(): void {
    if (filling || closed) return;
    filling = true;
    void (async () => {
      try {
        while (!closed && spares.length < keep && handle.browser.connected) {
          const browser = handle.browser;
          const context = await browser.createBrowserContext();
          const page = await context.newPage().catch(async (e: unknown) => {
            await context.close().catch(() => undefined);
            throw e;
          });
          spares.push({ browser, context, page });
        }
      } catch {
        // Chromium went away or is busy relaunching: the next take tries again.
      } finally {
        filling = false;
      }
    })();
  }

  /** The browser, whose createBrowserContext() hands out a spare first. */
  const proxy = (browser: Browser): Browser => {
    let p = proxies.get(browser);
    if (!p) {
      p = new Proxy(browser, {
        get(target, prop) {
          if (prop === 'createBrowserContext') {
            return async (...args: Parameters<Browser['createBrowserContext']>) => {
              const s = take();
              return s ? withPage(s) : target.createBrowserContext(...args);
            };
          }
          const v = Reflect.get(target, prop, target) as unknown;
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
      proxies.set(browser, p);
    }
    return p;
  };

  return {
    get browser() {
      return proxy(handle.browser);
    },
    get version() {
      return handle.version;
    },
    get pid() {
      return handle.pid;
    },
    get ready() {
      return spares.length;
    },
    refill,
    relaunch: () => handle.relaunch(),
    kill: () => handle.kill(),
    async takeInitialPage() {
      const initial = await handle.takeInitialPage();
      if (initial) return initial;
      const s = take();
      if (!s) return undefined;
      s.page.once('close', () => void s.context.close().catch(() => undefined));
      return s.page;
    },
    async close() {
      closed = true;
      spares.length = 0;
      await handle.close();
    },
  };
}

/** A spare's context whose first newPage() is the page already started in it. */
function withPage(s: Spare): BrowserContext {
  let given = false;
  return new Proxy(s.context, {
    get(target, prop) {
      if (prop === 'newPage') {
        return async (...args: Parameters<BrowserContext['newPage']>) => {
          if (!given && !s.page.isClosed()) {
            given = true;
            return s.page;
          }
          return target.newPage(...args);
        };
      }
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
