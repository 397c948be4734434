#!/usr/bin/env node
/**
 * Set-up for `npm run demo` and `npm test` on a fresh Debian machine with Node 20: installs the npm
 * dependencies when missing, and the Debian packages paiban needs (Chromium, fonts, fontTools,
 * poppler; with --test also qpdf, epubcheck, Ghostscript and redis-server; with --print Ghostscript, which
 * `paiban build --pdfx/--pdfa` needs) when missing. As root it installs them; otherwise
 * it prints exactly what to install. Plain JavaScript with no dependencies: it runs before any.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const forTests = process.argv.includes('--test');
const forPrint = forTests || process.argv.includes('--print');
const quiet = process.argv.includes('--quiet');
const log = (s) => quiet || process.stderr.write(`setup: ${s}\n`);

const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
  process.stderr.write(`setup: paiban needs Node.js 20 or newer (this is ${process.version}).\n`);
  process.exit(1);
}

// ---- npm dependencies ----
function npmDepsMissing() {
  const lock = path.join(root, 'package-lock.json');
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(installed)) return true;
  if (existsSync(lock) && statSync(lock).mtimeMs > statSync(installed).mtimeMs + 1000) return true;
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  // bin/paiban runs a clone's TypeScript sources with tsx's esbuild (a devDependency: an
  // installed package runs the compiled dist/ instead).
  const names = Object.keys({ ...pkg.dependencies, ...(forTests ? pkg.devDependencies : { tsx: '' }) });
  return names.some((n) => !existsSync(path.join(root, 'node_modules', n, 'package.json')));
}
if (npmDepsMissing()) {
  log('installing npm dependencies (npm ci)…');
  // No dependency's install script is needed (and none may download anything: puppeteer's would
  // fetch a browser, which this network cannot reach; Debian's Chromium is used instead).
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1' },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// ---- Debian packages ----
const has = (cmd, args = ['--version']) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
let families = null;
const fontFamilies = () => {
  if (families === null) {
    try {
      families = execFileSync('fc-list', [':', 'family'], { encoding: 'utf8' });
    } catch {
      families = '';
    }
  }
  return families;
};
const hasFont = (family) => fontFamilies().split('\n').some((l) => l.split(',').includes(family));

const needs = [
  { pkg: 'chromium', ok: () => (process.env.PAIBAN_CHROME ? existsSync(process.env.PAIBAN_CHROME) : existsSync('/usr/bin/chromium')) },
  { pkg: 'fontconfig', ok: () => has('fc-list', ['--version']) },
  { pkg: 'fonts-noto-cjk', ok: () => hasFont('Noto Serif CJK SC') && hasFont('Noto Sans CJK SC') },
  { pkg: 'fonts-arphic-ukai', ok: () => hasFont('AR PL UKai CN') },
  { pkg: 'fonts-arphic-uming', ok: () => hasFont('AR PL UMing CN') },
  { pkg: 'fonts-liberation2', ok: () => hasFont('Liberation Serif') && hasFont('Liberation Sans') },
  { pkg: 'python3-fonttools', ok: () => has(process.env.PAIBAN_PYTHON ?? '/usr/bin/python3', ['-c', 'import fontTools.subset, fontTools.pens.cu2quPen']) },
  // pdftoppm draws the EPUB's cover from the first printed page of a flow edition (native.ts).
  { pkg: 'poppler-utils', ok: () => has('pdftoppm', ['-v']) && (!forTests || (has('pdffonts', ['-v']) && has('pdftotext', ['-v']))) },
];
if (forTests) {
  needs.push(
    { pkg: 'qpdf', ok: () => has('qpdf') },
    { pkg: 'epubcheck', ok: () => existsSync('/usr/share/java/epubcheck.jar') && has('java', ['-version']) },
    // The render farm's tests and bench start their own redis-server on a loopback port (docs/farm.md).
    { pkg: 'redis-server', ok: () => has('redis-server', ['--version']) },
  );
}
if (forPrint) {
  // PDF/X and PDF/A (--pdfx, --pdfa) go through Ghostscript, which also brings its ICC profiles.
  needs.push({ pkg: 'ghostscript', ok: () => has(process.env.PAIBAN_GS ?? 'gs', ['--version']) });
}
const missing = needs.filter((n) => !n.ok()).map((n) => n.pkg);
if (missing.length) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    process.stderr.write(
      `setup: paiban needs these Debian packages, which are missing:\n  ${missing.join(' ')}\n` +
        `Install them as root, then run this command again:\n  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing.join(' ')}\n`,
    );
    process.exit(1);
  }
  log(`installing Debian packages: ${missing.join(' ')}…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', ...missing]]) {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
    if (r.status !== 0) {
      process.stderr.write(`setup: apt-get ${args[0]} failed (exit ${r.status}); install by hand: apt-get install ${missing.join(' ')}\n`);
      process.exit(1);
    }
  }
  families = null;
  const still = needs.filter((n) => !n.ok()).map((n) => n.pkg);
  if (still.length) {
    process.stderr.write(`setup: still missing after apt-get install: ${still.join(' ')}\n`);
    process.exit(1);
  }
}
log('ready');
