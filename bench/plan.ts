/**
 * The planning bench: dockets of real public-domain stories (docket.ts) of about 1.2-1.5 times what
 * N broadsheet pages hold, N = 1, 4 and 12, planned by paiban and by two baselines in the same run,
 * every plan built by `paiban build` (its own process) and measured on the PDF:
 *
 * - planner: `pages: auto` (greedy start, local search, checked as laid out), as a user runs it;
 * - greedy start: the planner's greedy start alone (pages in order, each with the most important
 *   stories that pack it full), no local search;
 * - first fit: the template's named layouts as they are (front, then feature), each slot given the
 *   first story by priority whose measured depth range holds the slot's rows; nothing continues.
 *
 * Per plan: stories placed, placement weighted by priority, fill of each page on the PDF (each slot's
 * text columns down its depth, over the page's grid), overset and underset slots, holes, jumps, and
 * times: planning with measures cold and warm (`paiban plan --dry-run`), planning and building
 * (`paiban build`, measures warm). Times are wall clock on a shared machine: see the load average.
 *
 *   tsx bench/plan.ts [--pages 1,4,12] [--markdown FILE] [--json FILE] [--keep]
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { loadTemplate } from '../src/compose/template.ts';
import type { PagePlan } from '../src/config/schema.ts';
import { loadEdition } from '../src/load/edition.ts';
import { launchBrowser } from '../src/browser/browser.ts';
import { toPagePlans } from '../src/plan/emit.ts';
import { preparePlanning } from '../src/plan/index.ts';
import { wholeRanges } from '../src/plan/items.ts';
import { WEIGHT } from '../src/plan/pack.ts';
import { Planner } from '../src/plan/search.ts';
import { writeDocketEdition } from './docket.ts';
import { runMeasured } from './proc.ts';
import { chinesePieces } from './texts.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PAIBAN = path.join(ROOT, 'bin', 'paiban');
const log = (s: string) => process.stderr.write(`bench plan: ${s}\n`);
/** Docket size by page count: 1.2 to 1.5 times what the pages hold (by the stories' estimated area). */
const FACTOR: Record<number, number> = { 1: 1.4, 4: 1.4, 12: 1.3 };

export interface PlanRow {
  pages: number;
  variant: 'planner' | 'greedy start' | 'first fit';
  docket: number;
  /** The docket's size: × what the pages hold, by the stories' estimated area (docket.ts). */
  size: number;
  /** Docket text over the text the plan placed (pages full): how many times what the pages held. */
  ratio: number;
  placed: number;
  weight: number;
  allTop: boolean;
  holdRule: boolean;
  /** Each page's fill on the PDF (0..1). */
  fill: number[];
  overset: number;
  underset: number;
  holes: number;
  jumps: number;
  /** ms: search alone (in-process), paiban plan with measures cold and warm, plan and build. */
  searchMs?: number;
  planColdMs?: number;
  planWarmMs?: number;
  buildMs?: number;
  identical?: boolean;
}

interface Built {
  ok: boolean;
  placed: { page: number; file: string; box: { x: number; y: number; width: number; height: number }; columns: { count: number; gap: number } }[];
  diagnostics: { rule: string; severity: string }[];
  plan?: { held: unknown[]; jumps: unknown[] };
}

async function paiban(args: string[], cache: string): Promise<{ ms: number; json: unknown }> {
  const m = await runMeasured(process.execPath, [PAIBAN, ...args, '--json'], { env: { ...process.env, PAIBAN_CACHE: cache, PAIBAN_TIMEOUT: '3600' } });
  let json: unknown;
  try {
    json = JSON.parse(m.stdout);
  } catch {
    throw new Error(`paiban ${args[0]} failed (exit ${m.code}): ${m.stderr.slice(-400)}`);
  }
  return { ms: m.wallMs, json };
}

