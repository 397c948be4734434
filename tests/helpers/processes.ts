/** Processes a test started, found by what they carry, and waiting for a condition. */
import { readdirSync, readFileSync } from 'node:fs';

/** Live processes whose command line or environment mentions `marker` (e.g. a run's TMPDIR). */
export function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (/^\d+ \(.*\) Z/.test(stat)) continue;
      const text = readFileSync(`/proc/${name}/cmdline`, 'latin1') + readFileSync(`/proc/${name}/environ`, 'latin1');
      if (text.includes(marker)) found.push(Number(name));
    } catch {
      /* gone, or not ours to read */
    }
  }
  return found;
}

/** Whether a process runs (a zombie does not). */
export function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Wait until `check` is true, up to `ms`. */
export async function until(check: () => boolean, ms: number, step = 100): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (check()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, step));
  }
}
