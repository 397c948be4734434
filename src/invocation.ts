/**
 * How to run paiban again, said the way it was run now, so that the commands paiban prints
 * (`paiban new`'s next step) work when pasted: `npx paiban` for a package run through npm
 * (npx, npm scripts, node_modules/.bin), `paiban` when it was found on the PATH, else the path of
 * the executable from the current folder (`bin/paiban` in a clone).
 */
import path from 'node:path';

export interface Invocation {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** The executable's path as Node was given it (process.argv[1]). */
  script?: string;
}

/** The command that runs paiban from `cwd`, e.g. `bin/paiban`, `npx paiban` or `paiban`. */
export function paibanCommand({ cwd = process.cwd(), env = process.env, script = process.argv[1] }: Invocation = {}): string {
  if (!script) return 'paiban';
  const abs = path.resolve(cwd, script);
  // An installed package (node_modules/.bin/paiban, node_modules/paiban/bin/paiban): npx runs it.
  if (abs.split(path.sep).includes('node_modules')) return 'npx paiban';
  const onPath = (env.PATH ?? '').split(path.delimiter).some((d) => d && path.resolve(cwd, d) === path.dirname(abs));
  if (onPath && path.basename(abs) === 'paiban') return 'paiban';
  const rel = path.relative(cwd, abs);
  const shown = rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel.includes(path.sep) ? rel : `.${path.sep}${rel}`;
  return shellQuote(shown);
}

/** `s` as one word for a POSIX shell: as it is when it is safe, else in single quotes. */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
