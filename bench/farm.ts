/**
 * The render farm in `npm run bench` (src/farm/, docs/farm.md), on a redis-server of the bench's own:
 * - latency: the demo edition with its text changed for every run (paragraphs reordered: the same
 *   characters, a new document, so nothing is reused from an earlier build or job), built cold with
 *   `paiban build` and as a job of a warm worker with `paiban enqueue --wait`, each command timed
 *   from its start to its end, runs interleaved so that the machine's load falls on both alike;
 * - throughput: a batch of such editions through one worker, then through two, each worker with its
 *   default concurrency, timed from the enqueue to the last job done; per core of the machine, with
 *   the CPU time the workers (Chromium included) spent per edition.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { DEMO } from './editions.ts';
import { runMeasured, treeMemory } from './proc.ts';
import { startRedis } from './redis.ts';

export interface FarmLatency {
  runs: number;
  /** Medians (ms) of the cold build and of enqueue --wait on a warm worker; CPU of each command's own process tree. */
  coldMs: number;
  warmMs: number;
  coldCpuMs: number;
  enqueueCpuMs: number;
  /** Median of the worker's CPU per job (Chromium included). */
  workerCpuMs: number;
  coldRuns: number[];
  warmRuns: number[];
}

export interface FarmThroughput {
  workers: number;
  editions: number;
  wallMs: number;
  /** CPU of the workers' process trees over the batch. */
  cpuMs: number;
}

