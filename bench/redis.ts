/**
 * A redis-server of one's own for the farm's tests and benchmark (Debian's redis-server, which
 * `node scripts/setup.mjs --test` installs): started on a free port of 127.0.0.1 (never another
 * address), with no persistence, in a temporary folder, and stopped by whoever started it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface RedisServer {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** A port the kernel gave to a listener on 127.0.0.1 a moment ago, free now. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: '127.0.0.1', port });
    let got = '';
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => {
      got += d.toString();
      if (got.includes('\r\n')) {
        sock.destroy();
        resolve(got.startsWith('+PONG'));
      }
    });
    sock.on('error', () => resolve(false));
  });
}

export async function startRedis(bin = process.env.PAIBAN_REDIS_SERVER ?? 'redis-server'): Promise<RedisServer> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'paiban-redis-'));
    // BullMQ wants noeviction: a queue whose keys Redis may evict loses jobs.
    const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--save', '', '--appendonly', 'no', '--dir', dir, '--maxmemory-policy', 'noeviction', '--loglevel', 'warning'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', (e) => {
        stderr += e.message;
        resolve();
      });
    });
    let up = false;
    for (let i = 0; i < 100 && child.exitCode === null && !stderr.includes('ENOENT') && !up; i++) {
      up = await answers(port);
      if (!up) await new Promise((r) => setTimeout(r, 50));
    }
    const stop = async () => {
      if (child.pid && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    };
    if (up) return { url: `redis://127.0.0.1:${port}`, port, process: child, stop };
    await stop();
    // Another process may have taken the port between freePort() and the start: try another.
    if (attempt === 3) throw new Error(`redis-server did not start on 127.0.0.1 (${bin}): ${stderr.trim().split('\n').slice(-1)[0] ?? 'no message'}; install it with: apt-get install redis-server`);
  }
}
