/**
 * bin/paiban compiles the sources once into node_modules/.cache/paiban/code/ and runs the compiled
 * code after that; a changed source is compiled again; when compiling fails (here: a syntax error)
 * or PAIBAN_TSX=1, tsx runs the sources. Checked on a copy of bin/ and src/ (its node_modules links
 * to the real packages), so the real checkout's cache is never touched.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const copies: string[] = [];

/** A copy of bin/, src/ and package.json whose node_modules links to the real packages (not their cache). */
function fresh(): string {
  const copy = mkdtempSync(path.join(os.tmpdir(), 'paiban-bin-test-'));
  copies.push(copy);
  cpSync(path.join(ROOT, 'bin'), path.join(copy, 'bin'), { recursive: true });
  cpSync(path.join(ROOT, 'src'), path.join(copy, 'src'), { recursive: true });
  cpSync(path.join(ROOT, 'package.json'), path.join(copy, 'package.json'));
  mkdirSync(path.join(copy, 'node_modules'));
  for (const name of readdirSync(path.join(ROOT, 'node_modules'))) {
    if (name !== '.cache') symlinkSync(path.join(ROOT, 'node_modules', name), path.join(copy, 'node_modules', name));
  }
  return copy;
}
afterAll(() => {
  for (const c of copies) rmSync(c, { recursive: true, force: true });
});

const cache = (copy: string) => path.join(copy, 'node_modules', '.cache', 'paiban', 'code');
const compiled = (copy: string) => (existsSync(cache(copy)) ? readdirSync(cache(copy)).sort() : []);
const paiban = (copy: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
  const r = spawnSync('node', [path.join(copy, 'bin', 'paiban'), ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 170_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const version = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;
const setVersion = (copy: string, v: string) => writeFileSync(path.join(copy, 'package.json'), readFileSync(path.join(copy, 'package.json'), 'utf8').replace(`"version": "${version}"`, `"version": "${v}"`));

// Each test works on a copy of its own: none depends on another having run.
describe('bin/paiban', () => {
  it('compiles the sources once, then runs the compiled code', () => {
    const copy = fresh();
    expect(paiban(copy, ['--version']).stdout.trim()).toBe(version);
    const first = compiled(copy);
    expect(first).toHaveLength(1);
    expect(readdirSync(path.join(cache(copy), first[0]!))).toContain('cli.js');
    expect(paiban(copy, ['--version']).stdout.trim()).toBe(version);
    expect(compiled(copy)).toEqual(first);
  });

  it('compiles again when a source changes, and keeps paths relative to the sources', () => {
    const copy = fresh();
    paiban(copy, ['--version']);
    const before = compiled(copy);
    expect(before).toHaveLength(1);
    setVersion(copy, '9.8.7');
    appendFileSync(path.join(copy, 'src', 'version.ts'), '\n// changed\n');
    // version.ts reads ../package.json beside itself: the copy's, not the cache folder's.
    expect(paiban(copy, ['--version']).stdout.trim()).toBe('9.8.7');
    expect(compiled(copy)).toHaveLength(before.length + 1);
  });

  it('runs the sources through tsx when asked to, or when they do not compile', () => {
    const copy = fresh();
    setVersion(copy, '9.8.7');
    expect(paiban(copy, ['--version'], { PAIBAN_TSX: '1' }).stdout.trim()).toBe('9.8.7');
    expect(compiled(copy)).toEqual([]);
    appendFileSync(path.join(copy, 'src', 'version.ts'), '\nexport const broken = ;\n');
    const r = paiban(copy, ['--version']);
    expect(r.code).not.toBe(0);
    // tsx's own report of the mistake, with the file and line.
    expect(r.stderr).toMatch(/version\.ts:\d+/);
    expect(compiled(copy)).toEqual([]);
  });
});
