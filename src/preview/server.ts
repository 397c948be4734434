/**
 * `paiban preview`: a live preview while editing. The edition's print document is served on
 * 127.0.0.1 to the editor's browser, which paginates it with Paged.js; every save under the edition
 * (or its own template) rebuilds the document and reloads the page. Only the document, paiban's
 * assets and files inside the edition folder are served; nothing listens beyond loopback.
 */
import { createServer, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { watch } from 'chokidar';
import { prepareEdition, type PreparedEdition } from '../build.ts';
import { ASSET_PREFIX, EDITION_PREFIX, ORIGIN } from '../compose/compose.ts';
import { Diagnostics, formatDiagnostic } from '../diagnostics.ts';
import { PaibanError, PaibanErrors } from '../errors.ts';
import { resolveInside } from '../load/files.ts';
import { PAGED_JS, slotOptions } from '../paginate/paginate.ts';
import { contentTypeOf } from '../paginate/server.ts';
import { clientScript } from './client.ts';


export interface PreviewHandle {
  url: string;
  close(): Promise<void>;
  /** Resolves after the next rebuild (tests). */
  nextBuild(): Promise<void>;
}

export async function preview(editionDir: string, opts: { port?: number; onBuild?: (messages: string[]) => void } = {}): Promise<PreviewHandle> {
  let state: { prepared?: PreparedEdition; messages: string[]; error?: string } = { messages: [] };
  const clients = new Set<ServerResponse>();
  let waiters: (() => void)[] = [];
  const rebuild = async () => {
    const diagnostics = new Diagnostics();
    try {
      const prepared = await prepareEdition(editionDir, { diagnostics });
      state = { prepared, messages: diagnostics.items.map(formatDiagnostic) };
    } catch (e) {
      const errors = e instanceof PaibanErrors ? e.errors : e instanceof PaibanError ? [e] : undefined;
      if (!errors) throw e;
      state = { prepared: state.prepared, messages: errors.map((x) => x.format()), error: errors.map((x) => x.format()).join('\n') };
    }
    opts.onBuild?.(state.messages);
    for (const c of clients) c.write('event: reload\ndata: {}\n\n');
    for (const w of waiters) w();
    waiters = [];
  };
  await rebuild();

  const server = createServer((req, res) => {
    void handle(new URL(req.url ?? '/', 'http://127.0.0.1').pathname, res).catch((e: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(String(e));
    });
  });
  async function handle(p: string, res: ServerResponse): Promise<void> {
    const send = (type: string, body: string | Uint8Array) => res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    const prepared = state.prepared;
    if (p === `${ASSET_PREFIX}events`) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': paiban preview\n\n');
      clients.add(res);
      res.on('close', () => clients.delete(res));
      return;
    }
    if (p === `${ASSET_PREFIX}diagnostics.json`) return void send('application/json', JSON.stringify(state.messages));
    if (p === `${ASSET_PREFIX}reload.js`) return void send('application/javascript', "new EventSource('/_paiban/events').addEventListener('reload', () => location.reload());");
    if (state.error || !prepared) return void send('text/html; charset=utf-8', errorPage(state.error ?? 'no build yet'));
    const { composed } = prepared;
    if (p === '/' || p === '/index.html') {
      const html = composed.html
        .replace(`${ORIGIN}${EDITION_PREFIX}`, EDITION_PREFIX)
        .replace('</head>', `<script src="${ASSET_PREFIX}preview.js"></script>\n</head>`);
      return void send('text/html; charset=utf-8', html);
    }
    if (p.startsWith(ASSET_PREFIX)) {
      const name = p.slice(ASSET_PREFIX.length);
      if (name === 'preview.js') return void send('application/javascript', clientScript(slotOptions(composed)));
      if (name === 'paged.polyfill.js') return void send('application/javascript', await readFile(PAGED_JS));
      if (name === 'fonts.css') return void send('text/css', prepared.fontsCss);
      if (name === 'page.css') return void send('text/css', composed.pageCss);
      const sheet = composed.stylesheets.find((s) => s.url === p);
      if (sheet) return void send('text/css', await readFile(sheet.file));
      const font = prepared.fontFiles.get(name);
      if (font) return void send('font/ttf', await readFile(font));
    } else if (p.startsWith(EDITION_PREFIX)) {
      const found = await resolveInside(prepared.edition.dir, decodeURIComponent(p.slice(EDITION_PREFIX.length)));
      if ('abs' in found) return void send(contentTypeOf(found.abs), await readFile(found.abs));
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }

  const port = opts.port ?? 4173;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(listenError(e, port)));
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : opts.port}/`;

  // Rebuild on save (debounced), under the edition and its own template folder.
  const watched = [editionDir, ...(state.prepared && !state.prepared.template.dir.startsWith(path.resolve('templates')) ? [state.prepared.template.dir] : [])];
  const watcher = watch(watched, { ignoreInitial: true, ignored: (f) => /(^|[/\\])\.|node_modules/.test(path.basename(f)) });
  let timer: NodeJS.Timeout | undefined;
  watcher.on('all', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void rebuild(), 150);
  });
  await new Promise<void>((r) => watcher.once('ready', () => r()));

  return {
    url,
    nextBuild: () => new Promise<void>((r) => waiters.push(r)),
    async close() {
      clearTimeout(timer);
      await watcher.close();
      for (const c of clients) c.end();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Why the preview cannot listen, as the user can act on it (PreviewFailed: exit 1). */
function listenError(e: NodeJS.ErrnoException, port: number): PaibanError {
  const other = port === 65535 ? 4173 : port + 1;
  if (e.code === 'EADDRINUSE') {
    return new PaibanError('PreviewFailed', `port ${port} on 127.0.0.1 is already in use`, { hint: `stop what listens there (another paiban preview?), or choose another port: --port ${other}`, cause: e });
  }
  if (e.code === 'EACCES') {
    return new PaibanError('PreviewFailed', `not allowed to listen on port ${port}${port < 1024 ? ' (ports below 1024 are reserved for root)' : ''}`, { hint: 'choose a port from 1024 to 65535, e.g. --port 4173', cause: e });
  }
  return new PaibanError('PreviewFailed', `cannot listen on 127.0.0.1:${port}: ${e.code ?? e.message}`, { hint: 'choose another port with --port, or check that the loopback interface is up', cause: e });
}

function errorPage(message: string): string {
  const esc = message.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>paiban preview: error</title></head><body style="font:15px/1.6 sans-serif;padding:2em"><h1 style="color:#b00">The edition does not build</h1><pre style="white-space:pre-wrap">${esc}</pre><p>Fix it and save: this page reloads.</p><script src="${ASSET_PREFIX}reload.js"></script></body></html>`;
}
