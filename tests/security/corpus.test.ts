/**
 * Every edition of the corpus (corpus.ts) gets its expected outcome: through the API with one
 * shared browser (exit code, error code or diagnostic rule, file, line, message), and through
 * the command line in one run of all failing editions (file:line, what, what to do, no stack).
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type BrowserHandle } from '../../src/paginate/browser.ts';
import { expectWellFormatted } from '../unit/helpers.ts';
import { run } from '../helpers/tools.ts';
import { CORPUS, type Case } from './corpus.ts';
import { BIN, outcome, tempDir } from './helpers.ts';

let browser: BrowserHandle;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('the corpus of bad and hostile editions', () => {
  it('has at least 25 cases with distinct names', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(25);
    expect(new Set(CORPUS.map((c) => c.name)).size).toBe(CORPUS.length);
  });

  it.each(CORPUS.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const dir = await c.make();
    const out = await tempDir('paiban-sec-out-');
    const o = await outcome(dir, { browser, out, pdf: true });
    const e = c.expect;
    const summary = JSON.stringify({ errors: o.errors.map((x) => x.format()), diagnostics: o.diagnostics.filter((d) => d.severity !== 'info') }, null, 1);
    expect(o.exit, summary).toBe(e.exit);
    if (e.code) {
      const hit = o.errors.find((x) => x.code === e.code);
      expect(hit, summary).toBeDefined();
      expectWellFormatted(hit!);
      if (e.file) expect(hit!.where?.file).toBe(e.file);
      if (e.line) expect(hit!.where?.line).toBe(e.line);
      if (e.fragment) expect(hit!.message).toContain(e.fragment);
    } else if (e.rule) {
      const hits = o.diagnostics.filter((d) => d.rule === e.rule && (!e.fragment || d.message.includes(e.fragment)));
      expect(hits.length, summary).toBeGreaterThanOrEqual(1);
      if (e.file) expect(hits[0]!.file).toBe(e.file);
      if (e.line) expect(hits[0]!.line).toBe(e.line);
      expect(hits[0]!.severity).toBe(e.exit === 0 ? 'warning' : 'error');
    }
    if (e.exit === 0) {
      expect(existsSync(path.join(out, `${path.basename(dir)}.pdf`))).toBe(true);
    } else {
      // A failed build writes nothing.
      expect(readdirSync(out)).toEqual([]);
    }
  });
});

describe('the command line on the failing editions, all in one run', () => {
  it('exits 1 and reports each edition with its file, line, code, message and hint, without a stack trace', async () => {
    // Its own copies of the editions: this test does not depend on the cases above having run.
    const failing = CORPUS.filter((c) => c.expect.exit === 1);
    const dirs = new Map<Case, string>();
    for (const c of failing) dirs.set(c, await c.make());
    expect(failing.length).toBeGreaterThanOrEqual(20);
    const r = run('node', [BIN, 'build', ...failing.map((c) => dirs.get(c)!), '--pdf', '--out', path.join(path.dirname(dirs.get(failing[0]!)!), 'out')]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/^\s+at .*:\d+:\d+\)?$/m);
    expect(r.stderr).not.toMatch(/internal error/);
    for (const c of failing) {
      const dir = dirs.get(c)!;
      const lines = r.stderr.split('\n');
      const i = lines.findIndex((l) => l.startsWith(dir) && l.includes(`error ${c.expect.code}:`) && (!c.expect.fragment || l.includes(c.expect.fragment)));
      expect(i, `${c.name}: no line for ${dir} with ${c.expect.code} in\n${r.stderr}`).toBeGreaterThanOrEqual(0);
      const loc = c.expect.file ? `${dir}/${c.expect.file}${c.expect.line ? `:${c.expect.line}:` : ''}` : dir;
      expect(lines[i]!.startsWith(loc), `${lines[i]} starts with ${loc}`).toBe(true);
      expect(lines[i + 1], `${c.name}: a hint follows`).toMatch(/^\s+→ \S/);
    }
    expect(r.stdout).toContain(`0 of ${failing.length} edition(s) built`);
  });
});
