/**
 * Nothing of Chromium outlives paiban. Each Chromium runs in its own process group with a profile
 * folder `<tmp>/paiban-chromium-<owner pid>-XXXXXX`. On process exit (also after SIGTERM, SIGINT
 * and SIGHUP, which the CLI turns into an exit) every group is killed and every folder removed,
 * synchronously. After SIGKILL nothing can run: Chromium, started on a pipe, exits by itself when
 * paiban's end of the pipe closes, and the folder is swept at the next start because its owner
 * pid is dead.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const PROFILE_PREFIX = 'paiban-chromium-';
const PROFILE_RE = /^paiban-chromium-(\d+)-[A-Za-z0-9]{6}$/;

/** Process group leaders of the Chromiums this process runs. */
const pids = new Set<number>();
/** Profile folders made and not yet removed (also while Chromium is still starting). */
const profiles = new Set<string>();
let hooked = false;

export function trackPid(pid: number | undefined): void {
  if (pid) pids.add(pid);
}
export function untrackPid(pid: number | undefined): void {
  if (pid) pids.delete(pid);
}
export function trackProfile(profile: string): void {
  profiles.add(profile);
}

export async function removeProfile(profile: string): Promise<void> {
  await rm(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  profiles.delete(profile);
}

/** SIGKILL a process group (or the process, when it leads none). */
export function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

export function installExitHook(): void {
  if (hooked) return;
  process.on('exit', killAllBrowsers);
  hooked = true;
}

/** Synchronous, for the exit hook: kill every Chromium of this process, remove every folder. */
export function killAllBrowsers(): void {
  for (const pid of pids) killGroup(pid);
  pids.clear();
  for (const p of profiles) {
    // A Chromium still starting has no known pid yet: find it by its profile folder.
    for (const pid of processesUsing(p)) killGroup(pid);
    try {
      rmSync(p, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    } catch {
      /* the next start sweeps it */
    }
  }
  profiles.clear();
}

/** Processes whose command line names `profile` as their user data dir (Linux /proc). */
function processesUsing(profile: string): number[] {
  const needle = `--user-data-dir=${profile}`;
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  return names
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
      } catch {
        return false;
      }
    });
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Remove profile folders whose owner process is gone (a run killed with SIGKILL leaves one). */
export function sweepStaleProfiles(dir = os.tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = PROFILE_RE.exec(name);
    if (!m || Number(m[1]) === process.pid || pidAlive(Number(m[1]))) continue;
    rmSync(path.join(dir, name), { recursive: true, force: true, maxRetries: 3 });
    removed.push(name);
  }
  return removed;
}
