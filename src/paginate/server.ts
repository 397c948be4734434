/**
 * What the page may load. Every request of the page is intercepted and answered from memory or
 * from disk: the composed document, paiban's own assets, and files inside the edition folder.
 * Anything else (other file: paths, http(s), data the policy did not allow) is refused and
 * reported. Nothing reaches the network.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { HTTPRequest, Page } from 'puppeteer-core';
import { resolveInside } from '../load/files.ts';
import { ASSET_PREFIX, EDITION_PREFIX, ORIGIN } from '../compose/compose.ts';

export interface Routes {
  /** URL path under ASSET_PREFIX → bytes or a file on disk. */
  assets: Map<string, { body?: Uint8Array | string; file?: string; type: string }>;
  editionDir: string;
  /** The document itself, at ORIGIN + '/'. */
  document: string;
}

const TYPES: Record<string, string> = {
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.svg': 'image/svg+xml',
  '.gif': 'image/gif', '.css': 'text/css', '.ttf': 'font/ttf', '.otf': 'font/otf', '.woff': 'font/woff', '.woff2': 'font/woff2',
};

export async function serve(page: Page, routes: Routes, onRefused: (url: string, why: string) => void): Promise<void> {
  await page.setRequestInterception(true);
  page.on('request', (req) => {
    void answer(req, routes).then(
      (why) => {
        if (why) onRefused(req.url(), why);
      },
      (e: unknown) => {
        onRefused(req.url(), (e as Error).message);
        void req.abort('failed').catch(() => undefined);
      },
    );
  });
}

async function answer(req: HTTPRequest, routes: Routes): Promise<string | undefined> {
  const raw = req.url();
  if (raw.startsWith('data:')) {
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
    await req.abort('blockedbyclient');
    return url.protocol === 'file:' ? 'local files outside the edition are not loaded' : 'paiban does not load anything from the network';
  }
  const p = decodeURIComponent(url.pathname);
  if (p === '/' || p === '/index.html') {
    await req.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: routes.document });
    return undefined;
  }
  if (p === '/favicon.ico') {
    await req.respond({ status: 204, body: '' });
    return undefined;
  }
  if (p.startsWith(ASSET_PREFIX)) {
    const a = routes.assets.get(p.slice(ASSET_PREFIX.length));
    if (a) {
      await req.respond({ status: 200, contentType: a.type, body: a.body ?? (await readFile(a.file!)) });
      return undefined;
    }
  } else if (p.startsWith(EDITION_PREFIX)) {
    const found = await resolveInside(routes.editionDir, p.slice(EDITION_PREFIX.length));
    if ('abs' in found) {
      await req.respond({ status: 200, contentType: TYPES[path.extname(found.abs).toLowerCase()] ?? 'application/octet-stream', body: await readFile(found.abs) });
      return undefined;
    }
    await req.respond({ status: 404, body: '' });
    return found.problem === 'missing' ? 'no such file in the edition' : 'the path leaves the edition folder';
  }
  await req.respond({ status: 404, body: '' });
  return 'not a file paiban serves';
}
