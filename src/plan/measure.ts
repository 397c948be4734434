/**
 * Measuring the docket: each story's depth range at each width a planned page offers, and each page
 * frame's grid, in Chromium with the real stylesheet and fit (probe-page.ts). Results are cached by
 * content under `<PAIBAN_CACHE>/plan-measures/` (beside the font subsets): the same story, template,
 * fonts, paiban and Chromium give the same numbers, so a re-plan measures only what changed.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { compose, type ComposedDocument } from '../compose/compose.ts';
import type { Hyphenator } from '../compose/hyphenate.ts';
import type { Template } from '../compose/template.ts';
import type { PagePlan } from '../config/schema.ts';
import { cachedSourceSha256, defaultCacheDir } from '../fonts/prepare.ts';
import { faceRequests } from '../fonts/stack.ts';
import { resolveFamily } from '../fonts/system.ts';
import type { LoadedEdition } from '../load/edition.ts';
import { sha256 } from '../load/files.ts';
import type { RenderedArticle } from '../model.ts';
import { writeCacheFile } from '../output/atomic.ts';
import { PAGE_LIB } from '../layout/page-lib.ts';
import { COPYFIT, PHOTO_KEEP } from '../layout/fit.ts';
import { UNDERSET_LINES } from '../layout/report.ts';
import { GENERATOR, VERSION } from '../version.ts';
import { rowsDepth, SLOT_SLACK, type Frame, type Measure } from './model.ts';
import { probeFrames, probeOne, probeStories, type ProbeOptions, type ProbeResult } from './probe-page.ts';
import { pageScript, type LayoutSession } from './session.ts';

/** Copyfit's range as the build sets it. */
export const PROBE: ProbeOptions = { keep: PHOTO_KEEP, leadingRange: COPYFIT.leading, trackingRange: COPYFIT.tracking, underLines: UNDERSET_LINES, precision: 3 };

/**
 * A story's range estimated from its depths at the tightest and loosest settings (lines added to
 * each): the shallowest slot it fits is its tightest depth (a quarter line of margin), the deepest
 * it fills is its loosest depth and a line (of the two underset allows). Against exact ranges
 * (bisection with the real fit) on the bench's stories, the exact minimum was the tightest depth
 * within 3 px and the exact maximum at least the loosest depth plus 1.07 lines (docs/planning.md).
 */
export const ESTIMATE = { min: 0.25, max: 1 };

/** Bump when what a cached measure means changes. */
const CACHE_VERSION = 3;

/** A page frame: the layout and what sits above and below its grid. */
export interface FrameSpec {
  layout: string;
  banner?: string;
  credit?: string;
}

export const frameKey = (f: FrameSpec) => JSON.stringify([f.layout, f.banner ?? '', f.credit ?? '']);

export interface MeasureRequest {
  edition: LoadedEdition;
  template: Template;
  articles: RenderedArticle[];
  hyphenators: Map<string, Hyphenator>;
  /** The inside layout stories are probed on (no masthead: the deepest grid). */
  probeLayout: string;
  /** The fewest rows a story may take at a width, on the probe layout's grid (shallower widths are not refined). */
  minRows: (columns: number) => number;
  browserVersion: string;
  /** Opens the layout session when something must be measured (once). */
  session: () => Promise<LayoutSession>;
  cacheDir?: string;
}

/** One story at one width: estimated (three layouts) or exact (bisection with the real fit). */
export interface Want {
  file: string;
  columns: number;
  lead: boolean;
  exact: boolean;
}

const variantKey = (columns: number, lead: boolean) => `${columns}${lead ? 'L' : ''}`;

/** The probe document's pages: the frames first, then one page per story and width with the story alone in a slot reaching down the grid. */
export function probePages(frames: FrameSpec[], tasks: Omit<Want, 'exact'>[], probeLayout: string, rows: number): PagePlan[] {
  return [
    ...frames.map((f): PagePlan => ({ layout: f.layout, banner: f.banner, credit: f.credit, slots: {}, articles: [] })),
    ...tasks.map((t): PagePlan => ({
      layout: probeLayout,
      slots: { probe: { column: 1, columns: t.columns, row: 1, rows, lead: t.lead } },
      articles: [{ file: t.file, slot: 'probe', fit: 'auto' }],
    })),
  ];
}

