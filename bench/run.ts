/**
 * `npm run bench`: paiban side by side with pagedjs-cli and with the floor (Chromium printing the
 * same HTML with no paginator), on the demo, a 24-page newspaper edition and flow editions of
 * 150, 300 and 600 pages. Each tool runs as its own process, as a user would run it; wall time,
 * pages per second and the peak memory of the whole process tree are measured, and the issue's
 * targets are checked. Speed is reported here, never asserted in a test.
 *
 *   tsx bench/run.ts [--quick] [--runs N] [--only demo,newspaper-24,flow-300,farm,plan] [--farm-editions N] [--markdown FILE] [--json FILE] [--keep]
 *
 * `plan`: the planning table (bench/plan.ts): dockets for 1, 4 and 12 pages planned by paiban and by
 * two baselines, each plan built and measured on its PDF.
 *
 * `farm`: the render farm on a redis-server of its own (bench/farm.ts): a warm worker's latency
 * against a cold build, and throughput with one and two workers.
 * --quick: the demo only, one run, no warm-up (the smoke test). --markdown writes the tables and
 * the machine as Markdown (for docs/performance.md); --json the raw measurements.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEMO, writeFlowEdition, writeNewspaperEdition } from './editions.ts';
import { benchFarm, farmTables, farmTarget, type FarmReport } from './farm.ts';
import { machine, type Machine } from './machine.ts';
import { runMeasured, type Measured } from './proc.ts';
import { benchPlanning, PLAN_COLUMNS, planCells, type PlanRow } from './plan.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROME = process.env.PAIBAN_CHROME ?? '/usr/bin/chromium';
const PAIBAN = path.join(ROOT, 'bin', 'paiban');
const PAGEDJS_CLI = path.join(ROOT, 'node_modules', 'pagedjs-cli', 'src', 'cli.js');
const FLOOR = path.join(ROOT, 'bench', 'floor.ts');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

export const COLUMNS = ['edition', 'tool', 'pages', 'wall s', 'pages/s', 'CPU s', 'peak MB (PSS)', 'peak MB (RSS sum)', 'paiban ÷ pagedjs-cli', 'paiban ÷ floor'] as const;

type Tool = 'paiban' | 'pagedjs-cli' | 'floor';

interface Edition {
  name: string;
  dir: string;
  /** Pages a generated edition is meant to have, and how to write it again with its text scaled. */
  target?: number;
  regenerate?: (scale: number) => string;
}

export interface Row {
  edition: string;
  tool: Tool;
  /** Shown after the tool's name, e.g. "1 worker". */
  variant?: string;
  ok: boolean;
  error?: string;
  pages?: number;
  /** Median wall time over the runs. */
  wallMs: number;
  /** CPU time of the process tree in the median run. */
  cpuMs: number;
  /** Highest peaks over the runs: summed PSS (what the tree takes) and summed RSS (shared memory counted per process). */
  peakPss: number;
  peakRss: number;
  runs: number[];
  /** paiban's own per-stage timings (ms), from `paiban build --json`, of the median run. */
  stages?: Record<string, number>;
}

export interface Report {
  machine: Machine;
  rows: Row[];
  targets: { target: string; met: boolean | undefined; measured: string }[];
  /** The planning table (bench/plan.ts), when `plan` was run. */
  plan?: PlanRow[];
  farm?: FarmReport;
}

// ---------- running the tools ----------

function pdfPages(file: string): number | undefined {
  try {
    return Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
  } catch {
    return undefined;
  }
}

function lastLine(s: string): string {
  return s.trim().split('\n').filter((l) => !/^\s*$/.test(l)).slice(-1)[0]?.slice(0, 200) ?? '';
}

interface Attempt {
  m: Measured;
  ok: boolean;
  error?: string;
  pages?: number;
  stages?: Record<string, number>;
}

/** `html`: also write the composed HTML (the other tools' input); timed runs after a warm-up build only the PDF and the EPUB. */
async function runPaiban(ed: Edition, out: string, env: NodeJS.ProcessEnv, html = true): Promise<Attempt> {
  // A long build budget (PAIBAN_TIMEOUT): on a busy machine the 600-page edition may need more than the default.
  const m = await runMeasured(process.execPath, [PAIBAN, 'build', ed.dir, '--out', out, ...(html ? ['--html'] : []), '--json'], { env: { PAIBAN_TIMEOUT: '3600', ...process.env, ...env } });
  try {
    const json = JSON.parse(m.stdout) as { ok: boolean; results: { ok: boolean; pages: number; timings: Record<string, number> }[] };
    const r = json.results[0];
    if (json.ok && r?.ok) return { m, ok: true, pages: r.pages, stages: r.timings };
  } catch {
    // not JSON: reported below
  }
  return { m, ok: false, error: m.timedOut ? 'timed out' : `exit ${m.code}: ${lastLine(m.stderr)}` };
}

