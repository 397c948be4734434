/**
 * The command line on bad input: exit codes 1 (content) and 2 (usage), file:line messages without
 * stack traces, and no output written or replaced on failure.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/tools.ts';
import { verifyBuild } from '../helpers/verify.ts';

const BIN = path.resolve('bin/paiban');
const DEMO = path.resolve('content/zjrb-2022-06-15');

function editionWith(mutate: (dir: string) => void): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'paiban-cli-')), 'ed');
  cpSync(DEMO, dir, { recursive: true });
  mutate(dir);
  return dir;
}

describe('paiban build on bad input', () => {
  it('exits 1 with file:line for a mistake in edition.yaml, writes nothing, keeps an earlier output', () => {
    const dir = editionWith((d) => {
      const f = path.join(d, 'edition.yaml');
      writeFileSync(f, readFileSync(f, 'utf8').replace('date: 2022-06-15', 'date: 2022-02-30'));
    });
    const out = mkdtempSync(path.join(os.tmpdir(), 'paiban-out-'));
    writeFileSync(path.join(out, 'ed.pdf'), 'earlier');
    const r = run('node', [BIN, 'build', dir, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/edition\.yaml:\d+:\d+: error EditionInvalid: date: "2022-02-30" is not a real calendar date/);
    expect(r.stderr).toContain('→');
    expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
    expect(readFileSync(path.join(out, 'ed.pdf'), 'utf8')).toBe('earlier');
    expect(existsSync(path.join(out, 'ed.epub'))).toBe(false);
  });

  it('exits 1 with the article file and line for a mistake in front matter', () => {
    const dir = editionWith((d) => {
      const f = path.join(d, 'talent.md');
      writeFileSync(f, readFileSync(f, 'utf8').replace(/^title: .*$/m, 'title: ""'));
    });
    const out = mkdtempSync(path.join(os.tmpdir(), 'paiban-out-'));
    const r = run('node', [BIN, 'build', dir, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/talent\.md:2:\d+: error FrontMatterInvalid: title: every article needs a title/);
    expect(existsSync(path.join(out, 'ed.pdf'))).toBe(false);
  });

  it('exits 2 on a usage error', () => {
    const r = run('node', [BIN, 'build', '--no-such-flag']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option/);
  });

  it('exits 1 for a folder that is not an edition', () => {
    const r = run('node', [BIN, 'build', path.join(os.tmpdir(), 'paiban-no-such-edition')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/EditionNotFound/);
  });
});

describe('paiban build A B C', () => {
  it('builds editions of the same folder name one after the other: the later one\'s files stand', () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'paiban-twice-'));
    const copy = path.join(parent, 'zjrb-2022-06-15');
    cpSync(DEMO, copy, { recursive: true });
    const out = path.join(parent, 'out');
    const r = run(BIN, ['build', DEMO, copy, '--pdf', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(path.join(out, 'zjrb-2022-06-15.manifest.json'), 'utf8')).editionDir).toBe(copy);
  }, 240_000);

  it('builds several editions side by side into the same bytes as one at a time, reports in order', () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'paiban-multi-'));
    for (const n of ['one', 'two']) cpSync(DEMO, path.join(parent, n), { recursive: true });
    cpSync(path.resolve('tests/fixtures/english'), path.join(parent, 'three'), { recursive: true });
    const dirs = ['one', 'two', 'three'].map((n) => path.join(parent, n));
    const together = path.join(parent, 'together');
    const r = run(BIN, ['build', ...dirs, '--out', together]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/3 of 3 edition\(s\) built/);
    const written = [...r.stdout.matchAll(/wrote (\S+)/g)].map((m) => path.basename(m[1]!));
    expect(written.filter((f) => f.endsWith('.pdf'))).toEqual(['one.pdf', 'two.pdf', 'three.pdf']);
    const alone = path.join(parent, 'alone');
    expect(run(BIN, ['build', dirs[2]!, '--out', alone]).code).toBe(0);
    for (const f of ['three.pdf', 'three.epub']) expect(readFileSync(path.join(together, f)).equals(readFileSync(path.join(alone, f))), f).toBe(true);
    expect(verifyBuild(path.join(together, 'one.pdf'), dirs[0]!)).toEqual([]);
    expect(verifyBuild(path.join(together, 'three.pdf'), dirs[2]!)).toEqual([]);
    expect(readFileSync(path.join(together, 'one.pdf')).length).toBe(readFileSync(path.join(together, 'two.pdf')).length);
  }, 240_000);
});
