/**
 * What a worker killed with SIGKILL leaves (its job sandboxes, its staging folders) is removed by
 * the next worker that starts on the machine: folders whose name carries the pid of an owner that
 * is gone, as Chromium's profile folders are swept (paginate/cleanup.ts).
 */
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pidAlive } from '../paginate/cleanup.ts';

/** Remove the entries of `dir` that `re` matches (group 1: the owner's pid) whose owner is gone; their names. */
export function sweepDead(dir: string, re: RegExp): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((name) => {
    const owner = Number(re.exec(name)?.[1]);
    if (!owner || owner === process.pid || pidAlive(owner)) return false;
    rmSync(path.join(dir, name), { recursive: true, force: true, maxRetries: 3 });
    return true;
  });
}
