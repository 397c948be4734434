/**
 * Helpers for the security tests: tiny editions in temp folders (a4, one short article), an own
 * template copied from paiban's newspaper template, a loopback listener that records every
 * connection, the outcome of a build as exit code + errors + diagnostics, and a way to find the
 * processes a run left behind.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { encodePng } from '../helpers/png.ts';
import { build, type BuildOptions } from '../../src/build.ts';
import type { Diagnostic } from '../../src/diagnostics.ts';
import { PaibanError, PaibanErrors } from '../../src/errors.ts';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = path.join(REPO, 'bin', 'paiban');

/**
 * A grey PNG of `w` × `h` pixels (preflight wants photos of print resolution). With `claim`, the
 * header claims another size than the pixel data holds: a decompression bomb's header.
 */
export function png(w: number, h: number, claim?: { width: number; height: number }): Buffer {
  // 8-bit greyscale; at most 4096 rows of data whatever the header claims.
  return encodePng({ width: claim?.width ?? w, height: claim?.height ?? h, colour: 'grey', pixels: Buffer.alloc(w, 0x99), rows: Math.min(h, 4096) });
}

/** A photo large enough for print at any size in a column. */
export const PHOTO = png(1600, 1000);

/** A file of an edition: text, bytes, a symlink, a named pipe or a folder. */
export type FileSpec = string | Uint8Array | { symlink: string } | { fifo: true } | { dir: true } | null;

const made: string[] = [];
afterAll(async () => {
  await Promise.all(made.map((d) => rm(d, { recursive: true, force: true })));
});

/** A fresh temp folder, removed after the test file. */
export async function tempDir(prefix = 'paiban-sec-'): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}

export const BASE_YAML = ['title: Hostile', 'publication: Test Daily', 'date: 2022-06-15', 'language: en', 'paper: a4'];

/** edition.yaml for a flow page holding the given articles (default a.md). */
export function editionYaml(opts: { extra?: string[]; articles?: string[] } = {}): string {
  const arts = (opts.articles ?? ['a.md']).map((f) => `      - { file: ${f} }`);
  return [...BASE_YAML, ...(opts.extra ?? []), 'pages:', '  - layout: flow', '    articles:', ...arts].join('\n') + '\n';
}

export function article(body: string, front: Record<string, string> = { title: 'Case' }): string {
  return ['---', ...Object.entries(front).map(([k, v]) => `${k}: ${JSON.stringify(v)}`), '---', '', body].join('\n') + '\n';
}

/** Write an edition into `<fresh tmp>/<slug>/`; returns its path. Defaults: edition.yaml and a.md (null: leave out). */
export async function makeEdition(files: Record<string, FileSpec>, slug = 'ed'): Promise<string> {
  const dir = path.join(await tempDir(), slug);
  await mkdir(dir, { recursive: true });
  const all: Record<string, FileSpec> = { 'edition.yaml': editionYaml(), 'a.md': article('Safe text.'), ...files };
  for (const [rel, spec] of Object.entries(all)) {
    const abs = path.join(dir, rel);
    await mkdir(path.dirname(abs), { recursive: true });
    if (spec === null) continue;
    if (typeof spec === 'string' || spec instanceof Uint8Array) await writeFile(abs, spec);
    else if ('symlink' in spec) await symlink(spec.symlink, abs);
    else if ('fifo' in spec) execFileSync('mkfifo', [abs]);
    else await mkdir(abs, { recursive: true });
  }
  return dir;
}

/** Copy paiban's newspaper template into `<dir>/theme` and apply edits; edition.yaml must say `template: ./theme`. */
export async function ownTemplate(dir: string, edit: { document?: (s: string) => string; css?: string; files?: Record<string, string | Uint8Array> } = {}): Promise<string> {
  const theme = path.join(dir, 'theme');
  cpSync(path.join(REPO, 'templates', 'newspaper'), theme, { recursive: true });
  cpSync(path.join(REPO, 'styles', 'newspaper.css'), path.join(theme, 'newspaper.css'));
  if (edit.document) {
    const f = path.join(theme, 'document.hbs');
    await writeFile(f, edit.document(readFileSync(f, 'utf8')));
  }
  if (edit.css !== undefined) {
    await writeFile(path.join(theme, 'extra.css'), edit.css);
    const y = path.join(theme, 'template.yaml');
    await writeFile(y, readFileSync(y, 'utf8').replace(/^styles: \[(.*)\]/m, 'styles: [$1, extra.css]'));
  }
  for (const [rel, content] of Object.entries(edit.files ?? {})) await writeFile(path.join(theme, rel), content);
  return theme;
}

/** A TCP listener on 127.0.0.1 (random port) that records every connection and its first bytes. */
export async function listener(): Promise<{ port: number; url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server: Server = createServer((sock) => {
    hits.push(`connection from ${sock.remoteAddress}`);
    sock.setTimeout(2000, () => sock.destroy());
    sock.on('error', () => undefined);
    sock.once('data', (d) => {
      hits.push(d.toString('latin1').split('\r\n')[0]!);
      sock.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { port, url: `http://127.0.0.1:${port}`, hits, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A random token in a file next to the edition folder and one in a folder elsewhere. */
export async function secrets(editionDir: string): Promise<{ token: string; beside: string; outside: string }> {
  const token = `SECRET-${randomBytes(12).toString('hex')}`;
  const beside = path.join(path.dirname(editionDir), 'secret.txt');
  const outside = path.join(await tempDir('paiban-secret-'), 'secret.txt');
  await writeFile(beside, `${token}\n`);
  await writeFile(outside, `${token}\n`);
  return { token, beside, outside };
}

export interface Outcome {
  exit: 0 | 1;
  /** Errors that stopped the build (thrown). */
  errors: PaibanError[];
  /** Diagnostics of a build that ran (errors among them make exit 1). */
  diagnostics: Diagnostic[];
}

/** Build and describe the outcome the way the CLI would: exit code, errors, diagnostics. */
export async function outcome(dir: string, opts: BuildOptions): Promise<Outcome> {
  try {
    const r = await build(dir, opts);
    return { exit: r.ok ? 0 : 1, errors: [], diagnostics: r.diagnostics.items };
  } catch (e) {
    if (e instanceof PaibanErrors) return { exit: 1, errors: e.errors, diagnostics: [] };
    if (e instanceof PaibanError) return { exit: 1, errors: [e], diagnostics: [] };
    throw e;
  }
}

export { alive, processesWith, until } from '../helpers/processes.ts';
