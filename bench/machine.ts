/** What the benchmark ran on: CPU, cores, memory, load, Node, Chromium, the tools' versions. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  /** 1-minute load average when the bench started and ended: other work on the machine skews times. */
  load: [number, number?];
  os: string;
  node: string;
  chromium: string;
  paiban: string;
  pagedjsCli: string;
  date: string;
}

function quiet(cmd: string, args: string[], cwd?: string): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], cwd }).trim();
  } catch {
    return '';
  }
}

export function machine(root: string, chrome: string): Machine {
  const cpuinfo = (() => {
    try {
      return readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return '';
    }
  })();
  const pkg = (p: string) => (JSON.parse(readFileSync(path.join(root, p), 'utf8')) as { version: string }).version;
  const osName = /PRETTY_NAME="([^"]+)"/.exec((() => {
    try {
      return readFileSync('/etc/os-release', 'utf8');
    } catch {
      return '';
    }
  })())?.[1];
  return {
    cpu: /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    load: [Math.round(os.loadavg()[0]! * 100) / 100],
    os: `${osName ?? os.type()} (${os.release()})`,
    node: process.version,
    chromium: quiet(chrome, ['--version']).replace(/\s+built on.*/, '') || 'unknown',
    paiban: `${pkg('package.json')} (${quiet('git', ['rev-parse', '--short', 'HEAD'], root) || 'no git'}${quiet('git', ['status', '--porcelain', '--untracked-files=no'], root) ? ', with uncommitted changes' : ''})`,
    pagedjsCli: pkg('node_modules/pagedjs-cli/package.json'),
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  };
}