async function runPagedjs(html: string, pdf: string): Promise<Attempt> {
  // pagedjs-cli leaves its Chromium profile (puppeteer_dev_chrome_profile-*) in the temp folder: give
  // it a temp folder of its own and remove that (never other processes' profiles in /tmp).
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'paiban-bench-pagedjs-'));
  // pagedjs-cli's puppeteer finds the browser through PUPPETEER_EXECUTABLE_PATH; as root Chromium needs --no-sandbox.
  const args = [PAGEDJS_CLI, html, '-o', pdf, ...(isRoot ? ['--browserArgs', '--no-sandbox'] : [])];
  const m = await runMeasured(process.execPath, args, { env: { ...process.env, TMPDIR: tmp, PUPPETEER_EXECUTABLE_PATH: CHROME, PUPPETEER_SKIP_DOWNLOAD: '1' } });
  rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  const pages = m.code === 0 ? pdfPages(pdf) : undefined;
  return pages ? { m, ok: true, pages } : { m, ok: false, error: m.timedOut ? 'timed out' : `exit ${m.code}: ${lastLine(m.stderr)}` };
}

async function runFloor(html: string, pdf: string): Promise<Attempt> {
  const m = await runMeasured(process.execPath, ['--import', 'tsx', FLOOR, html, pdf], { cwd: ROOT, env: { ...process.env, PAIBAN_CHROME: CHROME } });
  const pages = m.code === 0 ? pdfPages(pdf) : undefined;
  return pages ? { m, ok: true, pages } : { m, ok: false, error: m.timedOut ? 'timed out' : `exit ${m.code}: ${lastLine(m.stderr)}` };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function toRow(edition: string, tool: Tool, variant: string | undefined, attempts: Attempt[]): Row {
  const good = attempts.filter((a) => a.ok);
  if (!good.length) return { edition, tool, variant, ok: false, error: attempts[0]?.error, wallMs: NaN, cpuMs: NaN, peakPss: NaN, peakRss: NaN, runs: [] };
  const runs = good.map((a) => a.m.wallMs);
  const mid = median(runs);
  const closest = good.reduce((a, b) => (Math.abs(b.m.wallMs - mid) < Math.abs(a.m.wallMs - mid) ? b : a));
  return { edition, tool, variant, ok: true, pages: closest.pages, wallMs: mid, cpuMs: closest.m.cpuMs, peakPss: Math.max(...good.map((a) => a.m.peakPss)), peakRss: Math.max(...good.map((a) => a.m.peakRss)), runs, stages: closest.stages };
}

const log = (s: string) => process.stderr.write(`bench: ${s}\n`);

/** Fewest runs of the demo edition (see main). */
const DEMO_RUNS = 5;

async function benchEdition(ed: Edition, work: string, opts: { runs: number; warm: boolean; workers: boolean }): Promise<Row[]> {
  const dir = path.join(work, ed.name);
  mkdirSync(dir, { recursive: true });
  const html = path.join(dir, 'html', `${path.basename(ed.dir)}.html`);
  if (opts.warm) {
    // Untimed: fills paiban's font cache, warms the file cache and Chromium, and writes the HTML the other tools take.
    log(`${ed.name}: warm-up build`);
    let w = await runPaiban(ed, path.join(dir, 'html'), {});
    if (!w.ok) log(`${ed.name}: warm-up failed: ${w.error}`);
    // A generated edition whose page count is more than 8% off (the layout changed) is written again with its text scaled.
    let scale = 1;
    for (let i = 0; i < 2 && w.ok && w.pages && ed.target && ed.regenerate && Math.abs(w.pages / ed.target - 1) > 0.08; i++) {
      scale *= ed.target / w.pages;
      log(`${ed.name}: ${w.pages} pages instead of about ${ed.target}: text scaled by ${scale.toFixed(3)}, warm-up again`);
      ed.dir = ed.regenerate(scale);
      w = await runPaiban(ed, path.join(dir, 'html'), {});
      if (!w.ok) log(`${ed.name}: warm-up failed: ${w.error}`);
    }
  }
  const variants: { variant?: string; env: NodeJS.ProcessEnv }[] = opts.workers
    ? [{ variant: '1 worker', env: { PAIBAN_WORKERS: '1' } }, { variant: '2 workers', env: { PAIBAN_WORKERS: '2' } }]
    : [{ env: {} }];
  const paiban = variants.map(() => [] as Attempt[]);
  const pagedjs: Attempt[] = [];
  const floor: Attempt[] = [];
  for (let run = 1; run <= opts.runs; run++) {
    for (const [i, v] of variants.entries()) {
      const a = await runPaiban(ed, path.join(dir, opts.warm ? 'paiban' : 'html'), v.env, !opts.warm);
      paiban[i]!.push(a);
      log(`${ed.name}: paiban${v.variant ? ` (${v.variant})` : ''} run ${run}: ${a.ok ? `${(a.m.wallMs / 1000).toFixed(1)} s, ${a.pages} pages` : a.error}`);
    }
    if (!existsSync(html)) {
      log(`${ed.name}: no HTML from paiban, so pagedjs-cli and the floor cannot run`);
      break;
    }
    const p = await runPagedjs(html, path.join(dir, 'pagedjs.pdf'));
    pagedjs.push(p);
    log(`${ed.name}: pagedjs-cli run ${run}: ${p.ok ? `${(p.m.wallMs / 1000).toFixed(1)} s, ${p.pages} pages` : p.error}`);
    const f = await runFloor(html, path.join(dir, 'floor.pdf'));
    floor.push(f);
    log(`${ed.name}: floor run ${run}: ${f.ok ? `${(f.m.wallMs / 1000).toFixed(1)} s, ${f.pages} pages` : f.error}`);
  }
  const none = (): Attempt[] => [{ m: undefined as unknown as Measured, ok: false, error: 'no HTML to print' }];
  return [
    ...variants.map((v, i) => toRow(ed.name, 'paiban', v.variant, paiban[i]!)),
    toRow(ed.name, 'pagedjs-cli', undefined, pagedjs.length ? pagedjs : none()),
    toRow(ed.name, 'floor', undefined, floor.length ? floor : none()),
  ];
}

// ---------- targets ----------

function find(rows: Row[], edition: string, tool: Tool, variant?: string): Row | undefined {
  return rows.find((r) => r.edition === edition && r.tool === tool && r.ok && (variant === undefined || r.variant === variant));
}

/** The paiban row an edition is compared by: with workers, the one with as many workers as cores (2 here). */
function paibanRow(rows: Row[], edition: string): Row | undefined {
  return find(rows, edition, 'paiban', '2 workers') ?? find(rows, edition, 'paiban');
}

const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function targets(rows: Row[]): Report['targets'] {
  const out: Report['targets'] = [];
  const demo = paibanRow(rows, 'demo');
  const demoPj = find(rows, 'demo', 'pagedjs-cli');
  out.push({
    target: 'demo: PDF and EPUB in no more time than pagedjs-cli takes for the PDF',
    met: demo && demoPj ? demo.wallMs <= demoPj.wallMs : undefined,
    measured: demo && demoPj ? `paiban ${s1(demo.wallMs)}, pagedjs-cli ${s1(demoPj.wallMs)}` : 'not measured',
  });
  const f300 = paibanRow(rows, 'flow-300');
  const f300pj = find(rows, 'flow-300', 'pagedjs-cli');
  out.push({
    target: 'flow-300: at least 2× faster than pagedjs-cli',
    met: f300 && f300pj ? f300pj.wallMs / f300.wallMs >= 2 : undefined,
    measured: f300 && f300pj ? `paiban ${s1(f300.wallMs)}, pagedjs-cli ${s1(f300pj.wallMs)}: ${(f300pj.wallMs / f300.wallMs).toFixed(2)}×` : 'not measured',
  });
  const f150 = paibanRow(rows, 'flow-150');
  const f600 = paibanRow(rows, 'flow-600');
  const perPage = (r: Row) => r.wallMs / r.pages!;
  out.push({
    target: 'flow: time per page at 600 pages ≤ 1.2× that at 150',
    met: f150 && f600 ? perPage(f600) / perPage(f150) <= 1.2 : undefined,
    measured:
      f150 && f600
        ? `${perPage(f150).toFixed(0)} ms/page at ${f150.pages} pages, ${perPage(f600).toFixed(0)} ms/page at ${f600.pages}: ${(perPage(f600) / perPage(f150)).toFixed(2)}× (CPU time per page: ${(f600.cpuMs / f600.pages! / (f150.cpuMs / f150.pages!)).toFixed(2)}×)`
        : 'not measured',
  });
  const n1 = find(rows, 'newspaper-24', 'paiban', '1 worker');
  const n2 = find(rows, 'newspaper-24', 'paiban', '2 workers');
  out.push({
    target: 'newspaper-24: at least 1.4× faster with two workers than with one',
    met: n1 && n2 ? n1.wallMs / n2.wallMs >= 1.4 : undefined,
    measured: n1 && n2 ? `1 worker ${s1(n1.wallMs)}, 2 workers ${s1(n2.wallMs)}: ${(n1.wallMs / n2.wallMs).toFixed(2)}×` : 'not measured',
  });
  out.push({
    target: 'flow-300: peak memory of the process tree under 1.5 GB',
    met: f300 ? f300.peakPss < 1.5 * 2 ** 30 : undefined,
    measured: f300 ? `${mb(f300.peakPss)} MB PSS (${mb(f300.peakRss)} MB summing each process's RSS)` : 'not measured',
  });
  return out;
}

// ---------- tables ----------

function mb(bytes: number): string {
  return Number.isFinite(bytes) ? String(Math.round(bytes / 2 ** 20)) : '–';
}

function cells(rows: Row[]): string[][] {
  return rows.map((r) => {
    const pj = find(rows, r.edition, 'pagedjs-cli');
    const fl = find(rows, r.edition, 'floor');
    const ratio = (other?: Row) => (r.tool === 'paiban' && r.ok && other ? (r.wallMs / other.wallMs).toFixed(2) : '');
    const name = `${r.tool}${r.variant ? ` (${r.variant})` : ''}`;
    if (!r.ok) return [r.edition, name, '–', `failed: ${r.error ?? '?'}`, '', '', '', '', '', ''];
    return [r.edition, name, String(r.pages ?? '?'), (r.wallMs / 1000).toFixed(1), r.pages ? (r.pages / (r.wallMs / 1000)).toFixed(1) : '?', (r.cpuMs / 1000).toFixed(1), mb(r.peakPss), mb(r.peakRss), ratio(pj), ratio(fl)];
  });
}

function stageCells(rows: Row[]): { head: string[]; body: string[][] } {
  const withStages = rows.filter((r) => r.tool === 'paiban' && r.stages);
  const keys: string[] = [];
  for (const r of withStages) for (const k of Object.keys(r.stages!)) if (!keys.includes(k)) keys.push(k);
  return {
    head: ['edition', 'paiban run', ...keys, 'wall'],
    body: withStages.map((r) => [r.edition, r.variant ?? '', ...keys.map((k) => (r.stages![k] === undefined ? '' : String(r.stages![k]))), String(Math.round(r.wallMs))]),
  };
}

function plain(head: readonly string[], body: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) => r.map((c, i) => (i < 2 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)].join('\n');
}