/** How far each slot's text columns reach down it, on the PDF, over the page's grid box. */
function pageFill(pdf: string, placed: Built['placed'], grid: Map<number, { top: number; bottom: number; left: number; right: number }>): number[] {
  const pages = [...grid.keys()].sort((a, b) => a - b);
  return pages.map((page) => {
    const g = grid.get(page)!;
    const html = execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-bbox', pdf, '-'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const words = [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">/g)].map((m) => m.slice(1, 5).map(Number) as [number, number, number, number]);
    let filled = 0;
    for (const s of placed.filter((x) => x.page === page)) {
      const { x, y, width, height } = s.box;
      const n = s.columns.count;
      const w = (width - (n - 1) * s.columns.gap) / n;
      const feet = Array.from({ length: n }, () => y);
      for (const [x0, y0, x1, y1] of words) {
        if (x0 < x - 1 || x1 > x + width + 1 || y0 < y - 1 || y1 > y + height + 1) continue;
        const i = Math.min(n - 1, Math.max(0, Math.floor(((x0 + x1) / 2 - x) / (w + s.columns.gap))));
        feet[i] = Math.max(feet[i]!, y1);
      }
      // Each text column filled down to its lowest word (a column within a line of its foot counts full).
      for (const f of feet) filled += w * Math.min(height, f - y + 14.6);
      filled += (n - 1) * s.columns.gap * height;
    }
    return Math.min(1, filled / ((g.bottom - g.top) * (g.right - g.left)));
  });
}

function gridOf(placed: Built['placed']): Map<number, { top: number; bottom: number; left: number; right: number }> {
  const out = new Map<number, { top: number; bottom: number; left: number; right: number }>();
  for (const s of placed) {
    const g = out.get(s.page) ?? { top: Infinity, bottom: 0, left: Infinity, right: 0 };
    out.set(s.page, { top: Math.min(g.top, s.box.y), bottom: Math.max(g.bottom, s.box.y + s.box.height), left: Math.min(g.left, s.box.x), right: Math.max(g.right, s.box.x + s.box.width) });
  }
  return out;
}

/** The template's named layouts, each slot given the first story by priority whose range holds its rows. */
function firstFit(prepared: Awaited<ReturnType<typeof preparePlanning>>, layouts: Record<string, { slots: Record<string, { column?: number; columns: number; row?: number; rows?: number }> }>): PagePlan[] {
  const { input } = prepared;
  const left = [...input.stories].sort((a, b) => a.priority - b.priority || a.index - b.index);
  return input.pages.map((page, pi) => {
    const articles: PagePlan['articles'] = [];
    for (const [name, slot] of Object.entries(layouts[page.layout]!.slots)) {
      const lead = pi === 0 && (name === 'lead' || name === 'top');
      const at = left.findIndex((st) => {
        const r = wholeRanges(input.measures[st.index]!, input.frames[pi]!, input.limits, lead && st.index === input.lead, (slot.row ?? 1) > 1)[slot.columns];
        return r && r[0] <= slot.rows! && slot.rows! <= r[1] && (!page.section || !st.section || st.section === page.section);
      });
      if (at < 0) continue;
      articles.push({ file: left[at]!.file, slot: name, fit: 'auto' });
      left.splice(at, 1);
    }
    return { layout: page.layout, articles };
  });
}

async function variantRow(n: number, variant: PlanRow['variant'], built: Built, pdf: string, grid: ReturnType<typeof gridOf>, docket: { file: string; priority: number; chars: number }[], size: number): Promise<PlanRow> {
  const placedFiles = new Set(built.placed.map((p) => p.file));
  const placed = docket.filter((d) => placedFiles.has(d.file));
  const held = docket.filter((d) => !placedFiles.has(d.file));
  const weight = (xs: typeof docket) => xs.reduce((a, d) => a + WEIGHT[d.priority]!, 0);
  const count = (rule: string) => built.diagnostics.filter((d) => d.rule === rule && d.severity !== 'info').length;
  const worst = Math.max(0, ...placed.map((d) => d.priority));
  return {
    pages: n,
    variant,
    docket: docket.length,
    size,
    ratio: docket.reduce((a, d) => a + d.chars, 0) / Math.max(1, placed.reduce((a, d) => a + d.chars, 0)),
    placed: placed.length,
    weight: weight(placed) / weight(docket),
    allTop: docket.filter((d) => d.priority <= 2).every((d) => placedFiles.has(d.file)),
    holdRule: held.every((h) => worst < h.priority + 2),
    fill: pageFill(pdf, built.placed, grid),
    overset: count('overset') + count('slot-too-small'),
    underset: count('underset'),
    holes: count('page-hole'),
    jumps: built.plan?.jumps.length ?? 0,
  };
}

