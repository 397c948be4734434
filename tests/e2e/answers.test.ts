/**
 * The command line's answers to usage and environment mistakes: one line with what is wrong, a
 * hint, the exit code (2 usage, 1 environment or content), and no stack trace unless --debug.
 * `paiban preview` (a port in use, an impossible port, no edition), `paiban new` (a language it
 * has no sample text in; the next step as it works from a clone), and edition.yaml given where
 * its folder is expected.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, REPO, makeEdition, tempDir } from '../security/helpers.ts';

const STACK = /^\s+at .*:\d+:\d+\)?$/m;

/** Runs paiban (at most 60 s: a preview that starts by mistake must not hang the test). */
function paiban(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync('node', [BIN, ...args], { encoding: 'utf8', timeout: 60_000, cwd: opts.cwd, env: { ...process.env, ...opts.env } });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

describe('paiban preview: usage and environment errors', () => {
  let taken: Server;
  let port = 0;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    port = (taken.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => taken.close(() => r()));
  });

  it('a port in use: exit 1, one line and a hint', async () => {
    const r = paiban(['preview', await makeEdition({}), '--port', String(port)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`paiban: error PreviewFailed: port ${port} on 127.0.0.1 is already in use\n  → stop what listens there (another paiban preview?), or choose another port: --port ${port + 1}\n`);
    expect(r.stdout).toBe('');
  });

  it('a stack trace only with --debug', async () => {
    const r = paiban(['preview', await makeEdition({}), '--port', String(port), '--debug']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(STACK);
  });

  it.each(['70000', '0', 'abc', '-1'])('--port %s: exit 2', async (value) => {
    const r = paiban(['preview', await makeEdition({}), `--port=${value}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`paiban: error Usage: --port ${value} is not a port\n  → give a whole number from 1024 to 65535 (the default is 4173; ports below 1024 need root)\n`);
  });

  it('no edition folder: exit 1, before anything listens', () => {
    const r = paiban(['preview', '/nonexistent/edition']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('/nonexistent/edition: error EditionNotFound: no edition folder at /nonexistent/edition\n  → give the path of a folder holding edition.yaml (paiban new DIR scaffolds one)\n');
  });
});

describe('paiban new', () => {
  it('a language without sample text is refused with the list (exit 2), and nothing is written', async () => {
    const dir = path.join(await tempDir(), 'ja-edition');
    const r = paiban(['new', dir, '--lang', 'ja']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'paiban: error Usage: paiban new has no sample text in "ja": it writes sample articles in zh-CN (Simplified Chinese), en (English)\n' +
        '  → scaffold with --lang zh-CN or --lang en, then set language: ja in edition.yaml and replace the sample articles (folios and jump lines print in Chinese for zh, ja and ko, in English for other languages)\n',
    );
    expect(existsSync(dir)).toBe(false);
  });

  it('a regional tag keeps its region; the sample is in that language', async () => {
    const dir = path.join(await tempDir(), 'uk');
    expect(paiban(['new', dir, '--lang', 'en-gb']).code).toBe(0);
    expect(readFileSync(path.join(dir, 'edition.yaml'), 'utf8')).toMatch(/^language: en-GB$/m);
    expect(readFileSync(path.join(dir, 'lead.md'), 'utf8')).toContain('The headline goes here');
  });

  it('the next step works from a clone (bin/paiban) and when paiban is on the PATH', async () => {
    const root = await tempDir();
    const fromClone = paiban(['new', path.join(root, 'a')], { cwd: REPO });
    expect(fromClone.stdout.trim().split('\n').at(-1)).toBe(`build it with: bin/paiban build ${path.join(root, 'a')}`);
    const onPath = paiban(['new', 'b'], { cwd: root, env: { PATH: `${path.join(REPO, 'bin')}:${process.env.PATH}` } });
    expect(onPath.stdout.trim().split('\n').at(-1)).toBe('build it with: paiban build b');
    // And the step it prints works as printed (from the clone).
    const built = spawnSync('bin/paiban', ['build', path.join(root, 'a'), '--pdf', '--out', path.join(root, 'out')], { cwd: REPO, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
  });
});

describe('edition.yaml where its folder is expected', () => {
  it('builds the folder, with outputs named after it', async () => {
    const ed = await makeEdition({});
    const out = await tempDir();
    const r = paiban(['build', path.join(ed, 'edition.yaml'), '--pdf', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(out, 'ed.pdf'))).toBe(true);
    expect(r.stderr).not.toContain('\x1b'); // stderr is no terminal here: no progress line
  });
});
