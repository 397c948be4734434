#!/usr/bin/env node
/**
 * Mutation testing: does the suite catch a regression where printing is hardest? Each mutant is a
 * small deliberate breakage (a line-break rule dropped, a jump cut wrong, a page box off by half the
 * bleed, the EPUB in the wrong language, overset no longer reported, fonts left CFF, the clock in a
 * timestamp, punctuation lost, …), written as an exact piece of today's code and its replacement.
 * Each is applied to a scratch copy of the working tree, the test files that should catch it run
 * there, and the mutant is caught when they fail. A mutant whose code is no longer found exactly
 * once fails loudly: update it here with the code it was written against.
 *
 *   npm run test:mutants                  every mutant (after a baseline run of the same tests, unmutated)
 *   node scripts/mutants.mjs --list       the mutants and the tests meant to catch each
 *   node scripts/mutants.mjs --only a,b   some of them
 *   node scripts/mutants.mjs --no-baseline
 *
 * Exit 0 when every mutant is caught; 1 when one is missed, does not apply, or the baseline fails.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * `tests`: the files meant to catch the mutant; `filter`: only their tests whose names match (vitest -t).
 * @type {{ name: string, what: string, file: string, find: string, replace: string, tests: string[], filter?: string, freshCache?: boolean }[]}
 */
