/**
 * The farm's tests run real components: a redis-server of their own on a free loopback port
 * (bench/redis.ts), `bin/paiban worker` processes, each with a TMPDIR of its own (Chromium's
 * profile folder and the job sandboxes are there, and its processes name it: that is how a test
 * finds what a worker left behind), and `bin/paiban enqueue`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll } from 'vitest';
import { startRedis, type RedisServer } from '../../bench/redis.ts';
import { encodePng } from '../helpers/png.ts';
import { processesWith, until } from '../helpers/processes.ts';

export { processesWith, until };

export const BIN = path.resolve('bin/paiban');
export const DEMO = path.resolve('content/zjrb-2022-06-15');

const made: string[] = [];
/** A temp folder, removed by cleanup(). */
export function tempDir(prefix = 'paiban-farm-'): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}
export function cleanup(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A photo every tiny edition shares (content-addressed: sent to Redis once). */
const PHOTO = encodePng({ width: 600, height: 400, colour: 'grey', pixels: Buffer.alloc(600, 0x88), rows: 400 });

/**
 * A small A4 edition `<parent>/<slug>/`: one flow page, an article of a few paragraphs (the text
 * differs per slug), the shared photo under images/. `files` adds or replaces files.
 */
export function tinyEdition(parent: string, slug: string, files: Record<string, string | Buffer> = {}): string {
  const dir = path.join(parent, slug);
  const all: Record<string, string | Buffer> = {
    'edition.yaml': ['title: Farm test', 'publication: Test Daily', 'date: 2022-06-15', 'language: en', 'paper: a4', 'pages:', '  - layout: flow', '    articles:', '      - { file: story.md }', ''].join('\n'),
    'story.md': ['---', `title: "Story ${slug}"`, '---', '', ...Array.from({ length: 6 }, (_, i) => `Paragraph ${i + 1} of ${slug}: the harbour board met on Tuesday and agreed the new berths.`), '', '![The harbour at dawn](images/harbour.png "Test Daily")', ''].join('\n\n'),
    'images/harbour.png': PHOTO,
    ...files,
  };
  for (const [rel, data] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), data);
  }
  return dir;
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Its TMPDIR: Chromium's profile folder and the job sandboxes live here. */
  tmp: string;
  log: () => string;
  exited: Promise<number | null>;
  /** Resolves once the log matches. */
  waitFor: (re: RegExp, ms?: number) => Promise<boolean>;
}

export async function startWorker(redis: string, out: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<WorkerProcess> {
  // Short: Chromium's sockets live under it, and a Unix socket's path has at most 107 bytes.
  const tmp = tempDir('pbw-');
  return startWorkerIn(tmp, redis, out, args, env);
}

/** A worker with a given TMPDIR (that of a killed one: it sweeps what that one left). */
export async function startWorkerIn(tmp: string, redis: string, out: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [BIN, 'worker', '--redis', redis, '--out', out, '--stall-seconds', '6', ...args], { env: { ...process.env, TMPDIR: tmp, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  const w: WorkerProcess = { child, tmp, log: () => log, exited, waitFor: (re, ms = 120_000) => until(() => re.test(log) || child.exitCode !== null, ms).then(() => re.test(log)) };
  if (!(await w.waitFor(/ready: queue/))) throw new Error(`the worker did not start:\n${log}`);
  return w;
}

/** Stop a worker (SIGTERM, then SIGKILL after `ms`) and wait for it. */
export async function stopWorker(w: WorkerProcess, ms = 60_000): Promise<void> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return;
  w.child.kill('SIGTERM');
  const t = setTimeout(() => w.child.kill('SIGKILL'), ms);
  await w.exited;
  clearTimeout(t);
}

/** Run `paiban enqueue` (or another command) and collect its output. */
export function paiban(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A test file's farm: a redis-server, a BullMQ queue on it ("builds"), and the workers started through it. */
export interface Farm {
  redis: RedisServer;
  queue: Queue;
  /** A worker with a TMPDIR of its own (or the given one: that of a killed worker, to sweep what it left). */
  worker(out: string, args?: string[], opts?: { tmp?: string; env?: NodeJS.ProcessEnv }): Promise<WorkerProcess>;
}

/** Start a farm before the file's tests; stop its workers, queue and redis-server (and remove the temp folders) after them. */
export function useFarm(): Farm {
  const workers: WorkerProcess[] = [];
  const farm = {
    worker: async (out: string, args: string[] = [], opts: { tmp?: string; env?: NodeJS.ProcessEnv } = {}) => {
      const w = opts.tmp ? await startWorkerIn(opts.tmp, farm.redis.url, out, args, opts.env) : await startWorker(farm.redis.url, out, args, opts.env);
      workers.push(w);
      return w;
    },
  } as Farm;
  beforeAll(async () => {
    farm.redis = await startRedis();
    farm.queue = new Queue('builds', { connection: { url: farm.redis.url }, prefix: 'paiban' });
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => stopWorker(w)));
    await farm.queue?.close();
    await farm.redis?.stop();
    cleanup();
  });
  return farm;
}
