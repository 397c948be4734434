/**
 * `--json` prints exactly one JSON document on stdout in every case: success, a content error, a
 * usage error, an environment error, content errors found while building (--strict), and the same
 * for `check --json` and `verify --json`. The exit codes are those without --json (0/1/2).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ErrorRecord } from '../../src/cli/errors.ts';
import { run } from '../helpers/tools.ts';
import { BIN, article, editionYaml, makeEdition, tempDir } from '../security/helpers.ts';

interface Doc {
  ok: boolean;
  exitCode: number;
  errors: ErrorRecord[];
  results?: { slug: string; outputs: { path: string }[]; paginatorOfPage: string[]; diagnostics: unknown[] }[];
  [k: string]: unknown;
}

/** Runs paiban and parses its whole stdout as one JSON document (JSON.parse fails on two). */
function json(args: string[], env: NodeJS.ProcessEnv = {}): { code: number; doc: Doc; stderr: string } {
  const r = run('node', [BIN, ...args], { env });
  let doc: Doc;
  try {
    doc = JSON.parse(r.stdout) as Doc;
  } catch (e) {
    throw new Error(`stdout is not one JSON document (${(e as Error).message}):\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
  expect(doc.exitCode).toBe(r.code);
  expect(Array.isArray(doc.errors)).toBe(true);
  for (const x of doc.errors) expect(Object.keys(x).sort()).toEqual(['code', 'column', 'edition', 'exitCode', 'file', 'hint', 'line', 'message']);
  return { code: r.code, doc, stderr: r.stderr };
}

describe('paiban build --json', () => {
  it('success: ok, the outputs, who laid out each page, no errors', async () => {
    const ed = await makeEdition({});
    const out = await tempDir();
    const { code, doc, stderr } = json(['build', ed, '--pdf', '--out', out, '--json']);
    expect(code).toBe(0);
    expect(stderr).not.toContain('\x1b'); // no progress line: not a terminal, and --json
    expect(doc.ok).toBe(true);
    expect(doc.errors).toEqual([]);
    expect(doc.results![0]!.outputs.map((o) => path.basename(o.path))).toEqual(['ed.pdf', 'ed.manifest.json']);
    expect(doc.results![0]!.paginatorOfPage).toEqual(['chromium']);
  });

  it('a content error: its code, file, line, column, message and hint', async () => {
    const ed = await makeEdition({ 'edition.yaml': editionYaml({ extra: ['print: { bleed: 3 }'] }) });
    const { code, doc } = json(['build', ed, '--pdf', '--out', await tempDir(), '--json']);
    expect(code).toBe(1);
    expect(doc.ok).toBe(false);
    expect(doc.results).toEqual([]);
    expect(doc.errors).toEqual([
      {
        code: 'EditionInvalid',
        edition: ed,
        file: `${ed}/edition.yaml`,
        line: 6,
        column: 10,
        message: 'print.bleed: 3 has no unit (a bare number could be points, millimetres or pixels)',
        hint: 'write 3mm, 3pt or 3in (mm, cm, in, pt and px are understood)',
        exitCode: 1,
      },
    ]);
  });

  it('a usage error: exit 2, code Usage, with a hint', () => {
    const { code, doc } = json(['build', '--no-such-flag', '--json']);
    expect(code).toBe(2);
    expect(doc.errors).toEqual([{ code: 'Usage', edition: null, file: null, line: null, column: null, message: "unknown option '--no-such-flag'", hint: 'see paiban build --help', exitCode: 2 }]);
    const both = json(['build', '--pdfx', '--pdfa', '--json']);
    expect(both.code).toBe(2);
    expect(both.doc.errors[0]).toMatchObject({ code: 'Usage', message: '--pdfx and --pdfa cannot be combined' });
    const paginator = json(['build', '--paginator', 'word', '--json']);
    expect(paginator.code).toBe(2);
    expect(paginator.doc.errors[0]!.message).toMatch(/^option '--paginator <name>' argument 'word' is invalid/);
  });

  it('an environment error: the browser cannot start', async () => {
    const ed = await makeEdition({});
    const { code, doc } = json(['build', ed, '--pdf', '--out', await tempDir(), '--json'], { PAIBAN_CHROME: '/nonexistent/chromium' });
    expect(code).toBe(1);
    expect(doc.errors).toHaveLength(1);
    expect(doc.errors[0]).toMatchObject({ code: 'BrowserFailed', edition: ed, file: null, line: null });
    expect(doc.errors[0]!.hint).toMatch(/PAIBAN_CHROME/);
  });

  it('content errors found while building (--strict and overset) are in errors too', async () => {
    const long = Array.from({ length: 60 }, (_, i) => `Paragraph ${i} is here to overflow the slot it was given on the front page.`).join('\n\n');
    const front = editionYaml().replace('layout: flow', 'layout: front').replace('{ file: a.md }', '{ file: a.md, slot: lead }');
    const ed = await makeEdition({ 'edition.yaml': front, 'a.md': article(long) });
    const { code, doc } = json(['build', ed, '--pdf', '--strict', '--out', await tempDir(), '--json']);
    expect(code).toBe(1);
    // --strict: every warning about the printed page is an error, the holes the empty slots leave too.
    expect(doc.errors.map((e) => [e.code, e.file])).toEqual([['overset', `${ed}/a.md`], ['page-hole', `${ed}/edition.yaml`], ['page-hole', `${ed}/edition.yaml`]]);
    expect(doc.errors[0]!.message).toMatch(/^overset: \d+ of \d+ characters of the article \(\d+%\) are hidden/);
  });

  it('--help with --json is a document too', () => {
    const { code, doc } = json(['build', '--help', '--json']);
    expect(code).toBe(0);
    expect(doc).toMatchObject({ ok: true, exitCode: 0 });
    expect(doc.output).toMatch(/^Usage: paiban build/);
  });
});

describe('paiban check --json and verify --json', () => {
  it('check: a failure and a success', async () => {
    const bad = await makeEdition({ 'edition.yaml': editionYaml().replace('publication:', 'publicaton:') });
    const failed = json(['check', bad, '--json']);
    expect(failed.code).toBe(1);
    expect(failed.doc.errors.map((e) => [e.code, e.file, e.line, e.message])).toEqual([['EditionInvalid', `${bad}/edition.yaml`, 2, 'unknown field "publicaton": did you mean "publication"?']]);
    const good = json(['check', await makeEdition({}), '--json']);
    expect(good.code).toBe(0);
    expect(good.doc).toMatchObject({ ok: true, exitCode: 0, slug: 'ed', errors: [], paginatorOfPage: ['chromium'] });
  });

  it('verify: no manifest (usage, exit 2), a file that is not JSON', async () => {
    const missing = json(['verify', '/nonexistent/x.manifest.json', '--json']);
    expect(missing.code).toBe(2);
    expect(missing.doc.errors[0]).toMatchObject({ code: 'Usage', message: 'no manifest at /nonexistent/x.manifest.json' });
    const notJson = path.join(await tempDir(), 'x.manifest.json');
    writeFileSync(notJson, 'not json');
    const bad = json(['verify', notJson, '--json']);
    expect(bad.code).toBe(2);
    expect(bad.doc.errors[0]!.message).toBe(`${notJson} is not JSON`);
  });
});
