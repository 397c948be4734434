/**
 * `paiban new DIR [--lang TAG]` as the command line runs it: the files written, and the next step
 * spelled as it works where the user is: `paiban build DIR` when paiban is on the PATH (an
 * installed package), `bin/paiban build DIR` from a clone, `npx paiban build DIR` from a
 * project's node_modules.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { errorsOf, printError } from '../cli/errors.ts';
import { scaffold } from './new.ts';

export async function runNew(dir: string, flags: { lang?: string; debug?: boolean }): Promise<number> {
  try {
    const files = await scaffold(dir, { language: flags.lang });
    for (const f of files) process.stdout.write(`wrote ${f}\n`);
    process.stdout.write(`build it with: ${invokedAs()} build ${shellWord(dir)}\n`);
    return 0;
  } catch (e) {
    printError(e, undefined, flags.debug);
    const errors = errorsOf(e);
    return errors.length ? Math.max(...errors.map((x) => x.exitCode)) : 1;
  }
}

/** How the user can run this paiban again from the current folder. */
export function invokedAs(script = process.argv[1], env = process.env, cwd = process.cwd()): string {
  if (!script) return 'paiban';
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return undefined;
    }
  };
  const self = real(script);
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const onPath = real(path.join(dir, 'paiban'));
    if (onPath && onPath === self) return 'paiban';
  }
  const bin = path.join('node_modules', '.bin', 'paiban');
  if (script.endsWith(bin) || script.includes(`${path.sep}node_modules${path.sep}paiban${path.sep}`)) return 'npx paiban';
  const rel = path.relative(cwd, script);
  const shown = rel.startsWith('..') || path.isAbsolute(rel) ? script : rel.includes(path.sep) ? rel : `./${rel}`;
  return shellWord(shown);
}

/** A path as one shell word (quoted when it holds anything a shell would split or expand). */
function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