export const MUTANTS = [
  {
    name: 'line-break-anywhere',
    what: 'CJK line-break rules off: a line may start with 。 or ，',
    file: 'styles/newspaper.css',
    find: '  line-break: strict;\n  word-break: normal;',
    replace: '  line-break: anywhere;\n  word-break: normal;',
    tests: ['tests/e2e/demo.test.ts'],
  },
  {
    name: 'jump-cut-repeats',
    what: 'the continuation repeats the last characters of the first part',
    file: 'src/layout/jumps.ts',
    find: '  PB.dropFirst(tbody, lo);',
    replace: '  PB.dropFirst(tbody, Math.max(0, lo - 3));',
    tests: ['tests/e2e/pagecraft.test.ts'],
    filter: 'jump',
  },
  {
    name: 'jump-cut-loses',
    what: 'the continuation loses the character after the cut',
    file: 'src/layout/jumps.ts',
    find: '  PB.dropFirst(tbody, lo);',
    replace: '  PB.dropFirst(tbody, lo + 1);',
    tests: ['tests/e2e/pagecraft.test.ts'],
    filter: 'jump',
  },
  {
    name: 'jump-cut-before-mark',
    what: 'the cut no longer steps back before a closing mark: a continuation may start with 。',
    file: 'src/layout/jumps.ts',
    find: '  if (j < text.length && closing.includes(text[j]!)) return false;\n',
    replace: '',
    tests: ['tests/e2e/pagecraft.test.ts'],
    filter: 'closing mark',
  },
  {
    name: 'jump-page-number',
    what: 'the jump line names the page after the one the story continues on',
    file: 'src/layout/slots.ts',
    find: '    const toPage = printedPageOfPlan(src.dataset.continuePage!);',
    replace: '    const toPage = printedPageOfPlan(src.dataset.continuePage!) + 1;',
    tests: ['tests/e2e/pagecraft.test.ts'],
    filter: 'jump',
  },
  {
    name: 'folio-page-number',
    what: 'a later run of a pool numbers its pages one too low',
    file: 'src/layout/native.ts',
    find: '`@page :first { counter-increment: page ${pageOffset + 1}; }`',
    replace: '`@page :first { counter-increment: page ${pageOffset}; }`',
    tests: ['tests/e2e/pagecraft.test.ts'],
    filter: 'in parallel',
  },
  {
    name: 'bleed-box',
    what: 'the BleedBox reaches only half the bleed on the left',
    file: 'src/pdf/boxes.ts',
    find: '  const bleed = { x1: trim.x1 - g.bleed, y1: trim.y1 - g.bleed,',
    replace: '  const bleed = { x1: trim.x1 - g.bleed / 2, y1: trim.y1 - g.bleed,',
    tests: ['tests/pdf/postprocess.test.ts', 'tests/e2e/demo.test.ts'],
  },
  {
    name: 'registration-crosses',
    what: 'a registration cross on one edge only',
    file: 'src/pdf/draw-marks.ts',
    find: '  for (const [cx, cy] of centres) {',
    replace: '  for (const [cx, cy] of centres.slice(0, 1)) {',
    tests: ['tests/print/marks.test.ts'],
  },
  {
    name: 'pdfx-rgb',
    what: 'PDF/X leaves RGB colours as they are',
    file: 'src/pdf/ghostscript.ts',
    find: "['-dPDFX', '-sColorConversionStrategy=CMYK', '-sProcessColorModel=DeviceCMYK']",
    replace: "['-dPDFX', '-sColorConversionStrategy=LeaveColorUnchanged', '-sProcessColorModel=DeviceCMYK']",
    tests: ['tests/print/standards.test.ts'],
    filter: 'CMYK',
  },
  {
    name: 'preflight-type3',
    what: 'preflight no longer reports a Type 3 font',
    file: 'src/preflight/preflight.ts',
    find: "    if (f.type !== 'Type 3') continue;",
    replace: "    if (f.type !== 'Type3') continue;",
    tests: ['tests/print/preflight.test.ts'],
    filter: 'Type 3',
  },
  {
    name: 'pool-one-run',
    what: 'the pool lays out every edition in one run: no parallel pages',
    file: 'src/layout/chunks.ts',
    find: 'export const MIN_PAGES_PER_RUN = 4;',
    replace: 'export const MIN_PAGES_PER_RUN = 400;',
    tests: ['tests/e2e/pagecraft.test.ts'],
    filter: 'in parallel',
  },
  {
    name: 'caption-above',
    what: 'a wide photo\'s caption is set above it',
    file: 'styles/newspaper.css',
    find: '.pb-photos figure { flex: 1 1 0; min-width: 0; margin: 0; display: flex; flex-direction: column;',
    replace: '.pb-photos figure { flex: 1 1 0; min-width: 0; margin: 0; display: flex; flex-direction: column-reverse;',
    tests: ['tests/e2e/demo.test.ts'],
  },
  {
    name: 'epub-language',
    what: 'the EPUB package says English whatever the edition says',
    file: 'src/epub/index.ts',
    find: '  const lang = config.language;',
    replace: "  const lang = 'en';",
    tests: ['tests/epub/epub.test.ts'],
  },
  {
    name: 'overset-silent',
    what: 'overset text is no longer reported',
    file: 'src/layout/report.ts',
    find: '  if (s.hiddenChars > 0) {',
    replace: '  if (s.hiddenChars > 1e9) {',
    tests: ['tests/e2e/pagecraft.test.ts'],
    filter: 'overset',
  },
  {
    name: 'copyfit-tracking',
    what: 'copyfit tracks twice as far as its range allows',
    file: 'src/layout/fit.ts',
    find: '    body.style.letterSpacing = `${t * opts.trackingRange}em`;',
    replace: '    body.style.letterSpacing = `${t * opts.trackingRange * 2}em`;',
    tests: ['tests/e2e/pagecraft.test.ts'],
    filter: 'copyfit',
  },
  {
    name: 'copyfit-tightest',
    what: 'copyfit always sets the tightest leading: the slot is not filled',
    file: 'src/layout/fit.ts',
    find: '  apply(t);\n  return t;',
    replace: '  apply(-1);\n  return t;',
    tests: ['tests/e2e/pagecraft.test.ts'],
    filter: 'copyfit',
  },
  {
    name: 'font-not-converted',
    what: 'CFF faces stay CFF: Chromium embeds them as Type 3',
    file: 'src/fonts/subset.py',
    find: '    if converted:\n',
    replace: '    if False:\n',
    tests: ['tests/e2e/demo.test.ts'],
    freshCache: true,
  },
  {
    name: 'timestamp-clock',
    what: "the build's timestamp comes from the clock",
    file: 'src/build.ts',
    find: '  return new Date(`${editionDate}T00:00:00Z`);',
    replace: '  return new Date(Math.floor(Date.now() / 1000) * 1000);',
    tests: ['tests/print/reproducible.test.ts'],
  },
  {
    name: 'timestamp-local-time',
    what: "the EPUB's zip times are local time, not UTC",
    file: 'src/epub/zip.ts',
    find: '    time: (t.getUTCHours() << 11)',
    replace: '    time: (t.getHours() << 11)',
    tests: ['tests/epub/epub.test.ts'],
  },
  {
    name: 'caption-punctuation',
    what: 'captions lose their commas and full stops',
    file: 'src/markdown/plugins/figure.ts',
    find: "      fig.content = img.children ? img.children.map((c) => c.content).join('') : img.content;",
    replace: "      fig.content = (img.children ? img.children.map((c) => c.content).join('') : img.content).replace(/[，。]/g, '');",
    tests: ['tests/e2e/demo.test.ts'],
  },
  {
    name: 'figure-alt',
    what: 'photos lose their alt text',
    file: 'src/markdown/plugins/figure.ts',
    find: '<img src="${esc(src)}" alt="${esc(caption)}"',
    replace: '<img src="${esc(src)}" alt=""',
    tests: ['tests/print/tagged.test.ts'],
  },
];

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1]?.split(',') : undefined;
const chosen = MUTANTS.filter((m) => !only || only.includes(m.name));
if (only && chosen.length !== only.length) {
  console.error(`unknown mutant(s): ${only.filter((n) => !MUTANTS.some((m) => m.name === n)).join(', ')}; --list names them`);
  process.exit(2);
}
if (args.includes('--list')) {
  for (const m of MUTANTS) console.log(`${m.name.padEnd(22)} ${m.file}: ${m.what}\n${''.padEnd(23)}caught by ${m.tests.join(', ')}${m.filter ? ` (-t "${m.filter}")` : ''}`);
  process.exit(0);
}

