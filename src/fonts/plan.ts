/**
 * What each face of an edition is subset to: its own characters (usage.ts: asked of the browser
 * and routed through CSS font matching and fallback) and, for CJK faces, only the language
 * systems the document's languages can select (languages.ts). The result feeds prepareFonts
 * (`FaceRequest.text`, `PrepareRequest.dropLanguages`); the subset cache is keyed by code points,
 * so an unchanged edition still finds its subsets.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ComposedDocument } from '../compose/compose.ts';
import type { BrowserHandle } from '../paginate/browser.ts';
import { writeCacheFile } from '../output/atomic.ts';
import type { Routes } from '../paginate/server.ts';
import { coverage } from './cmap.ts';
import { unusedCjkSystems } from './languages.ts';
import { defaultCacheDir, subsetCodepoints, type FaceRequest, type PreparedFonts } from './prepare.ts';
import { resolveFamily } from './system.ts';
import { assignText, contentStrings, textRuns, unpreparedRuns, unreachedChars, type FaceCoverage, type TextRun } from './usage.ts';
import { fallbackGroups, fallbackRequests, type FallbackGroup } from './fallback.ts';


export interface FacePlan {
  /** The faces asked for, each with the characters it sets (for `FaceRequest.text`). */
  faces: (FaceRequest & { text: string })[];
  dropLanguages: string[];
  /** What each face's font has (its cmap), in face order. */
  coverage: FaceCoverage[];
  /** Fonts found for characters no face of the stack has (their faces are at the end of `faces`). */
  fallbacks: FallbackGroup[];
  /** Text set in families paiban does not prepare (a template's own `font-family`): the browser picks its faces. */
  unprepared: TextRun[];
}

export interface PlanInput {
  faces: FaceRequest[];
  composed: ComposedDocument;
  /** The template's stylesheet texts (generated content in them goes to every face). */
  styleText: string[];
  editionDir: string;
  browser: BrowserHandle;
  /** Where the text runs of a document are kept (default: the font cache). */
  cacheDir?: string;
}

/** Bump when what collectRuns reports changes. */
const RUNS_VERSION = 2;

/**
 * The document's text runs, kept in the cache by the document, its styles and the browser's
 * version: a rebuild asks the browser nothing. Stylesheets with @import (whose imported text is
 * not part of the key) are always asked.
 */
async function documentRuns(input: PlanInput, compute: () => Promise<TextRun[]>): Promise<TextRun[]> {
  const { composed } = input;
  if (input.styleText.some((t) => /@import/i.test(t))) return compute();
  const key = createHash('sha256')
    .update(JSON.stringify({ v: RUNS_VERSION, browser: input.browser.version, html: composed.html, pageCss: composed.pageCss, styles: input.styleText }))
    .digest('hex');
  const dir = path.resolve(input.cacheDir ?? defaultCacheDir());
  const file = path.join(dir, `runs-${key}.json`);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as TextRun[];
  } catch {
    /* not cached yet */
  }
  const runs = await compute();
  // An unwritable cache costs the next build a page load, nothing else.
  await writeCacheFile(file, JSON.stringify(runs));
  return runs;
}

/** Each face with its own text; the language systems to drop. */
export async function planFaces(input: PlanInput): Promise<FacePlan> {
  const { composed } = input;
  const assets: Routes['assets'] = new Map([['page.css', { body: composed.pageCss, type: 'text/css' }]]);
  for (const s of composed.stylesheets) assets.set(s.url.split('/').pop()!, { file: s.file, type: 'text/css' });
  const [runs, covers] = await Promise.all([
    documentRuns(input, () => textRuns(input.browser, composed.html, { assets, editionDir: input.editionDir })),
    Promise.all(
      input.faces.map(async (f) => {
        const sys = await resolveFamily(f.family, { weight: f.weight, style: f.style ?? 'normal' });
        return { cssFamily: f.cssFamily, weight: f.weight, style: f.style ?? 'normal', has: await coverage(sys.file, sys.index) };
      }),
    ),
  ]);
  const everywhere = everywhereText(composed, input.styleText);
  const texts = assignText(runs, covers, everywhere);
  const lang = /<html\b[^>]*\slang="([^"]+)"/.exec(composed.html)?.[1] ?? 'en';
  const fallbacks = await fallbackGroups(unreachedChars(runs, covers, everywhere), lang);
  const extra = fallbackRequests(input.faces, covers, fallbacks);
  return {
    faces: [...input.faces.map((f, i) => ({ ...f, text: texts[i]! })), ...extra],
    dropLanguages: unusedCjkSystems(composed.html),
    coverage: [...covers, ...extra.map((e) => ({ cssFamily: e.cssFamily, weight: e.weight, style: e.style ?? 'normal', has: new Set(e.unicodeRange) }))],
    fallbacks,
    unprepared: unpreparedRuns(runs, covers),
  };
}

/**
 * What every face keeps: text set outside the document's text nodes. Generated content (strings
 * in the stylesheets), jump lines (slots.ts), the hyphen that replaces a soft one; and when the
 * styles use string-set or running elements, which copy or move the document's text into the page
 * margins in the margins' font, all of the text.
 */
export function everywhereText(composed: Pick<ComposedDocument, 'pageCss' | 'locale' | 'text'>, styleText: string[]): string {
  const jumps = Array.from({ length: 10 }, (_, n) => composed.locale.continuedOn(n) + composed.locale.continuedFrom(n)).join('');
  const css = [composed.pageCss, ...styleText];
  const copied = css.some((t) => /string-set|running\s*\(/i.test(t)) ? composed.text : '';
  return `${contentStrings(css)} ${jumps} \u2010${copied}`;
}

/**
 * Each face's font coverage and the code points its subset kept, for checking the laid-out pages
 * (usage.ts subsetMisses on collectRuns): `fonts` is what prepareFonts made of `plan`.
 */
export function keptFaces(plan: FacePlan, fonts: PreparedFonts): (FaceCoverage & { kept: Set<number> })[] {
  return plan.coverage.map((c, i) => {
    const missing = new Set(fonts.faces[i]!.missing.map((ch) => ch.codePointAt(0)!));
    return { ...c, kept: new Set(subsetCodepoints(plan.faces[i]!.text).filter((cp) => !missing.has(cp))) };
  });
}

/** What the plan found that a layout editor may want to know: fonts found for characters the stack lacks, text in faces paiban does not prepare. */
export function planNotes(plan: FacePlan): { severity: 'info' | 'warning'; rule: string; message: string }[] {
  const notes: { severity: 'info' | 'warning'; rule: string; message: string }[] = [];
  for (const g of plan.fallbacks) {
    notes.push({ severity: 'info', rule: 'font', message: `no face of the font stack has "${g.chars.join('')}": set in ${g.family} (${g.spec}), subset and converted like the others; name a font that has them under fonts: to choose it yourself` });
  }
  for (const r of plan.unprepared) {
    const sample = [...r.text].filter((c) => c.trim()).slice(0, 24).join('');
    notes.push({ severity: 'warning', rule: 'font-unprepared', message: `text set in font-family ${r.families} ("${sample}"), which names no face of the font stack: the browser picks its fonts (a CFF one would be embedded as Type 3); set it in the template's families (pb-body, pb-heading, pb-caption, pb-latin, pb-latin-heading, pb-mono, pb-fallback)` });
  }
  return notes;
}
