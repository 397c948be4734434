/**
 * The packed package, installed as a user installs it: `npm pack` in the clone (which compiles
 * dist/ on prepack), then the tarball installed into an empty folder. The install runs offline
 * from npm's cache: the folder gets a package-lock.json that pins the tarball's dependencies to the
 * versions of the clone's own lock (whose tarballs `npm ci` put in the cache), so the test needs no
 * registry and installs exactly what the clone's tests ran against.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

export function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Ran {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...env } });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/** npm without the variables of an npm that may have started the tests (npm test). */
export function npm(args: string[], cwd: string): Ran {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_')));
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

export interface Packed {
  tarball: string;
  files: string[];
}

/** `npm pack` of the clone into `dir`: the tarball and the files it holds. */
export function pack(dir: string): Packed {
  const r = npm(['pack', '--json', '--pack-destination', dir], ROOT);
  if (r.code !== 0) throw new Error(`npm pack failed (${r.code}):\n${r.stderr}`);
  const [info] = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  return { tarball: path.join(dir, info!.filename), files: info!.files.map((f) => f.path).sort() };
}

/** An empty project in `app` with the tarball as its one dependency, installed offline. */
export function installInto(app: string, tarball: string): Ran {
  mkdirSync(app, { recursive: true });
  const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  const spec = `file:${path.relative(app, tarball)}`;
  const packages: Record<string, unknown> = {
    '': { name: 'app', dependencies: { paiban: spec } },
    'node_modules/paiban': {
      version: pkg.version,
      resolved: spec,
      integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
      license: pkg.license,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  for (const [k, v] of Object.entries(lock.packages)) if (k.startsWith('node_modules/') && !v.dev) packages[k] = v;
  writeFileSync(path.join(app, 'package.json'), `${JSON.stringify({ name: 'app', private: true, type: 'module', dependencies: { paiban: spec } }, null, 2)}\n`);
  writeFileSync(path.join(app, 'package-lock.json'), `${JSON.stringify({ name: 'app', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`);
  return npm(['ci', '--offline', '--no-audit', '--no-fund'], app);
}
