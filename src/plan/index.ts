/**
 * Automatic page planning (`pages: auto`, `paiban plan`): from the docket under `articles:` and the
 * budget under `plan:` to an ordinary page plan, with a report of every choice. The stages:
 *
 *   stories (docket.ts) → measure every story at every width (measure.ts: its depth range from
 *   its tightest and loosest settings, cached) → plan (search.ts: greedy start, local search;
 *   pack.ts per page) → check it as it will print, and where a slot is wrong measure it where it
 *   stands and pack the pages again with that (verify.ts, replan.ts), else move rows → the
 *   `pages:` list (emit.ts) and the report (report.ts).
 */
import { compose, type ComposedDocument } from '../compose/compose.ts';
import { loadHyphenators, type Hyphenator } from '../compose/hyphenate.ts';
import type { Template } from '../compose/template.ts';
import type { PagePlan } from '../config/schema.ts';
import { Diagnostics } from '../diagnostics.ts';
import type { LoadedEdition } from '../load/edition.ts';
import { renderArticles } from '../markdown/render.ts';
import type { RenderedArticle } from '../model.ts';
import type { BrowserHandle } from '../browser/browser.ts';
import { makeTracer, traceSources } from '../browser/refusals.ts';
import { UNDERSET_LINES } from '../layout/report.ts';
import { GENERATOR } from '../version.ts';
import { docketStories, leadStory, planPages, type PlanSetup } from './docket.ts';
import { minRowsFor, type Limits } from './items.ts';
import { composeProbe, frameKey, Measurer, type Want } from './measure.ts';
import type { Measure, Plan } from './model.ts';
import { planReport, type PlanReport } from './report.ts';
import { Planner, type PlanInput } from './search.ts';
import { LayoutSession } from './session.ts';
import { replanner } from './replan.ts';
import { solve } from './solve.ts';
import { verifyPlan } from './verify.ts';

export type { PlanReport } from './report.ts';

export interface PlanOptions {
  browser: BrowserHandle;
  /** Where measures are cached (default: beside the font cache). */
  cacheDir?: string;
  /** Evaluations the local search may spend (default 4000). */
  moves?: number;
  /** Rounds of checking the plan as laid out (default 4). */
  rounds?: number;
}

export interface Planned {
  pages: PagePlan[];
  report: PlanReport;
  plan: Plan;
}

/** Everything planning works from: the stories with their measures on each page's grid, and the way to lay pages out. */
export interface Prepared {
  input: PlanInput;
  setup: PlanSetup;
  articles: RenderedArticle[];
  /** Composes the edition with these pages (for the check before printing). */
  compose: (pages: PagePlan[]) => ComposedDocument;
  session: () => Promise<LayoutSession>;
  measured: { probed: number; layouts: number };
  close: () => Promise<void>;
}

/** The docket read, rendered and measured (measure.ts; cached), ready for a search. */
export async function preparePlanning(edition: LoadedEdition, template: Template, opts: PlanOptions): Promise<Prepared> {
  const setup: PlanSetup = planPages(edition, template);
  // Rendering problems of the stories are the build's to report (for those it places).
  const quiet = new Diagnostics();
  const articles: RenderedArticle[] = await renderArticles(edition.docket, { editionDir: edition.dir, config: edition.config, diagnostics: quiet });
  const hyphenators: Map<string, Hyphenator> = await loadHyphenators(articles.map((a) => a.language));
  const stories = docketStories(edition, articles, setup);
  const lead = leadStory(stories);
  const planning = template.meta.planning;
  const limits: Limits = { minRows: planning.minRows, rowsPerColumn: planning.rowsPerColumn, underLines: UNDERSET_LINES, widths: [...new Set(planning.splits.flat())].sort((a, b) => a - b) };
  const leadWidths = [...new Set(planning.splits.filter((s) => s[0] === Math.max(...s) && s[0]! >= template.meta.grid.columns / 2).map((s) => s[0]!))];
  const trace = makeTracer(traceSources(edition.dir, edition.docket, template.files));
  let session: Promise<LayoutSession> | undefined;
  const probeLayout = setup.pages[setup.pages.length > 1 ? 1 : 0]!.layout;
  const openSession = () =>
    (session ??= LayoutSession.open({
      browser: opts.browser,
      template,
      config: edition.config,
      editionDir: edition.dir,
      // Every story and all page furniture: the subsets of the fonts the planned pages print with.
      text: composeProbe({ edition, template, articles, hyphenators, probeLayout }, articles.map((a) => ({ file: a.file, columns: 8, lead: false })), setup.frames).text,
      diagnostics: quiet,
      trace,
    }));
  const close = async () => {
    if (session) await (await session.catch(() => undefined))?.close();
  };
  try {
    const measurer = new Measurer({ edition, template, articles, hyphenators, probeLayout, minRows: (c) => minRowsFor(c, limits), browserVersion: opts.browser.version, session: openSession, cacheDir: opts.cacheDir });
    const frameMap = await measurer.frames([...setup.frames, { layout: probeLayout }]);
    const frames = setup.pages.map((p) => frameMap.get(frameKey(p.frame))!);
    const wants: Want[] = stories.flatMap((s) => [
      ...limits.widths.map((columns) => ({ file: s.file, columns, lead: false, exact: false })),
      ...(s.index === lead ? leadWidths.map((columns) => ({ file: s.file, columns, lead: true, exact: false })) : []),
    ]);
    const got = await measurer.measure(wants);
    const measures: Measure[][] = stories.map((s) => got.get(s.file) ?? []);
    const input: PlanInput = {
      stories,
      measures,
      frames,
      pages: setup.pages.map((p) => ({ layout: p.layout, ...(p.section ? { section: p.section } : {}) })),
      limits,
      pack: { splits: planning.splits, maxBands: planning.bands, maxStack: planning.stack, budget: 30_000 },
      jumps: setup.jumps,
      lead,
      moves: opts.moves ?? 4000,
    };
    return {
      input,
      setup,
      articles,
      compose: (pages) => compose({ edition: { ...edition, config: { ...edition.config, pages } }, template, articles, generator: GENERATOR, hyphenators, marks: false }),
      session: openSession,
      measured: { probed: measurer.probed, layouts: measurer.layouts },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

export async function planEdition(edition: LoadedEdition, template: Template, opts: PlanOptions): Promise<Planned> {
  const t0 = performance.now();
  const timings: Record<string, number> = {};
  const lap = (name: string) => {
    timings[name] = Math.round(performance.now() - t0 - Object.values(timings).reduce((a, b) => a + b, 0));
  };
  const prepared = await preparePlanning(edition, template, opts);
  try {
    lap('measure');
    const { input } = prepared;
    const { planner, state, evaluated } = solve(input, { file: 'edition.yaml', ...edition.locate(['plan']) });
    const plan = planner.toPlan(state, evaluated);
    lap('search');
    // What the check measures where a slot went wrong goes back to the planner (replan.ts).
    const replan = replanner(planner, state);
    const checked = await verifyPlan({ session: await prepared.session(), compose: prepared.compose, plan, stories: input.stories, frames: input.frames, options: prepared.setup.options, rounds: opts.rounds ?? 4, replan });
    lap('verify');
    const report = planReport({ plan: checked.plan, stories: input.stories, checks: checked.checks, violations: planner.violations(checked.plan), timings, measured: prepared.measured, evaluations: planner.evaluations, rounds: checked.rounds, repaired: checked.repaired, pages: checked.pages });
    return { pages: checked.pages, report, plan: checked.plan };
  } finally {
    await prepared.close();
  }
}
