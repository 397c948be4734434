/**
 * The stages up to the print document: load → check the plan → render → compose → fonts. Shared by
 * the build (src/build.ts, which goes on to lay out, print and write) and the preview (which serves
 * the document as it is).
 */
import { compose, type ComposedDocument } from './compose/compose.ts';
import { checkPlan } from './compose/plan.ts';
import { loadHyphenators, type Hyphenator } from './compose/hyphenate.ts';
import { loadTemplate, type Template } from './compose/template.ts';
import type { Diagnostics } from './diagnostics.ts';
import { PaibanError } from './errors.ts';
import { fontFaceCss } from './fonts/css.ts';
import { keptFaces, planFaces, planNotes } from './fonts/plan.ts';
import { prepareFonts, type PreparedFonts } from './fonts/prepare.ts';
import { reportFonts } from './fonts/report.ts';
import { faceRequests } from './fonts/stack.ts';
import { checkRenderedLimits } from './limits.ts';
import { loadEdition, type LoadedEdition } from './load/edition.ts';
import { reportEmptyArticles } from './load/notices.ts';
import { renderArticles } from './markdown/render.ts';
import type { RenderedArticle } from './model.ts';
import type { BrowserHandle } from './browser/browser.ts';
import { makeTracer, traceSources, type Tracer } from './browser/refusals.ts';
import { GENERATOR } from './version.ts';

export interface PreparedEdition {
  edition: LoadedEdition;
  template: Template;
  articles: RenderedArticle[];
  composed: ComposedDocument;
  fonts: PreparedFonts;
  /** @font-face rules and the files they name under /_paiban/. */
  fontsCss: string;
  fontFiles: Map<string, string>;
  /** What each face's subset kept, when it was planned (fonts/plan.ts): paginate checks the pages. */
  fontCheck?: ReturnType<typeof keptFaces>;
  hyphenators: Map<string, Hyphenator>;
  trace: Tracer;
  marks: boolean;
  /** A `pages: auto` edition's plan (src/plan/). */
  plan?: import('./plan/index.ts').PlanReport;
}

/** The stages up to the print document, in order; `afterLoad` runs once the edition and template are read. */
export async function prepareEdition(
  editionDir: string,
  opts: {
    marks?: boolean; diagnostics: Diagnostics; lap?: (stage: string) => void; afterLoad?: (edition: LoadedEdition, template: Template) => Promise<void>;
    /** Proof the articles' copy (src/proof/check.ts). */
    proof?: boolean;
    /** With a browser, each face is subset to the characters it sets (fonts/plan.ts); without (preview), to all. */
    browser?: Promise<BrowserHandle>;
  },
): Promise<PreparedEdition> {
  const { diagnostics } = opts;
  const lap = opts.lap ?? (() => undefined);
  let edition = await loadEdition(editionDir);
  const template = await loadTemplate(edition.config.template, edition.dir, edition.config.type);
  if (!edition.config.auto) checkPlan(edition, template);
  await opts.afterLoad?.(edition, template);
  if (opts.proof) await (await import('./proof/check.ts')).proofEdition(edition, diagnostics);
  lap('load');
  // pages: auto: planned from the docket first (src/plan/auto.ts), then built as listed.
  const planned = edition.config.auto ? await (await import('./plan/auto.ts')).planForBuild(edition, template, opts.browser, diagnostics, lap) : undefined;
  if (planned) edition = planned.edition;
  const articles = await renderArticles(edition.articles, { editionDir: edition.dir, config: edition.config, diagnostics });
  checkRenderedLimits(articles);
  reportEmptyArticles(articles, edition.articles, diagnostics);
  // A refused request names the article or template file and line that asked for it.
  const trace = makeTracer(traceSources(edition.dir, edition.articles, template.files));
  lap('render');
  const hyphenators = await loadHyphenators(articles.map((a) => a.language));
  const marks = opts.marks ?? edition.config.print.marks;
  const composed = compose({ edition, template, articles, generator: GENERATOR, hyphenators, marks });
  lap('compose');
  const faces = faceRequests(template.meta, edition.config);
  // PAIBAN_FACE_PLAN=0: every face keeps every character (bigger subsets, slower page loads; for comparing).
  const browser = opts.browser && process.env.PAIBAN_FACE_PLAN !== '0' ? await opts.browser : undefined;
  const plan = browser
    ? await planFaces({ faces, composed, styleText: template.styleText, editionDir: edition.dir, browser }).catch((e: unknown) => {
        // The pages still print, with every face subset to every character: bigger, slower to load.
        diagnostics.info('edition.yaml', 'font', `every face keeps every character: the browser could not say which it sets (${(e as Error).message.split('\n')[0]})`);
        return undefined;
      })
    : undefined;
  const fonts = await prepareFonts({ faces: plan?.faces ?? faces, dropLanguages: plan?.dropLanguages, text: composed.text }).catch((e: unknown) => {
    // A font that cannot be found or read is the edition's (or template's) fonts: setting, not a bug.
    if (e instanceof PaibanError) throw e;
    throw new PaibanError('FontsFailed', (e as Error).message, {
      where: { file: 'edition.yaml', ...(edition.config.fonts ? edition.locate(['fonts']) : {}) },
      hint: 'check fonts: in edition.yaml (or the template\'s): a fontconfig family (fc-list lists them) or a font file',
      cause: e,
    });
  });
  reportFonts(fonts, articles, diagnostics);
  for (const n of plan ? planNotes(plan) : []) diagnostics.add({ file: 'edition.yaml', severity: n.severity, rule: n.rule, message: n.message });
  lap('fonts');

  const fontFiles = new Map(fonts.faces.map((f) => [`font-${f.sha256.slice(0, 16)}.ttf`, f.file]));
  const fontsCss = fontFaceCss(fonts, (f) => `/_paiban/font-${f.sha256.slice(0, 16)}.ttf`);
  const fontCheck = plan && keptFaces(plan, fonts);
  return { edition, template, articles, composed, fonts, fontsCss, fontFiles, fontCheck, hyphenators, trace, marks, plan: planned?.report };
}
