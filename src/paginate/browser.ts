/**
 * The browser is an I/O boundary: one headless Chromium per run, started on a pipe (so it exits
 * with paiban), with a fresh profile folder that is removed on close. PAIBAN_CHROME picks the
 * binary; Debian's /usr/bin/chromium is the default.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { PaibanError } from '../errors.ts';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export function chromePath(): string {
  const env = process.env.PAIBAN_CHROME;
  if (env) {
    if (!existsSync(env)) throw new PaibanError('BrowserFailed', `PAIBAN_CHROME points at ${env}, which does not exist`, { hint: 'set PAIBAN_CHROME to a Chrome or Chromium binary, or unset it to use /usr/bin/chromium' });
    return env;
  }
  const found = CANDIDATES.find((c) => existsSync(c));
  if (!found) throw new PaibanError('BrowserFailed', 'no Chromium found', { hint: 'install it (as root: apt-get install chromium) or set PAIBAN_CHROME to a Chrome/Chromium binary' });
  return found;
}

export const CHROME_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-quic',
  '--font-render-hinting=none',
  '--hide-scrollbars',
  '--mute-audio',
];

export interface BrowserHandle {
  browser: Browser;
  version: string;
  close(): Promise<void>;
}

export async function launchBrowser(opts: { timeoutMs?: number } = {}): Promise<BrowserHandle> {
  const executablePath = chromePath();
  const profile = await mkdtemp(path.join(os.tmpdir(), 'paiban-chromium-'));
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath,
      pipe: true,
      headless: true,
      userDataDir: profile,
      args: CHROME_ARGS,
      timeout: opts.timeoutMs ?? 60_000,
      protocolTimeout: 180_000,
    });
  } catch (e) {
    await rm(profile, { recursive: true, force: true });
    throw new PaibanError('BrowserFailed', `Chromium (${executablePath}) did not start: ${(e as Error).message.split('\n')[0]}`, {
      hint: 'check that it runs (chromium --version) or point PAIBAN_CHROME at a working Chrome/Chromium',
      cause: e,
    });
  }
  const version = await browser.version();
  let closed = false;
  return {
    browser,
    version,
    async close() {
      if (closed) return;
      closed = true;
      await browser.close().catch(() => browser.process()?.kill('SIGKILL'));
      await rm(profile, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}
