/**
 * `pages: auto` in a build: the edition is planned (index.ts) and then built from the plan as if
 * edition.yaml had listed its pages, the placed stories in page order. The plan's choices go into
 * the diagnostics (info) and the build result's `plan`.
 */
import { checkPlan } from '../compose/plan.ts';
import type { Template } from '../compose/template.ts';
import type { PagePlan } from '../config/schema.ts';
import type { Diagnostics } from '../diagnostics.ts';
import type { LoadedEdition } from '../load/edition.ts';
import { launchBrowser, type BrowserHandle } from '../browser/browser.ts';
import { planEdition, type PlanReport } from './index.ts';

/** The edition with this page plan: its pages, the stories they place (in page order) as its articles. */
export function withPages(edition: LoadedEdition, pages: PagePlan[]): LoadedEdition {
  const files = new Set(pages.flatMap((p) => p.articles.map((a) => a.file)));
  const order = pages.flatMap((p) => p.articles.map((a) => a.file));
  const articles = edition.docket.filter((a) => files.has(a.file)).sort((a, b) => order.indexOf(a.file) - order.indexOf(b.file));
  // Problems found in the generated pages point at `pages: auto`.
  const locate: LoadedEdition['locate'] = (p) => (p[0] === 'pages' ? edition.locate(['pages']) : edition.locate(p));
  return { ...edition, config: { ...edition.config, pages }, articles, locate };
}

/**
 * Plans a `pages: auto` edition with the build's browser (or one of its own, for the preview): the
 * edition with the planned pages, checked against the template as a listed plan is.
 */
export async function planForBuild(edition: LoadedEdition, template: Template, browser: Promise<BrowserHandle> | undefined, diagnostics: Diagnostics, lap: (stage: string) => void): Promise<{ edition: LoadedEdition; report: PlanReport }> {
  const own = browser ? undefined : await launchBrowser();
  try {
    const planned = await planEdition(edition, template, { browser: own ?? (await browser!) });
    reportPlan(planned.report, diagnostics);
    const next = withPages(edition, planned.pages);
    checkPlan(next, template);
    lap('plan');
    return { edition: next, report: planned.report };
  } finally {
    await own?.close();
  }
}

/** The plan's choices as diagnostics: where each story went, what was held over and why. */
export function reportPlan(r: PlanReport, diagnostics: Diagnostics): void {
  diagnostics.info('edition.yaml', 'plan', `planned ${r.pages.length} page(s): ${r.placed} of ${r.stories} stories placed, ${r.jumps.length} continued, ${r.held.length} held over; pages ${r.pages.map((p) => `${p.page} ${Math.round(p.fill * 100)}%`).join(', ')} full`);
  for (const p of r.pages) {
    for (const s of p.stories) {
      diagnostics.info(s.file, 'placed', `page ${p.page}, slot ${s.slot}${s.part === 'first' ? ' (continues)' : s.part === 'rest' ? ' (continued)' : ''}: columns ${s.column}-${s.column + s.columns - 1}, rows ${s.row}-${s.row + s.rows - 1} (it fills ${s.range[0]}-${s.range[1]} rows at this width)`);
    }
  }
  for (const h of r.held) diagnostics.info(h.file, 'held-over', `held over (留稿), priority ${h.priority}: ${h.reason}`);
  for (const v of r.violations) diagnostics.warn('edition.yaml', 'plan-rule', `the plan breaks a rule: ${v}`);
}