export function composeProbe(req: Pick<MeasureRequest, 'edition' | 'template' | 'articles' | 'hyphenators' | 'probeLayout'>, tasks: Omit<Want, 'exact'>[], frames: FrameSpec[]): ComposedDocument {
  const pages = probePages(frames, tasks, req.probeLayout, req.template.meta.grid.rows);
  return compose({
    edition: { ...req.edition, config: { ...req.edition.config, pages } },
    template: req.template,
    articles: req.articles,
    generator: GENERATOR,
    hyphenators: req.hyphenators,
    marks: false,
  });
}

type Entries = Record<string, (ProbeResult & { exact: boolean }) | null>;

/**
 * The docket's measures, from the cache or measured in Chromium: `frames()` measures page grids,
 * `measure()` stories at widths. Counters say how much was measured now.
 */
export class Measurer {
  /** Variants measured in Chromium now (not from the cache), and the layouts that took. */
  probed = 0;
  layouts = 0;
  private env?: Promise<string>;
  private readonly dir: string;
  private readonly entries = new Map<string, { file: string; entries: Promise<Entries> }>();
  private readonly frameMap = new Map<string, Frame>();

  constructor(private readonly req: MeasureRequest) {
    this.dir = path.join(path.resolve(req.cacheDir ?? defaultCacheDir()), 'plan-measures');
  }

  private envKey(): Promise<string> {
    return (this.env ??= environmentKey(this.req));
  }

  private async cacheOf(file: string): Promise<{ file: string; entries: Promise<Entries> }> {
    let c = this.entries.get(file);
    if (!c) {
      const a = this.req.articles.find((x) => x.file === file)!;
      const key = sha256(`${await this.envKey()}\n${await storyKey(a)}`);
      const f = path.join(this.dir, key.slice(0, 2), `${key}.json`);
      c = { file: f, entries: readJson<Entries>(f) };
      this.entries.set(file, c);
    }
    return c;
  }

  /** Each frame's grid (the probe layout's own must be among them, or measured first). */
  async frames(specs: FrameSpec[]): Promise<Map<string, Frame>> {
    const file = path.join(this.dir, 'frames', `${sha256(`${await this.envKey()}\n${JSON.stringify(specs.map(frameKey))}`)}.json`);
    for (const [k, f] of Object.entries(await readJson<Record<string, Frame>>(file))) this.frameMap.set(k, f);
    const missing = specs.filter((f) => !this.frameMap.has(frameKey(f)));
    if (missing.length) {
      const session = await this.req.session();
      const page = await session.load(composeProbe(this.req, [], missing));
      try {
        const measured = (await page.evaluate(pageScript({ probeFrames }, `PB.probeFrames(${JSON.stringify(missing.map((_, i) => i + 1))})`))) as ReturnType<typeof probeFrames>;
        missing.forEach((f, i) => this.frameMap.set(frameKey(f), { row: measured[i]!.row, gap: measured[i]!.gap, rows: measured[i]!.rows, columns: this.req.template.meta.grid.columns, column: measured[i]!.column, gutter: measured[i]!.gutter, rule: measured[i]!.rule, slack: SLOT_SLACK }));
      } finally {
        await session.release(page);
      }
      await writeCacheFile(file, JSON.stringify(Object.fromEntries(specs.map((f) => [frameKey(f), this.frameMap.get(frameKey(f))]))));
    }
    return new Map(specs.map((f) => [frameKey(f), this.frameMap.get(frameKey(f))!]));
  }

