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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let copy: string;

beforeAll(() => {
  copy = mkdtempSync(path.join(os.tmpdir(), 'paiban-bin-test-'));
  cpSync(path.join(ROOT, 'bin'), path.join(copy, 'bin'), { recursive: true });
  cpSync(path.join(ROOT, 'src'), path.join(copy, 'src'), { recursive: true });
  cpSync(path.join(ROOT, 'package.json'), path.join(copy, 'package.json'));
  mkdirSync(path.join(copy, 'node_modules'));
  for (const name of readdirSync(path.join(ROOT, 'node_modules'))) {
    if (name !== '.cache') symlinkSync(path.join(ROOT, 'node_modules', name), path.join(copy, 'node_modules', name));
  }
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

const cache = () => path.join(copy, 'node_modules', '.cache', 'paiban', 'code');
const compiled = () => (existsSync(cache()) ? readdirSync(cache()).sort() : []);
const paiban = (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const r = spawnSync('node', [path.join(copy, 'bin', 'paiban'), ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const version = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;

describe('bin/paiban', () => {
  it('compiles the sources once, then runs the compiled code', () => {
    expect(paiban(['--version']).stdout.trim()).toBe(version);
    const first = compiled();
    expect(first).toHaveLength(1);
    expect(readdirSync(path.join(cache(), first[0]!))).toContain('cli.js');
    expect(paiban(['--version']).stdout.trim()).toBe(version);
    expect(compiled()).toEqual(first);
  });

  it('compiles again when a source changes, and keeps paths relative to the sources', () => {
    const before = compiled();
    writeFileSync(path.join(copy, 'package.json'), readFileSync(path.join(copy, 'package.json'), 'utf8').replace(`"version": "${version}"`, '"version": "9.8.7"'));
    appendFileSync(path.join(copy, 'src', 'version.ts'), '\n// changed\n');
    // version.ts reads ../package.json beside itself: the copy's, not the cache folder's.
    expect(paiban(['--version']).stdout.trim()).toBe('9.8.7');
    expect(compiled()).toHaveLength(before.length + 1);
  });

  it('runs the sources through tsx when asked to, or when they do not compile', () => {
    const before = compiled();
    expect(paiban(['--version'], { PAIBAN_TSX: '1' }).stdout.trim()).toBe('9.8.7');
    expect(compiled()).toEqual(before);
    appendFileSync(path.join(copy, 'src', 'version.ts'), '\nexport const broken = ;\n');
    const r = paiban(['--version']);
    expect(r.code).not.toBe(0);
    // tsx's own report of the mistake, with the file and line.
    expect(r.stderr).toMatch(/version\.ts:\d+/);
    expect(compiled()).toEqual(before);
  });
});