/** A copy of the working tree (tracked and new files, not ignored ones) with node_modules linked. */
function scratchCopy() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'paiban-mutants-'));
  const files = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
  for (const f of files) {
    if (!existsSync(path.join(ROOT, f))) continue; // deleted in the working tree
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    cpSync(path.join(ROOT, f), path.join(dir, f));
  }
  // The packages, but not their cache (bin/paiban compiles the mutated sources into its own).
  mkdirSync(path.join(dir, 'node_modules'));
  for (const name of readdirSync(path.join(ROOT, 'node_modules'))) if (name !== '.cache') symlinkSync(path.join(ROOT, 'node_modules', name), path.join(dir, 'node_modules', name));
  return dir;
}

/** Run test files in the copy; the names of the tests that failed (empty: all passed). */
function runTests(dir, tests, env, filter) {
  const report = path.join(dir, `.vitest-${Date.now()}.json`);
  const r = spawnSync(process.execPath, [path.join(dir, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...tests, ...(filter ? ['-t', filter] : []), '--reporter=json', `--outputFile=${report}`], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ...env, CI: '1' },
    maxBuffer: 256 << 20,
  });
  let failed = [];
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    failed = json.testResults.flatMap((f) => [
      ...(f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed') ? [`${path.relative(dir, f.name)}: ${String(f.message).split('\n')[0]}`] : []),
      ...f.assertionResults.filter((a) => a.status === 'failed').map((a) => `${path.relative(dir, f.name)} > ${a.fullName}`),
    ]);
  } catch {
    failed = [`vitest exited ${r.status} without a report: ${(r.stderr || r.stdout).split('\n').slice(-5).join(' / ')}`];
  }
  if (r.status !== 0 && failed.length === 0) failed = [`vitest exited ${r.status}`];
  return failed;
}

const dir = scratchCopy();
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const cache = (name) => path.join(dir, '.cache', name);
console.log(`mutants: ${chosen.length} in ${dir}`);

// Every mutant's code must be there exactly once, before anything runs.
const broken = chosen.filter((m) => {
  const text = readFileSync(path.join(dir, m.file), 'utf8');
  const n = text.split(m.find).length - 1;
  if (n !== 1) console.error(`mutant ${m.name} no longer applies: ${m.file} has its code ${n} times (expected once):\n  ${m.find.trim()}\n  update scripts/mutants.mjs with the code as it is now`);
  return n !== 1;
});
if (broken.length) process.exit(1);

// The baseline: each set of tests the mutants run, unmutated, must pass (a test that fails anyway
// would make a mutant look caught).
const groups = [...new Map(chosen.map((m) => [`${m.tests.join(' ')}|${m.filter ?? ''}`, m])).values()];
if (!args.includes('--no-baseline')) {
  for (const g of groups) {
    console.log(`baseline: ${g.tests.join(' ')}${g.filter ? ` -t "${g.filter}"` : ''}`);
    const failed = runTests(dir, g.tests, { PAIBAN_CACHE: cache('baseline') }, g.filter);
    if (failed.length) {
      console.error(`the baseline fails, so a mutant's failure would prove nothing:\n  ${failed.join('\n  ')}`);
      process.exit(1);
    }
  }
}

const results = [];
for (const m of chosen) {
  const file = path.join(dir, m.file);
  const original = readFileSync(file, 'utf8');
  writeFileSync(file, original.replace(m.find, m.replace));
  const t0 = Date.now();
  process.stdout.write(`${m.name}: ${m.what} … `);
  const failed = runTests(dir, m.tests, { PAIBAN_CACHE: m.freshCache ? cache(m.name) : cache('shared') }, m.filter);
  writeFileSync(file, original);
  const caught = failed.length > 0;
  results.push({ m, caught, failed, seconds: Math.round((Date.now() - t0) / 1000) });
  console.log(caught ? `caught (${failed.length} failing)` : 'MISSED');
  for (const f of failed.slice(0, 3)) console.log(`    ${f}`);
}

console.log(`\n| mutant | breakage | caught by | result |\n| --- | --- | --- | --- |`);
for (const r of results) console.log(`| ${r.m.name} | ${r.m.what} | ${r.failed[0]?.split(' > ').slice(0, 2).join(' > ') ?? r.m.tests.join(', ')} | ${r.caught ? 'caught' : '**missed**'} (${r.seconds} s) |`);
const missed = results.filter((r) => !r.caught);
console.log(`\n${results.length - missed.length} of ${results.length} mutants caught${missed.length ? `; missed: ${missed.map((r) => r.m.name).join(', ')}` : ''}`);
process.exit(missed.length ? 1 : 0);
