/**
 * The browser is an I/O boundary. One headless Chromium per run, started on a pipe (it exits when
 * paiban does, even on SIGKILL), in its own process group, with a profile folder
 * `<tmp>/paiban-chromium-<pid>-XXXXXX` that also holds Chromium's own temporary files. The folder
 * is removed on close and when the process exits; folders left by a killed run (their pid is dead)
 * are swept at the next start. Starting gets a time budget and one retry, then a clear error.
 * PAIBAN_CHROME picks the binary; Debian's /usr/bin/chromium is the default.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { PaibanError } from '../errors.ts';
import { timeBudgets } from '../limits.ts';
import { PROFILE_PREFIX, installExitHook, killGroup, removeProfile, sweepStaleProfiles, trackPid, trackProfile, untrackPid } from './cleanup.ts';

export { killAllBrowsers, sweepStaleProfiles } from './cleanup.ts';

type Puppeteer = typeof import('puppeteer-core');
let puppeteerModule: Puppeteer | undefined;

/**
 * puppeteer-core, loaded when the first Chromium starts and through require (its CommonJS build):
 * as an ES module, each of its ~400 files would pass through tsx's loader hooks (0.35-0.5 s
 * instead of 0.13 s). Only its types are imported statically, here and elsewhere.
 */
function puppeteer(): Puppeteer {
  return (puppeteerModule ??= createRequire(import.meta.url)('puppeteer-core') as Puppeteer);
}

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
  '--disable-domain-reliability',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-crash-reporter',
  '--no-pings',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-quic',
  '--font-render-hinting=none',
  '--hide-scrollbars',
  '--mute-audio',
];

/** A running Chromium that paiban can relaunch after a crash, and close or kill. */
export interface BrowserHandle {
  /** The Chromium in use (a new one after relaunch()). */
  readonly browser: Browser;
  readonly version: string;
  /** Process id of the current Chromium (its process group leader). */
  readonly pid: number | undefined;
  /** Kill the current Chromium (a crash or a hang) and start a fresh one. */
  relaunch(): Promise<void>;
  /**
   * The tab Chromium opened at its start (about:blank, its renderer already running), once per
   * Chromium: a run that takes it saves starting a renderer (0.4-0.7 s). Undefined once taken.
   */
  takeInitialPage(): Promise<Page | undefined>;
  /** Kill the current Chromium and its process group now, without waiting. */
  kill(): void;
  close(): Promise<void>;
}

interface Instance {
  browser: Browser;
  /** The tab opened at start, until a run takes it. */
  initial?: Promise<Page | undefined>;
  version: string;
  pid: number | undefined;
  profile: string;
  sink: Server;
}

/**
 * Where Chromium's own connections go: a local sink that closes every connection at once. Every
 * request of the page is answered by interception (server.ts) before it could reach the network;
 * this catches what interception never sees, such as <link rel=preconnect> in a template. With
 * no host resolution either (--host-resolver-rules), nothing leaves the machine, not even DNS.
 */
async function startSink(): Promise<Server> {
  const sink = createServer((sock) => sock.destroy());
  sink.on('error', () => undefined);
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  sink.unref();
  return sink;
}

function isolationArgs(sink: Server): string[] {
  const { port } = sink.address() as AddressInfo;
  return [`--proxy-server=http://127.0.0.1:${port}`, '--proxy-bypass-list=<-loopback>', '--host-resolver-rules=MAP * ~NOTFOUND'];
}

async function startOnce(executablePath: string, launchMs: number, protocolMs: number): Promise<Instance> {
  const sink = await startSink();
  try {
    return await startWith(executablePath, launchMs, protocolMs, sink);
  } catch (e) {
    sink.close();
    throw e;
  }
}

