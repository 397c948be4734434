/**
 * Faults: a Chromium that does not start (exits, hangs), crashes or hangs mid-build, paiban itself
 * killed by SIGTERM or SIGKILL. Each gets a time budget, one retry, then a clear error; and no
 * Chromium process and no profile folder survives. Each run gets its own TMPDIR, which Chromium's
 * command line and environment mention: that is how the tests find what a run left behind.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build.ts';
import { PaibanError } from '../../src/errors.ts';
import { launchBrowser, type BrowserHandle } from '../../src/paginate/browser.ts';
import { run } from '../helpers/tools.ts';
import { BIN, alive, article, makeEdition, processesWith, tempDir, until } from './helpers.ts';

const leftovers = (tmp: string) => readdirSync(tmp).filter((n) => n.startsWith('paiban-chromium-') || n.startsWith('org.chromium.'));

/** A fake Chromium: a shell script that notes each start in `count` and then does `then`. */
function fakeChrome(dir: string, then: string): { bin: string; count: string } {
  const bin = path.join(dir, 'fake-chromium');
  const count = path.join(dir, 'starts');
  writeFileSync(bin, `#!/bin/sh\necho $$ >> "${count}"\n${then}\n`);
  chmodSync(bin, 0o755);
  return { bin, count };
}
const starts = (count: string) => (existsSync(count) ? readFileSync(count, 'utf8').trim().split('\n').length : 0);

