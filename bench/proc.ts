/**
 * Run a command and measure it: wall time, and the peak memory of its whole process tree (the
 * browser and any helper included), sampled from /proc. Two measures:
 * - RSS summed over the processes, every 50 ms (cheap: statm). Memory the processes share
 *   (Chromium's renderer, GPU and browser processes map the same libraries) is counted once per
 *   process, so this overstates the tree's memory.
 * - PSS (proportional set size: shared pages divided among the processes that map them) summed,
 *   from smaps_rollup every 250 ms (costlier to read): the memory the tree really takes.
 * And the CPU time the tree used (user + system, its reaped children included), which other
 * work on a shared machine disturbs much less than wall time.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const PAGE_SIZE = 4096;

export interface Measured {
  code: number | null;
  signal: NodeJS.Signals | null;
  wallMs: number;
  /** Peak of the summed RSS of the process and all its descendants, in bytes. */
  peakRss: number;
  /** Peak of the summed PSS of the tree, in bytes (sampled less often). */
  peakPss: number;
  /** CPU seconds (user + system) of the tree, children included, as last seen before it exited. */
  cpuMs: number;
  /** Most processes seen in the tree at once. */
  peakProcesses: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function children(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const t of tasks) {
    try {
      for (const c of readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(' ')) if (c.trim()) out.push(Number(c));
    } catch {
      // the task ended while we looked
    }
  }
  return out;
}

/** The pid and all its descendants that are alive now. */
export function processTree(root: number): number[] {
  const seen: number[] = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    if (seen.includes(pid)) continue;
    seen.push(pid);
    stack.push(...children(pid));
  }
  return seen;
}

function rss(pid: number): number {
  try {
    // statm: size resident shared text lib data dt (pages)
    return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_SIZE;
  } catch {
    return 0;
  }
}

function pss(pid: number): number {
  try {
    return Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** utime + stime + cutime + cstime: the process's CPU and that of the children it has reaped. */
function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state is field 3, utime 14, stime 15, cutime 16, cstime 17.
    return Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  } catch {
    return 0;
  }
}

export function treeMemory(root: number, withPss: boolean): { rss: number; pss?: number; cpuMs: number; processes: number } {
  const pids = processTree(root);
  return {
    rss: pids.reduce((a, p) => a + rss(p), 0),
    pss: withPss ? pids.reduce((a, p) => a + pss(p), 0) : undefined,
    // A child's CPU moves into its parent's cutime when reaped, so the sum over the live tree counts each second once.
    cpuMs: pids.reduce((a, p) => a + cpuTicks(p), 0) * TICK_MS,
    processes: pids.length,
  };
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  intervalMs?: number;
}

export function runMeasured(cmd: string, args: string[], opts: RunOptions = {}): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    // Its own process group, so that on a time-out the whole tree (browser included) can be ended.
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    let peakRss = 0;
    let peakPss = 0;
    let peakProcesses = 0;
    let cpuMs = 0;
    let tick = 0;
    const sample = () => {
      if (child.pid === undefined) return;
      const s = treeMemory(child.pid, tick++ % 5 === 0);
      if (s.rss > peakRss) peakRss = s.rss;
      if (s.pss !== undefined && s.pss > peakPss) peakPss = s.pss;
      if (s.processes > peakProcesses) peakProcesses = s.processes;
      if (s.cpuMs > cpuMs) cpuMs = s.cpuMs;
    };
    const timer = setInterval(sample, opts.intervalMs ?? 50);
    let timedOut = false;
    const killer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }, opts.timeoutMs ?? 15 * 60_000);
    child.on('error', (e) => {
      clearInterval(timer);
      clearTimeout(killer);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      const wallMs = performance.now() - t0;
      clearInterval(timer);
      clearTimeout(killer);
      // Whatever the tool left running in its process group (a browser it did not close) ends with it.
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // nothing left: the usual case
        }
      }
      // Streams may still hold output after exit.
      const done = () => resolve({ code, signal, wallMs, peakRss, peakPss, cpuMs, peakProcesses, stdout, stderr, timedOut });
      if (child.stdout.readableEnded && child.stderr.readableEnded) done();
      else {
        let ended = 0;
        const one = () => ++ended === 2 && done();
        if (child.stdout.readableEnded) one();
        else child.stdout.once('end', one);
        if (child.stderr.readableEnded) one();
        else child.stderr.once('end', one);
      }
    });
    sample();
  });
}
