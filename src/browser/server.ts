/**
 * What the page may load. Every request of the page is intercepted and answered from memory or
 * from disk: the composed document, paiban's own assets, and files inside the edition folder.
 * Anything else (other file: paths, http(s), data the policy did not allow) is refused and
 * reported. Nothing reaches the network. The document is served once, with a CSP header; edition
 * files are never served as scripts, frames or navigations.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { HTTPRequest, Page } from 'puppeteer-core';
import { resolveInside } from '../load/files.ts';
import { ASSET_PREFIX, EDITION_PREFIX, ORIGIN } from '../compose/compose.ts';
import { LIMITS, formatBytes, limitName } from '../limits.ts';

export interface Routes {
  /** URL path under ASSET_PREFIX → bytes or a file on disk. */
  assets: Map<string, { body?: Uint8Array | string; file?: string; type: string }>;
  editionDir: string;
  /** The document itself, at ORIGIN + '/'. */
  document: string;
}

/** Content types of the files an edition may hold, by extension (also served by paiban preview). */
const TYPES: Record<string, string> = {
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.svg': 'image/svg+xml',
  '.gif': 'image/gif', '.css': 'text/css', '.ttf': 'font/ttf', '.otf': 'font/otf', '.woff': 'font/woff', '.woff2': 'font/woff2',
};

export function contentTypeOf(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Checked on top of the composed document's own CSP meta (which an edition's template could leave
 * out): scripts only from paiban's assets, no frames, objects or forms.
 */
export const CSP_HEADER = `default-src 'none'; script-src ${ORIGIN}${ASSET_PREFIX}; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; media-src 'self'; frame-src 'none'; object-src 'none'; form-action 'none'; base-uri 'self'`;

/** Kinds of request an edition's file may answer: never a script, a frame or a navigation. */
const EDITION_TYPES = new Set(['image', 'font', 'stylesheet', 'media', 'fetch', 'xhr', 'other']);

export async function serve(page: Page, routes: Routes, onRefused: (url: string, why: string) => void): Promise<void> {
  await page.setRequestInterception(true);
  const state = { documentServed: false };
  page.on('request', (req) => {
    void answer(req, routes, state).then(
      (why) => {
        if (typeof why === 'string') onRefused(req.url(), why);
        else if (why) onRefused(why.url, why.why);
      },
      (e: unknown) => {
        onRefused(req.url(), (e as Error).message);
        void req.abort('failed').catch(() => undefined);
      },
    );
  });
}

async function answer(req: HTTPRequest, routes: Routes, state: { documentServed: boolean }): Promise<string | { url: string; why: string } | undefined> {
  const raw = req.url();
  if (raw.startsWith('data:') || raw.startsWith('blob:')) {
    // In-memory data: nothing is fetched.
    await req.continue();
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    await req.abort('blockedbyclient');
    return 'not a URL';
  }
  if (url.origin !== ORIGIN) {
    // Answered here, never fetched: 204 for a navigation (a meta refresh) so the document stays.
    if (req.isNavigationRequest()) await req.respond({ status: 204, body: '' });
    else await req.abort('blockedbyclient');
    return url.protocol === 'file:' ? 'local files outside the edition are not loaded' : 'paiban does not load anything from the network';
  }
  const type = req.resourceType();
  if (req.isNavigationRequest()) {
    // The document is loaded once, in the main frame; no frames, no redirects, no meta refresh.
    if (state.documentServed || req.frame() !== req.frame()?.page().mainFrame() || (url.pathname !== '/' && url.pathname !== '/index.html')) {
      // 204 cancels the navigation and keeps the document (an aborted one would show an error page).
      await req.respond({ status: 204, body: '' });
      return 'the page may not navigate or open frames';
    }
    state.documentServed = true;
    await req.respond({ status: 200, contentType: 'text/html; charset=utf-8', headers: { 'Content-Security-Policy': CSP_HEADER, 'X-Content-Type-Options': 'nosniff' }, body: routes.document });
    return undefined;
  }
  let p: string;
  try {
    p = decodeURIComponent(url.pathname);
  } catch {
    await req.respond({ status: 404, body: '' });
    return 'not a valid path';
  }
  if (p === '/favicon.ico') {
    await req.respond({ status: 204, body: '' });
    return undefined;
  }
  if (p === `${ASSET_PREFIX}refused`) {
    // Where the page's stylesheet fetches to other origins are sent (watchdog.ts): an empty sheet.
    await req.respond({ status: 200, contentType: 'text/css', body: '' });
    return { url: url.searchParams.get('url') ?? raw, why: 'a stylesheet from elsewhere: paiban loads only its own files and the edition\'s' };
  }
  if (p.startsWith(ASSET_PREFIX)) {
    const a = routes.assets.get(p.slice(ASSET_PREFIX.length));
    if (a) {
      await req.respond({ status: 200, contentType: a.type, headers: { 'X-Content-Type-Options': 'nosniff' }, body: a.body ?? (await readFile(a.file!)) });
      return undefined;
    }
  } else if (p.startsWith(EDITION_PREFIX)) {
    if (!EDITION_TYPES.has(type)) {
      await req.abort('blockedbyclient');
      return `an edition file may not be loaded as a ${type}`;
    }
    const found = await resolveInside(routes.editionDir, p.slice(EDITION_PREFIX.length));
    if ('abs' in found) {
      if (found.size > LIMITS.imageBytes) {
        await req.respond({ status: 413, body: '' });
        return `the file is ${formatBytes(found.size)}; files may have at most ${formatBytes(LIMITS.imageBytes)} (${limitName('imageBytes')})`;
      }
      const contentType = contentTypeOf(found.abs);
      await req.respond({ status: 200, contentType, headers: { 'X-Content-Type-Options': 'nosniff' }, body: await readFile(found.abs) });
      return undefined;
    }
    await req.respond({ status: 404, body: '' });
    return found.problem === 'missing' ? 'no such file in the edition' : found.problem === 'notfile' ? 'not a regular file' : 'the path leaves the edition folder';
  }
  await req.respond({ status: 404, body: '' });
  return 'not a file paiban serves';
}