export async function benchPlanning(pagesList: number[], work: string): Promise<PlanRow[]> {
  const rows: PlanRow[] = [];
  const cache = path.join(work, 'cache');
  for (const n of pagesList) {
    const { dir, size } = await writeDocketEdition(work, `plan-${n}`, chinesePieces(), { pages: n, factor: FACTOR[n] ?? 1.4 });
    const loaded = await loadEdition(dir);
    const docket = loaded.docket.map((a, i) => ({ file: a.file, priority: loaded.config.articles![i]!.priority, chars: a.body.replace(/\s/g, '').length }));
    log(`${n} page(s): ${docket.length} stories; planning with measures cold`);
    rmSync(path.join(cache, 'plan-measures'), { recursive: true, force: true });
    const cold = await paiban(['plan', dir, '--dry-run'], cache);
    rmSync(path.join(cache, 'plan-measures'), { recursive: true, force: true });
    const cold2 = await paiban(['plan', dir, '--dry-run'], cache);
    const warm = await paiban(['plan', dir, '--dry-run'], cache);
    log(`${n} page(s): planning ${(cold2.ms / 1000).toFixed(1)} s cold (${(cold.ms / 1000).toFixed(1)} s with the fonts cold), ${(warm.ms / 1000).toFixed(1)} s warm; building`);
    const out = path.join(work, `out-${n}`);
    const b1 = await paiban(['build', dir, '--out', path.join(out, 'a')], cache);
    const b2 = await paiban(['build', dir, '--out', path.join(out, 'b')], cache);
    const res = (b1.json as { results: Built[] }).results[0]!;
    const pdf = path.join(out, 'a', `plan-${n}.pdf`);
    const identical = ['pdf', 'epub'].every((ext) => readFileSync(path.join(out, 'a', `plan-${n}.${ext}`)).equals(readFileSync(path.join(out, 'b', `plan-${n}.${ext}`))));
    const grid = gridOf(res.placed);
    const planReport = (warm.json as { plan: { timings: Record<string, number> } }).plan;
    rows.push({ ...(await variantRow(n, 'planner', res, pdf, grid, docket, size)), searchMs: planReport.timings.search, planColdMs: cold2.ms, planWarmMs: warm.ms, buildMs: b2.ms, identical });
    log(`${n} page(s): planned and built in ${(b1.ms / 1000).toFixed(1)} s (the build's font subsets cold), ${(b2.ms / 1000).toFixed(1)} s again; the baselines`);

    // The baselines, from the same measures (cached), built the same way.
    const edition = await loadEdition(dir);
    const template = await loadTemplate(edition.config.template, edition.dir, edition.config.type);
    const browser = await launchBrowser();
    let baselines: { variant: PlanRow['variant']; pages: PagePlan[]; ms: number }[];
    process.env.PAIBAN_CACHE = cache;
    try {
      const prepared = await preparePlanning(edition, template, { browser });
      const t0 = performance.now();
      const planner = new Planner(prepared.input);
      const greedy = planner.greedy();
      const g = toPagePlans(planner.toPlan(greedy, planner.evaluate(greedy)), prepared.input.stories, prepared.setup.options);
      const t1 = performance.now();
      const ff = firstFit(prepared, template.meta.layouts);
      const t2 = performance.now();
      baselines = [{ variant: 'greedy start', pages: g, ms: t1 - t0 }, { variant: 'first fit', pages: ff, ms: t2 - t1 }];
      await prepared.close();
    } finally {
      await browser.close();
    }
    for (const b of baselines) {
      const copy = path.join(work, `${b.variant.replace(' ', '-')}-${n}`, `plan-${n}`);
      mkdirSync(path.dirname(copy), { recursive: true });
      cpSync(dir, copy, { recursive: true });
      const text = readFileSync(path.join(copy, 'edition.yaml'), 'utf8').replace(/^pages: auto$/m, stringify({ pages: b.pages }).trimEnd());
      writeFileSync(path.join(copy, 'edition.yaml'), text);
      const built = await paiban(['build', copy, '--out', path.join(copy, '..', 'out'), '--pdf'], cache);
      const r = (built.json as { results: Built[] }).results[0];
      if (!r) {
        log(`${b.variant}, ${n} page(s): the build failed`);
        continue;
      }
      // Their builds' times are not comparable (each new plan's font subsets are made the first time).
      rows.push({ ...(await variantRow(n, b.variant, r, path.join(copy, '..', 'out', `plan-${n}.pdf`), grid, docket, size)), searchMs: Math.round(b.ms) });
    }
  }
  return rows;
}

