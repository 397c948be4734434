/**
 * The planner's layouts in Chromium: composed documents loaded as the build loads them (the same
 * server, page CSS, fonts and in-page library as paginate.ts's native print), for measuring stories
 * (probe-page.ts) and for checking a plan before it is printed (verify.ts). One browser context, a
 * page per document; nothing is printed. The fonts are prepared once for every story of the docket
 * (each face keeps every character of it), so the metrics are those of the build.
 */
import type { Page } from 'puppeteer-core';
import type { ComposedDocument } from '../compose/compose.ts';
import { ORIGIN } from '../compose/compose.ts';
import type { Template } from '../compose/template.ts';
import type { Diagnostics } from '../diagnostics.ts';
import { fontFaceCss } from '../fonts/css.ts';
import { prepareFonts } from '../fonts/prepare.ts';
import { faceRequests } from '../fonts/stack.ts';
import type { EditionConfig } from '../config/schema.ts';
import type { BrowserHandle } from '../browser/browser.ts';
import { loadFonts, nativeDocument } from '../layout/native.ts';
import { PAGE_LIB } from '../layout/page-lib.ts';
import { reporter, type Tracer } from '../browser/refusals.ts';
import { serve, type Routes } from '../browser/server.ts';
import { timeBudgets } from '../limits.ts';

export interface SessionInput {
  browser: BrowserHandle;
  template: Template;
  config: EditionConfig;
  editionDir: string;
  /** Every character the documents print (the probe document's text: all stories, all page furniture). */
  text: string;
  diagnostics: Diagnostics;
  trace: Tracer;
}

/** Functions of the in-page library plus the planner's own (probe-page.ts), as one script's preamble. */
export function pageScript(extra: Record<string, (...args: never[]) => unknown>, call: string): string {
  return `(async () => {\n${PAGE_LIB}\n${Object.entries(extra).map(([n, f]) => `PB.${n} = (${f.toString()});`).join('\n')}\nreturn await ${call};\n})()`;
}

/** PAIBAN_TRACE=1: the planner's layouts timed on stderr, for profiling; otherwise nothing. */
export function trace(what: string): void {
  if (process.env.PAIBAN_TRACE === '1') process.stderr.write(`paiban trace: plan: ${what}\n`);
}

export class LayoutSession {
  private context?: Awaited<ReturnType<BrowserHandle['browser']['createBrowserContext']>>;
  private pages: Page[] = [];
  private constructor(
    private readonly input: SessionInput,
    private readonly fontsCss: string,
    private readonly fontFiles: Map<string, string>,
  ) {}

  static async open(input: SessionInput): Promise<LayoutSession> {
    const fonts = await prepareFonts({ faces: faceRequests(input.template.meta, input.config), text: input.text });
    const fontFiles = new Map(fonts.faces.map((f) => [`font-${f.sha256.slice(0, 16)}.ttf`, f.file]));
    const css = fontFaceCss(fonts, (f) => `/_paiban/font-${f.sha256.slice(0, 16)}.ttf`);
    return new LayoutSession(input, css, fontFiles);
  }

  /** The document laid out in a fresh page, its fonts loaded; the page stays open until close(). */
  async load(composed: ComposedDocument): Promise<Page> {
    const { browser, editionDir, diagnostics } = this.input;
    this.context ??= await browser.browser.createBrowserContext();
    const page = await this.context.newPage();
    this.pages.push(page);
    const timeout = timeBudgets().buildMs;
    page.setDefaultTimeout(timeout);
    const assets: Routes['assets'] = new Map([
      ['fonts.css', { body: this.fontsCss, type: 'text/css' }],
      ['page.css', { body: composed.pageCss, type: 'text/css' }],
    ]);
    for (const s of composed.stylesheets) assets.set(s.url.split('/').pop()!, { file: s.file, type: 'text/css' });
    for (const [name, file] of this.fontFiles) assets.set(name, { file, type: 'font/ttf' });
    const report = reporter(diagnostics, this.input.trace);
    await serve(page, { assets, editionDir, document: nativeDocument(composed, 0) }, report.refused);
    report.watch(page);
    await page.evaluateOnNewDocument('globalThis.__name = (f) => f;');
    const t0 = performance.now();
    await page.goto(`${ORIGIN}/`, { waitUntil: 'load', timeout });
    const t1 = performance.now();
    await page.evaluate(loadFonts);
    trace(`load ${Math.round(t1 - t0)} ms, fonts ${Math.round(performance.now() - t1)} ms (${composed.pageKinds.length} pages)`);
    return page;
  }

  /** Close a page no longer needed (its renderer's memory), or every page and the context. */
  async release(page: Page): Promise<void> {
    this.pages = this.pages.filter((p) => p !== page);
    await page.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.context?.close().catch(() => undefined);
    this.context = undefined;
    this.pages = [];
  }
}