async function startWith(executablePath: string, launchMs: number, protocolMs: number, sink: Server): Promise<Instance> {
  const profile = await mkdtemp(path.join(os.tmpdir(), `${PROFILE_PREFIX}${process.pid}-`));
  trackProfile(profile);
  const tmp = path.join(profile, 'tmp');
  await mkdir(tmp);
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let browser: Browser | undefined;
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new Error(`it did not start within ${launchMs / 1000} s`));
      }, launchMs);
    });
    const launching = puppeteer().launch({
      executablePath,
      pipe: true,
      headless: true,
      userDataDir: profile,
      args: [...CHROME_ARGS, ...isolationArgs(sink)],
      // Chromium's own temporary files go into the profile folder, and are removed with it.
      env: { ...process.env, TMPDIR: tmp },
      timeout: launchMs,
      protocolTimeout: protocolMs,
      // paiban cleans up itself (killAllBrowsers on exit); puppeteer's handlers would swallow SIGTERM.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      signal: abort.signal,
    });
    launching.catch(() => undefined);
    browser = await Promise.race([launching, deadline]);
    const pid = browser.process()?.pid;
    const instance: Instance = { browser, version: '', pid, profile, sink };
    trackPid(pid);
    instance.version = await Promise.race([browser.version(), deadline]);
    return instance;
  } catch (e) {
    abort.abort();
    const pid = browser?.process()?.pid;
    killGroup(pid);
    untrackPid(pid);
    await removeProfile(profile);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/** Start Chromium, with one retry; a PaibanError BrowserFailed when both attempts fail. */
async function start(launchMs?: number): Promise<Instance> {
  const executablePath = chromePath();
  const budgets = timeBudgets();
  const ms = launchMs ?? budgets.launchMs;
  installExitHook();
  sweepStaleProfiles();
  let first: unknown;
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      return await startOnce(executablePath, ms, Math.max(budgets.buildMs, budgets.pageMs));
    } catch (e) {
      first ??= e;
    }
  }
  const why = ((first as Error).message ?? String(first)).split('\n')[0];
  throw new PaibanError('BrowserFailed', `Chromium (${executablePath}) did not start, twice: ${why}`, {
    hint: `check that it runs (${executablePath} --headless --version) or point PAIBAN_CHROME at a working Chrome/Chromium; a slow machine may need PAIBAN_LAUNCH_TIMEOUT (seconds, now ${ms / 1000})`,
    cause: first,
  });
}

async function stop(i: Instance): Promise<void> {
  // A frozen or crashed Chromium does not answer Browser.close: give it a moment, then kill.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([i.browser.close().catch(() => undefined), new Promise((r) => (timer = setTimeout(r, 5000)))]);
  clearTimeout(timer);
  killGroup(i.pid);
  untrackPid(i.pid);
  i.sink.close();
  await removeProfile(i.profile);
}

/** Start Chromium (PAIBAN_CHROME, else Debian's) isolated from the network, for builds to share (BuildOptions.browser). */
export async function launchBrowser(opts: { timeoutMs?: number } = {}): Promise<BrowserHandle> {
  let current = await start(opts.timeoutMs);
  let closed = false;
  let relaunching: Promise<void> | undefined;
  return {
    get browser() {
      return current.browser;
    },
    get version() {
      return current.version;
    },
    get pid() {
      return current.pid;
    },
    takeInitialPage() {
      const initial = (current.initial ??= current.browser.pages().then((p) => p.find((x) => x.url() === 'about:blank'), () => undefined));
      current.initial = Promise.resolve(undefined);
      return initial;
    },
    kill() {
      killGroup(current.pid);
    },
    async relaunch() {
      if (closed) throw new Error('relaunch() after close()');
      // Editions built side by side may ask at once: one new Chromium for all of them.
      relaunching ??= (async () => {
        const old = current;
        killGroup(old.pid);
        await stop(old);
        current = await start(opts.timeoutMs);
      })().finally(() => (relaunching = undefined));
      return relaunching;
    },
    async close() {
      if (closed) return;
      closed = true;
      await stop(current);
    },
  };
}

/** Errors that mean the browser crashed, hung or went away (worth one retry with a fresh one). */
export function isBrowserFault(e: unknown, handle: BrowserHandle): boolean {
  if (e instanceof PaibanError) return e.code === 'BrowserFailed';
  if (!handle.browser.connected) return true;
  const name = (e as Error | undefined)?.name ?? '';
  return ['TimeoutError', 'ProtocolError', 'TargetCloseError', 'ConnectionClosedError'].includes(name) || /Target closed|Session closed|Connection closed|crashed/i.test((e as Error | undefined)?.message ?? '');
}