export const PLAN_COLUMNS = ['pages', 'plan', 'docket (× pages)', 'docket ÷ placed', 'placed', 'weighted', 'p1-2 all', 'hold rule', 'fill per page (min / mean)', 'overset', 'underset', 'holes', 'jumps', 'search ms', 'plan s (cold / warm)', 'plan + build s', 'same bytes'] as const;

export function planCells(rows: PlanRow[]): string[][] {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const s = (ms?: number) => (ms === undefined ? '' : (ms / 1000).toFixed(1));
  return rows.map((r) => [
    String(r.pages), r.variant, `${r.docket} (${r.size.toFixed(2)})`, r.ratio.toFixed(2), String(r.placed), pct(r.weight), r.allTop ? 'yes' : 'no', r.holdRule ? 'kept' : 'broken',
    `${pct(Math.min(...r.fill))} / ${pct(r.fill.reduce((a, b) => a + b, 0) / Math.max(1, r.fill.length))}`,
    String(r.overset), String(r.underset), String(r.holes), String(r.jumps), r.searchMs === undefined ? '' : String(Math.round(r.searchMs)),
    r.planColdMs === undefined ? '' : `${s(r.planColdMs)} / ${s(r.planWarmMs)}`, s(r.buildMs), r.identical === undefined ? '' : r.identical ? 'yes' : 'no',
  ]);
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { pages: { type: 'string', default: '1,4,12' }, markdown: { type: 'string' }, json: { type: 'string' }, keep: { type: 'boolean', default: false } } });
  const work = mkdtempSync(path.join(os.tmpdir(), 'paiban-bench-plan-'));
  const load0 = os.loadavg()[0]!;
  try {
    const rows = await benchPlanning(values.pages!.split(',').map(Number), work);
    const load = `load average ${load0.toFixed(2)} → ${os.loadavg()[0]!.toFixed(2)} on ${os.cpus().length} cores`;
    const head = [...PLAN_COLUMNS];
    const body = planCells(rows);
    const w = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
    process.stdout.write(`${[head, ...body].map((r) => r.map((c, i) => c.padEnd(w[i]!)).join('  ')).join('\n')}\n${load}\n`);
    if (values.markdown) writeFileSync(values.markdown, `${[`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n')}\n\n${load}\n`);
    if (values.json) writeFileSync(values.json, JSON.stringify({ load, rows }, null, 2));
    return rows.every((r) => r.variant !== 'planner' || (r.overset === 0 && r.holdRule)) ? 0 : 1;
  } finally {
    if (values.keep) log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('bench/plan.ts')) process.exitCode = await main();