  /** Measures of the stories at the widths asked (an exact measure answers for an estimate too). */
  async measure(wants: Want[]): Promise<Map<string, Measure[]>> {
    const out = new Map<string, Measure[]>();
    const tasks: Want[] = [];
    for (const w of wants) {
      const hit = (await (await this.cacheOf(w.file)).entries)[variantKey(w.columns, w.lead)];
      if (hit === undefined || (w.exact && hit && !hit.exact)) tasks.push(w);
      else if (hit) push(out, w.file, toMeasure(hit, w.columns, w.lead));
    }
    if (tasks.length) {
      const probeFrame = (await this.frames([{ layout: this.req.probeLayout }])).get(frameKey({ layout: this.req.probeLayout }))!;
      const session = await this.req.session();
      const page = await session.load(composeProbe(this.req, tasks, []));
      try {
        const specs = tasks.map((t, i) => ({ page: i + 1, mode: t.exact ? 'exact' : 'estimate', minDepth: rowsDepth(probeFrame, this.req.minRows(t.columns), true) }));
        const results = (await page.evaluate(pageScript({ probeOne, probeStories }, `PB.probeStories(${JSON.stringify(specs)}, ${JSON.stringify(PROBE)})`))) as ProbeResult[];
        const touched = new Set<string>();
        for (const [i, r] of results.entries()) {
          const t = tasks[i]!;
          this.layouts += r.layouts;
          this.probed++;
          (await (await this.cacheOf(t.file)).entries)[variantKey(t.columns, t.lead)] = { ...r, exact: t.exact };
          touched.add(t.file);
          push(out, t.file, toMeasure({ ...r, exact: t.exact }, t.columns, t.lead));
        }
        for (const f of touched) {
          const c = await this.cacheOf(f);
          await writeCacheFile(c.file, JSON.stringify({ v: CACHE_VERSION, ...(await c.entries) }));
        }
      } finally {
        await session.release(page);
      }
    }
    for (const ms of out.values()) ms.sort((a, b) => a.columns - b.columns || Number(a.lead) - Number(b.lead));
    return out;
  }
}

function push(m: Map<string, Measure[]>, file: string, x: Measure): void {
  const list = m.get(file) ?? [];
  list.push(x);
  m.set(file, list);
}

function toMeasure(r: ProbeResult & { exact: boolean }, columns: number, lead: boolean): Measure {
  return {
    columns,
    lead,
    exact: r.exact,
    ...(r.exact
      ? r.min !== undefined && r.max !== undefined ? { min: r.min, max: r.max } : {}
      : r.verdict === 'ok' ? { min: r.tight + ESTIMATE.min * r.line, max: r.loose + ESTIMATE.max * r.line } : {}),
    natural: r.natural,
    head: r.head,
    body: r.body,
    chars: r.chars,
    line: r.line,
    tight: r.tight,
    loose: r.loose,
  };
}

async function readJson<T extends object>(file: string): Promise<T> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as T & { v?: number };
    if (data.v !== undefined && data.v !== CACHE_VERSION) return {} as T;
    delete data.v;
    return data;
  } catch {
    return {} as T;
  }
}

/** What every measure depends on besides the story: paiban, Chromium, the template's files, the edition's type, paper and fonts. */
async function environmentKey(req: MeasureRequest): Promise<string> {
  const { config } = req.edition;
  const files = await Promise.all(req.template.files.map(async (f) => `${path.basename(f)}:${sha256(await readFile(f))}`));
  const faces = await Promise.all(
    faceRequests(req.template.meta, config).map(async (f) => {
      try {
        const sys = await resolveFamily(f.family, { weight: f.weight, style: f.style });
        return `${f.cssFamily}:${sys.file}#${sys.index}:${await cachedSourceSha256(sys.file, path.resolve(req.cacheDir ?? defaultCacheDir()))}`;
      } catch {
        return `${f.cssFamily}:${f.family}:unresolved`;
      }
    }),
  );
  // paiban's in-page code (fit, columns, measure, the probe) decides the numbers as much as its version.
  const code = sha256(PAGE_LIB + probeOne.toString() + probeStories.toString());
  return JSON.stringify({ v: CACHE_VERSION, paiban: VERSION, code, chromium: req.browserVersion, files, faces, probe: PROBE, layout: req.probeLayout, type: config.type ?? null, paper: config.paper, language: config.language, meta: req.template.meta });
}

/** What a story's measures depend on: its rendered text and head, and its pictures' bytes. */
async function storyKey(a: RenderedArticle): Promise<string> {
  const pictures = await Promise.all(a.figures.map(async (f) => `${f.src}:${await readFile(f.absPath).then(sha256, () => 'missing')}`));
  return JSON.stringify({ html: a.html, front: a.front, language: a.language, pictures });
}