export interface FarmReport {
  cores: number;
  latency?: FarmLatency;
  throughput: FarmThroughput[];
  error?: string;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The demo with its paragraphs reordered (`n` picks the order): the same characters, another document. */
export function demoVariant(parent: string, n: number): string {
  const dir = path.join(parent, `v${n}`, path.basename(DEMO));
  cpSync(DEMO, dir, { recursive: true });
  const shuffle = (file: string, k: number) => {
    const p = path.join(dir, file);
    const text = readFileSync(p, 'utf8');
    const front = /^---\n[\s\S]*?\n---\n/.exec(text)![0];
    const blocks = text.slice(front.length).split(/\n{2,}/);
    const at = blocks.map((b, i) => (/^[^\s!#:>|-]/.test(b.trim()) && b.trim() ? i : -1)).filter((i) => i >= 0);
    const moved = at.map((_, i) => blocks[at[(i + k) % at.length]!]!);
    at.forEach((i, j) => (blocks[i] = moved[j]!));
    writeFileSync(p, front + blocks.join('\n\n'));
  };
  shuffle('reform.md', 1 + (n % 31));
  shuffle('politics.md', 1 + Math.floor(n / 31));
  return dir;
}

interface Worker {
  child: ChildProcess;
  log: () => string;
}

async function startWorker(bin: string, redis: string, out: string): Promise<Worker> {
  const child = spawn(process.execPath, [bin, 'worker', '--redis', redis, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  for (let i = 0; i < 1200 && !/ready: queue/.test(log) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
  if (!/ready: queue/.test(log)) {
    child.kill('SIGKILL');
    throw new Error(`a worker did not start: ${log.trim().split('\n').slice(-2).join(' ')}`);
  }
  return { child, log: () => log };
}

async function stopWorkers(ws: Worker[]): Promise<void> {
  await Promise.all(ws.map((w) => new Promise<void>((resolve) => {
    if (w.child.exitCode !== null) return resolve();
    w.child.once('exit', () => resolve());
    w.child.kill('SIGTERM');
  })));
}

const workersCpu = (ws: Worker[]) => ws.reduce((a, w) => a + treeMemory(w.child.pid!, false).cpuMs, 0);

export async function benchFarm(bin: string, work: string, opts: { runs: number; editions: number; log: (s: string) => void }): Promise<FarmReport> {
  const report: FarmReport = { cores: os.availableParallelism(), throughput: [] };
  const redis = await startRedis();
  let n = 0;
  const variant = () => demoVariant(path.join(work, 'farm-editions'), n++);
  const out = path.join(work, 'farm-out');
  const enqueue = (dirs: string[]) => runMeasured(process.execPath, [bin, 'enqueue', '--redis', redis.url, '--wait', ...dirs]);
  let workers: Worker[] = [];
  try {
    // Latency: one warm worker; a warm-up job first (untimed), then cold and warm runs interleaved.
    workers = [await startWorker(bin, redis.url, out)];
    const warm = await enqueue([variant()]);
    if (warm.code !== 0) throw new Error(`the warm-up job failed: ${warm.stderr.trim().split('\n').slice(-1)[0]}`);
    const cold: { wall: number; cpu: number }[] = [];
    const hot: { wall: number; cpu: number; worker: number }[] = [];
    for (let run = 1; run <= opts.runs; run++) {
      const c = await runMeasured(process.execPath, [bin, 'build', variant(), '--out', path.join(work, 'farm-cold')]);
      if (c.code !== 0) throw new Error(`a cold build failed: ${c.stderr.trim().split('\n').slice(-1)[0]}`);
      cold.push({ wall: c.wallMs, cpu: c.cpuMs });
      const before = workersCpu(workers);
      const h = await enqueue([variant()]);
      if (h.code !== 0) throw new Error(`a farm job failed: ${h.stderr.trim().split('\n').slice(-1)[0]}`);
      hot.push({ wall: h.wallMs, cpu: h.cpuMs, worker: workersCpu(workers) - before });
      opts.log(`farm: run ${run}: cold paiban build ${(c.wallMs / 1000).toFixed(2)} s, warm enqueue --wait ${(h.wallMs / 1000).toFixed(2)} s`);
    }
    report.latency = {
      runs: opts.runs,
      coldMs: median(cold.map((c) => c.wall)),
      warmMs: median(hot.map((h) => h.wall)),
      coldCpuMs: median(cold.map((c) => c.cpu)),
      enqueueCpuMs: median(hot.map((h) => h.cpu)),
      workerCpuMs: median(hot.map((h) => h.worker)),
      coldRuns: cold.map((c) => c.wall),
      warmRuns: hot.map((h) => h.wall),
    };
    // Throughput: a batch through one worker (the warm one), then through two.
    for (const count of [1, 2]) {
      while (workers.length < count) {
        workers.push(await startWorker(bin, redis.url, out));
        const w = await enqueue([variant()]); // each worker warm before the batch (one job may go to either)
        if (w.code !== 0) throw new Error('a warm-up job failed');
      }
      const batch = Array.from({ length: opts.editions }, () => variant());
      const before = workersCpu(workers);
      const t = await enqueue(batch);
      if (t.code !== 0) throw new Error(`a batch failed: ${t.stderr.trim().split('\n').slice(-1)[0]}`);
      report.throughput.push({ workers: count, editions: opts.editions, wallMs: t.wallMs, cpuMs: workersCpu(workers) - before });
      opts.log(`farm: ${opts.editions} editions through ${count} worker(s): ${(t.wallMs / 1000).toFixed(1)} s`);
    }
  } catch (e) {
    report.error = (e as Error).message;
    opts.log(`farm: ${report.error}`);
  } finally {
    await stopWorkers(workers);
    await redis.stop();
  }
  return report;
}

const s2 = (ms: number) => (ms / 1000).toFixed(2);

/** The farm's tables: rows of cells, with their heads. */
export function farmTables(r: FarmReport): { latency: { head: string[]; body: string[][] }; throughput: { head: string[]; body: string[][] } } {
  const l = r.latency;
  return {
    latency: {
      head: ['demo, changed text', 'wall s (median)', 'runs (s)', 'CPU s', 'ratio'],
      body: l
        ? [
            ['cold: paiban build', s2(l.coldMs), l.coldRuns.map(s2).join(' '), s2(l.coldCpuMs), ''],
            ['warm worker: paiban enqueue --wait', s2(l.warmMs), l.warmRuns.map(s2).join(' '), `${s2(l.enqueueCpuMs)} + worker ${s2(l.workerCpuMs)}`, (l.warmMs / l.coldMs).toFixed(2)],
          ]
        : [],
    },
    throughput: {
      head: ['workers', 'editions', 'wall s', 'editions/min', 'editions/min per core', 'worker CPU s per edition', '× one worker'],
      body: r.throughput.map((t) => {
        const perMin = t.editions / (t.wallMs / 60_000);
        const one = r.throughput.find((x) => x.workers === 1);
        return [String(t.workers), String(t.editions), s2(t.wallMs), perMin.toFixed(1), (perMin / r.cores).toFixed(1), s2(t.cpuMs / t.editions), one ? (one.wallMs / t.wallMs).toFixed(2) : ''];
      }),
    },
  };
}

/** Whether the latency target holds: a warm job in at most 0.6 of a cold build. */
export function farmTarget(r: FarmReport): { target: string; met: boolean | undefined; measured: string } {
  const l = r.latency;
  return {
    target: 'farm: a warm job for the demo with changed text (enqueue --wait) in ≤ 0.6 of a cold paiban build',
    met: l ? l.warmMs / l.coldMs <= 0.6 : undefined,
    measured: l ? `warm ${s2(l.warmMs)} s, cold ${s2(l.coldMs)} s: ${(l.warmMs / l.coldMs).toFixed(2)}` : r.error ? `failed: ${r.error}` : 'not measured',
  };
}