function markdown(head: readonly string[], body: string[][]): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  return [`| ${head.map(esc).join(' | ')} |`, `| ${head.map((_, i) => (i < 2 ? '---' : '---:')).join(' | ')} |`, ...body.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

function machineLine(m: Machine): string {
  const load = m.load.filter((x) => x !== undefined).join(' → ');
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; ${m.os}; Node ${m.node}; ${m.chromium}; paiban ${m.paiban}; pagedjs-cli ${m.pagedjsCli}; load average ${load}; ${m.date}`;
}

export function renderPlain(r: Report): string {
  const st = stageCells(r.rows);
  return [
    `machine: ${machineLine(r.machine)}`,
    '',
    plain(COLUMNS, cells(r.rows)),
    '',
    'paiban stages (ms):',
    plain(st.head, st.body),
    '',
    ...farmText(r.farm, plain),
    'targets:',
    ...r.targets.map((t) => `  [${t.met === undefined ? ' ' : t.met ? 'x' : ' '}] ${t.target}: ${t.met === undefined ? '' : t.met ? 'met' : 'NOT met'} (${t.measured})`),
    ...(r.plan ? ['', 'planning (bench/plan.ts):', plain(PLAN_COLUMNS, planCells(r.plan))] : []),
  ].join('\n');
}

export function renderMarkdown(r: Report): string {
  const st = stageCells(r.rows);
  return [
    `Measured on: ${machineLine(r.machine)}.`,
    '',
    markdown(COLUMNS, cells(r.rows)),
    '',
    'paiban\'s stages (ms, from `paiban build --json`):',
    '',
    markdown(st.head, st.body),
    '',
    ...farmText(r.farm, markdown),
    '| target | met | measured |',
    '| --- | --- | --- |',
    ...r.targets.map((t) => `| ${t.target} | ${t.met === undefined ? 'not measured' : t.met ? 'yes' : '**no**'} | ${t.measured} |`),
    ...(r.plan ? ['', 'Planning (bench/plan.ts, docs/planning.md):', '', markdown(PLAN_COLUMNS, planCells(r.plan))] : []),
  ].join('\n');
}

/** The farm's two tables (bench/farm.ts), in either format, with their note. */
function farmText(f: FarmReport | undefined, table: (head: string[], body: string[][]) => string): string[] {
  if (!f) return [];
  const t = farmTables(f);
  const note = `farm (${f.cores} cores; two workers on one machine share its cores)${f.error ? `: failed: ${f.error}` : ''}:`;
  return [note, '', table(t.latency.head, t.latency.body), '', table(t.throughput.head, t.throughput.body), ''];
}

// ---------- main ----------

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      runs: { type: 'string' },
      only: { type: 'string' },
      markdown: { type: 'string' },
      json: { type: 'string' },
      keep: { type: 'boolean', default: false },
      'farm-editions': { type: 'string' },
    },
  });
  const runs = Math.max(1, Number(values.runs ?? 1) || 1);
  const work = mkdtempSync(path.join(os.tmpdir(), 'paiban-bench-'));
  const m = machine(ROOT, CHROME);
  try {
    const names = values.quick ? ['demo'] : (values.only?.split(',').map((s) => s.trim()) ?? ['demo', 'newspaper-24', 'flow-150', 'flow-300', 'flow-600', 'farm', 'plan']);
    const editionsDir = path.join(work, 'editions');
    const editions: Edition[] = names.filter((n) => n !== 'farm' && n !== 'plan').map((name) => {
      if (name === 'demo') return { name, dir: DEMO };
      const news = /^newspaper-(\d+)$/.exec(name);
      if (news) return { name, dir: writeNewspaperEdition(editionsDir, Number(news[1])) };
      const flow = /^flow-(\d+)$/.exec(name);
      if (flow) {
        const n = Number(flow[1]);
        return { name, dir: writeFlowEdition(editionsDir, n), target: n, regenerate: (scale: number) => writeFlowEdition(editionsDir, n, scale) };
      }
      throw new Error(`unknown edition "${name}": demo, newspaper-N or flow-N`);
    });
    const rows: Row[] = [];
    for (const ed of editions) {
      // The demo's runs take seconds, and other work on the machine moves them most: at least five.
      const edRuns = values.quick ? 1 : ed.name === 'demo' ? Math.max(runs, DEMO_RUNS) : runs;
      rows.push(...(await benchEdition(ed, work, { runs: edRuns, warm: !values.quick, workers: ed.name.startsWith('newspaper-') })));
    }
    const farm = names.includes('farm') ? await benchFarm(PAIBAN, work, { runs: values.runs ? runs : DEMO_RUNS, editions: Math.max(1, Number(values['farm-editions'] ?? 8) || 8), log }) : undefined;
    // Planning: dockets for 1, 4 and 12 pages, the planner against two baselines (bench/plan.ts).
    const plan = names.includes('plan') ? await benchPlanning([1, 4, 12], work) : undefined;
    m.load.push(Math.round(os.loadavg()[0]! * 100) / 100);
    const report: Report = { machine: m, rows, targets: [...targets(rows), ...(farm ? [farmTarget(farm)] : [])], farm, ...(plan ? { plan } : {}) };
    process.stdout.write(`${renderPlain(report)}\n`);
    if (values.markdown) writeFileSync(values.markdown, `${renderMarkdown(report)}\n`);
    if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
    return rows.every((r) => r.ok) && !farm?.error && (plan ?? []).every((r) => r.variant !== 'planner' || r.overset === 0) ? 0 : 1;
  } finally {
    if (values.keep) log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('bench/run.ts')) {
  process.exitCode = await main();
}