describe('a Chromium that does not start', () => {
  it('exits 1: one retry, then BrowserFailed with what to do; no stack, no folder left', async () => {
    const tmp = await tempDir();
    const ed = await makeEdition({});
    const fake = fakeChrome(tmp, 'echo "fake chromium: cannot start" >&2\nexit 1');
    const r = run('node', [BIN, 'build', ed, '--pdf', '--out', path.join(tmp, 'out')], { env: { PAIBAN_CHROME: fake.bin, TMPDIR: tmp } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error BrowserFailed: Chromium \(.*fake-chromium\) did not start, twice/);
    expect(r.stderr).toMatch(/→ check that it runs/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(starts(fake.count)).toBe(2);
    expect(leftovers(tmp)).toEqual([]);
    expect(existsSync(path.join(tmp, 'out'))).toBe(false);
  });

  it('hangs: killed after PAIBAN_LAUNCH_TIMEOUT, one retry, then BrowserFailed; the hung process is gone', async () => {
    const tmp = await tempDir();
    const ed = await makeEdition({});
    const fake = fakeChrome(tmp, 'exec sleep 600');
    const r = run('node', [BIN, 'build', ed, '--pdf', '--out', path.join(tmp, 'out')], { env: { PAIBAN_CHROME: fake.bin, PAIBAN_LAUNCH_TIMEOUT: '2', TMPDIR: tmp } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error BrowserFailed: .*did not start, twice: it did not start within 2 s/);
    expect(r.stderr).toMatch(/PAIBAN_LAUNCH_TIMEOUT/);
    // The fake sleeps 600 s: that the build ended at all shows it was killed after the 2 s budget.
    expect(starts(fake.count)).toBe(2);
    expect(await until(() => processesWith(tmp).length === 0, 60_000)).toBe(true);
    expect(leftovers(tmp)).toEqual([]);
  });

  it('PAIBAN_CHROME pointing at nothing is a clear error', async () => {
    const tmp = await tempDir();
    const r = run('node', [BIN, 'build', await makeEdition({}), '--pdf', '--out', path.join(tmp, 'out')], { env: { PAIBAN_CHROME: '/nonexistent/chromium', TMPDIR: tmp } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error BrowserFailed: PAIBAN_CHROME points at \/nonexistent\/chromium, which does not exist\n\s+→ /);
  });
});

describe('a Chromium that crashes or hangs mid-build', () => {
  let browser: BrowserHandle;
  let ed: string;
  beforeAll(async () => {
    browser = await launchBrowser();
    ed = await makeEdition({ 'a.md': article('Safe text for a build that meets a fault.') });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** An inspect hook that does `fault` to Chromium the first `times` times it is called. */
  const faulty = (fault: (pid: number) => void, times = 1) => {
    let n = 0;
    return async (_page: Page) => {
      if (n++ < times) fault(browser.pid!);
    };
  };

  it('gives the tab Chromium opened at its start to one run only, and a fresh Chromium its own', async () => {
    const fresh = await launchBrowser();
    try {
      const tab = await fresh.takeInitialPage();
      expect(tab?.url()).toBe('about:blank');
      expect(await fresh.takeInitialPage()).toBeUndefined();
      await tab!.close();
      await fresh.relaunch();
      expect((await fresh.takeInitialPage())?.url()).toBe('about:blank');
      expect(await fresh.takeInitialPage()).toBeUndefined();
    } finally {
      await fresh.close();
    }
  });

  it('killed: the build retries once with a fresh Chromium and succeeds', async () => {
    const first = browser.pid!;
    const r = await build(ed, { browser, out: await tempDir(), pdf: true, inspect: faulty((pid) => process.kill(-pid, 'SIGKILL')) });
    expect(r.ok).toBe(true);
    expect(r.outputs.map((o) => path.extname(o.path))).toContain('.pdf');
    expect(r.diagnostics.items.some((d) => d.rule === 'browser-retry')).toBe(true);
    expect(browser.pid).not.toBe(first);
    expect(await until(() => !alive(first), 60_000)).toBe(true);
  });

  it('killed twice: BrowserFailed saying so; the next build starts a fresh Chromium', async () => {
    const out = await tempDir();
    const e = await build(ed, { browser, out, pdf: true, inspect: faulty((pid) => process.kill(-pid, 'SIGKILL'), 2) }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PaibanError);
    expect((e as PaibanError).code).toBe('BrowserFailed');
    expect((e as PaibanError).message).toMatch(/failed twice/);
    expect((e as PaibanError).hint).toMatch(/PAIBAN_TIMEOUT/);
    expect(readdirSync(out)).toEqual([]);
    const again = await build(ed, { browser, out, pdf: true });
    expect(again.ok).toBe(true);
  });

  it('frozen (SIGSTOP): killed when PAIBAN_TIMEOUT runs out, retried, and the build succeeds', async () => {
    const saved = process.env.PAIBAN_TIMEOUT;
    process.env.PAIBAN_TIMEOUT = '12';
    try {
      const r = await build(ed, { browser, out: await tempDir(), pdf: true, inspect: faulty((pid) => process.kill(-pid, 'SIGSTOP')) });
      expect(r.ok).toBe(true);
      const retry = r.diagnostics.items.find((d) => d.rule === 'browser-retry');
      expect(retry?.message).toMatch(/not done within 12 s \(PAIBAN_TIMEOUT\)/);
    } finally {
      if (saved === undefined) delete process.env.PAIBAN_TIMEOUT;
      else process.env.PAIBAN_TIMEOUT = saved;
    }
  });
});

describe('paiban itself killed mid-build', () => {
  /** Start a CLI build with its own TMPDIR; resolve once Chromium runs. */
  async function startBuild(tmp: string) {
    const ed = await makeEdition({ 'a.md': article(Array.from({ length: 400 }, (_, i) => `Paragraph ${i} of a long article that keeps Chromium busy for a while.`).join('\n\n')) });
    const child = spawn('node', [BIN, 'build', ed, '--out', path.join(tmp, 'out')], { env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code, signal) => r(code ?? (signal ? -1 : null))));
    // Chromium's processes name the run's profile folder in their command line or environment.
    expect(await until(() => processesWith(path.join(tmp, 'paiban-chromium-')).length >= 3, 60_000)).toBe(true);
    return { child, exited, stderr: () => stderr };
  }

  it('SIGTERM: exit 143, Chromium gone, profile folder removed, nothing written', async () => {
    const tmp = await tempDir();
    const b = await startBuild(tmp);
    b.child.kill('SIGTERM');
    expect(await b.exited).toBe(143);
    expect(b.stderr()).toMatch(/interrupted \(SIGTERM\)/);
    expect(await until(() => processesWith(tmp).length === 0, 60_000), `left: ${processesWith(tmp)}`).toBe(true);
    expect(leftovers(tmp)).toEqual([]);
    expect(existsSync(path.join(tmp, 'out'))).toBe(false);
  });

  it('SIGKILL: Chromium exits with its pipe; the next run sweeps the dead run\'s profile folder', async () => {
    const tmp = await tempDir();
    const b = await startBuild(tmp);
    b.child.kill('SIGKILL');
    await b.exited;
    expect(await until(() => processesWith(tmp).length === 0, 60_000), `left: ${processesWith(tmp)}`).toBe(true);
    const stale = leftovers(tmp).filter((n) => n.startsWith('paiban-chromium-'));
    expect(stale).toHaveLength(1);
    expect(stale[0]).toMatch(new RegExp(`^paiban-chromium-${b.child.pid}-`));
    const r = run('node', [BIN, 'build', await makeEdition({}), '--pdf', '--out', path.join(tmp, 'out2')], { env: { TMPDIR: tmp } });
    expect(r.code, r.stderr).toBe(0);
    expect(leftovers(tmp)).toEqual([]);
  });
});
