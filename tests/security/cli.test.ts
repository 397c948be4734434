/**
 * Errors on the command line: exit 1 with what and what to do, a stack trace only with --debug;
 * outputs are all-or-nothing: a build that fails late (here: --strict and overset text) keeps the
 * earlier outputs byte for byte and leaves no temporary file; an output path that cannot be
 * written (fault injection: root ignores permissions, so a file where the folder should be, a
 * folder where a file should be) fails before any work.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/tools.ts';
import { BIN, article, editionYaml, makeEdition, tempDir } from './helpers.ts';

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
const STACK = /^\s+at .*:\d+:\d+\)?$/m;

describe('stack traces', () => {
  it('none without --debug, one with it', async () => {
    const ed = await makeEdition({ 'edition.yaml': editionYaml().replace('2022-06-15', '2022-13-45') });
    const plain = run('node', [BIN, 'build', ed, '--pdf', '--out', await tempDir()]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/edition\.yaml:3:\d+: error EditionInvalid: /);
    expect(plain.stderr).not.toMatch(STACK);
    const debug = run('node', [BIN, 'build', ed, '--pdf', '--debug', '--out', await tempDir()]);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(STACK);
  });
});

describe('outputs are all or nothing', () => {
  it('a build that fails after pagination keeps the earlier outputs and leaves no temporary file', async () => {
    const long = Array.from({ length: 60 }, (_, i) => `Paragraph ${i} is here to overflow the slot it was given on the front page.`).join('\n\n');
    const front = editionYaml().replace('layout: flow', 'layout: front').replace('{ file: a.md }', '{ file: a.md, slot: lead }');
    const ed = await makeEdition({ 'edition.yaml': front, 'a.md': article('A short story.') });
    const out = await tempDir();
    const first = run('node', [BIN, 'build', ed, '--pdf', '--out', out]);
    expect(first.code, first.stderr).toBe(0);
    const before = Object.fromEntries(readdirSync(out).map((f) => [f, sha(path.join(out, f))]));
    expect(Object.keys(before).sort()).toEqual(['ed.manifest.json', 'ed.pdf']);

    writeFileSync(path.join(ed, 'a.md'), article(long));
    const second = run('node', [BIN, 'build', ed, '--pdf', '--strict', '--out', out]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/overset/);
    expect(second.stderr).toMatch(/nothing was written/);
    expect(Object.fromEntries(readdirSync(out).map((f) => [f, sha(path.join(out, f))]))).toEqual(before);
  });
});

describe('an output path that cannot be written', () => {
  it('--out is a file: OutputFailed at once, with what to do', async () => {
    const tmp = await tempDir();
    const file = path.join(tmp, 'not-a-folder');
    writeFileSync(file, 'x');
    const r = run('node', [BIN, 'build', await makeEdition({}), '--pdf', '--out', file], { env: { TMPDIR: tmp } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}: error OutputFailed: cannot write ${file}: it is a file, not a folder`);
    expect(r.stderr).toMatch(/→ choose another --out/);
    expect(r.stderr).not.toMatch(STACK);
    // Before any work: no Chromium was started.
    expect(readdirSync(tmp).filter((n) => n.startsWith('paiban-chromium-'))).toEqual([]);
  });

  it('--out under a file: OutputFailed naming the file in the way', async () => {
    const tmp = await tempDir();
    writeFileSync(path.join(tmp, 'file'), 'x');
    const r = run('node', [BIN, 'build', await makeEdition({}), '--pdf', '--out', path.join(tmp, 'file', 'sub')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error OutputFailed: cannot write ${path.join(tmp, 'file', 'sub')}: ${path.join(tmp, 'file')} is a file, so no folder can be made under it`);
  });

  it('<slug>.pdf is a folder: OutputFailed, and the earlier manifest stays', async () => {
    const out = await tempDir();
    mkdirSync(path.join(out, 'ed.pdf'));
    writeFileSync(path.join(out, 'ed.manifest.json'), 'earlier');
    const r = run('node', [BIN, 'build', await makeEdition({}), '--pdf', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${path.join(out, 'ed.pdf')}: error OutputFailed: cannot write ${path.join(out, 'ed.pdf')}: a folder has that name`);
    expect(readFileSync(path.join(out, 'ed.manifest.json'), 'utf8')).toBe('earlier');
    expect(readdirSync(out).sort()).toEqual(['ed.manifest.json', 'ed.pdf']);
  });
});
