/** paiban's TypeScript API: the same functions the command line uses. */
export { build, buildTimestamp, type BuildOptions, type BuildResult } from './build.ts';
export { loadEdition } from './load/edition.ts';
export { renderArticle, renderArticles, createMarkdown } from './markdown/render.ts';
export { compose } from './compose/compose.ts';
export { loadTemplate } from './compose/template.ts';
export { Diagnostics, formatDiagnostic, type Diagnostic } from './diagnostics.ts';
export { PaibanError, PaibanErrors } from './errors.ts';
export { EditionSchema, FrontMatterSchema, type EditionConfig, type FrontMatter } from './config/schema.ts';
export type { Edition, RenderedArticle, ArticleSource, FigureRef } from './model.ts';
export { launchBrowser, type BrowserHandle } from './browser/browser.ts';
export { LIMITS, timeBudgets, type TimeBudgets } from './limits.ts';
export { VERSION } from './version.ts';
