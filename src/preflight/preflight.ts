/**
 * Preflight: what a printer checks before accepting a file, run at the end of every build and by
 * `paiban check`. It reads the delivered PDF (fonts: type and embedding; page boxes) and the
 * paginated pages (images at their printed size, page count per planned page), and counts what
 * earlier stages reported (overset, missing glyphs). Problems become diagnostics; the report is
 * the summary `paiban check` prints.
 */
import type { Diagnostics } from '../diagnostics.ts';
import type { RenderedArticle } from '../model.ts';
import type { PageMeasure } from '../paginate/measure.ts';
import { effectivePpi, PPI_ERROR, PPI_WARN, pxToMm } from './images.ts';
import { inspectPdf, type PdfFont } from './pdf.ts';

export interface PreflightInput {
  /** The delivered PDF (absent when only the EPUB was built). */
  pdf?: Uint8Array;
  measure: PageMeasure;
  articles: RenderedArticle[];
  /** The page plan: layout of each planned page and whether it is one fixed page. */
  plan: { layout: string; fixed: boolean }[];
  diagnostics: Diagnostics;
}

export interface PreflightReport {
  pages: number;
  fonts: PdfFont[];
  images: { src: string; file: string; page: number; ppi: number; widthMm: number; heightMm: number }[];
  overset: number;
  missingGlyphs: number;
  errors: number;
  warnings: number;
}

export async function preflight(input: PreflightInput): Promise<PreflightReport> {
  const { diagnostics: d, measure } = input;
  const fonts = input.pdf ? await checkPdf(input.pdf, d, input.articles) : [];
  const images = checkImages(input, d);
  checkPages(input, d);
  const count = (rule: string) => d.items.filter((x) => x.rule === rule).length;
  return {
    pages: measure.pages.length,
    fonts,
    images,
    overset: count('overset'),
    missingGlyphs: count('missing-glyph'),
    errors: d.errors.length,
    warnings: d.items.filter((x) => x.severity === 'warning').length,
  };
}

async function checkPdf(pdf: Uint8Array, d: Diagnostics, articles: RenderedArticle[]): Promise<PdfFont[]> {
  const facts = await inspectPdf(pdf);
  for (const f of facts.fonts) {
    if (!f.embedded) d.error('edition.yaml', 'font-not-embedded', `font ${f.name} (${f.type}) is not embedded in the PDF (pages ${f.pages.join(', ')}): the printer would substitute another; use a font file that allows embedding`);
  }
  checkType3(facts.fonts, d, articles);
  facts.boxes.forEach((b, i) => {
    const inside = (inner?: number[], outer?: number[]) => !!inner && !!outer && inner[0]! >= outer[0]! - 0.01 && inner[1]! >= outer[1]! - 0.01 && inner[2]! <= outer[2]! + 0.01 && inner[3]! <= outer[3]! + 0.01;
    if (!b.trim || !b.bleed) d.error('edition.yaml', 'page-boxes', `page ${i + 1} of the PDF has no ${b.trim ? 'BleedBox' : 'TrimBox'}: the printer cannot tell where to cut; this is a paiban bug, please report it`);
    else if (!inside(b.trim, b.bleed) || !inside(b.bleed, b.media)) d.error('edition.yaml', 'page-boxes', `page ${i + 1}: the TrimBox is not inside the BleedBox, or the BleedBox not inside the MediaBox; this is a paiban bug, please report it`);
  });
  return facts.fonts;
}

/**
 * A Type 3 font is an error: glyphs drawn as procedures print and search poorly, and presses
 * refuse them. paiban prepares every face it sets text in as TrueType, so a Type 3 font is a face
 * Chromium chose itself (a CFF one: it embeds those as Type 3). One error per face, naming it, the
 * text it drew and the article that holds most of that text.
 */
function checkType3(fonts: PdfFont[], d: Diagnostics, articles: RenderedArticle[]): void {
  const byFace = new Map<string, { fonts: number; pages: Set<number>; text: Set<string> }>();
  for (const f of fonts) {
    if (f.type !== 'Type 3') continue;
    const key = f.face ?? f.name;
    const e = byFace.get(key) ?? { fonts: 0, pages: new Set<number>(), text: new Set<string>() };
    e.fonts++;
    f.pages.forEach((p) => e.pages.add(p));
    for (const ch of f.text ?? '') e.text.add(ch);
    byFace.set(key, e);
  }
  for (const [face, e] of byFace) {
    const text = [...e.text].join('');
    const score = (a: RenderedArticle) => [...e.text].filter((ch) => a.text.includes(ch) || a.front.title.includes(ch)).length;
    const best = [...articles].sort((a, b) => score(b) - score(a))[0];
    const file = best && score(best) > 0 ? best.file : 'edition.yaml';
    const shown = text.length > 40 ? `${[...text].slice(0, 40).join('')}…` : text;
    d.error(
      file,
      'font-type3',
      `text set in ${face} is embedded as Type 3 (${e.fonts} font${e.fonts > 1 ? 's' : ''}, page${e.pages.size > 1 ? 's' : ''} ${[...e.pages].sort((a, b) => a - b).join(', ')}): "${shown}". ` +
        `${face} is not a face paiban prepared: Chromium picked it itself, and embeds CFF faces as Type 3, which print and search poorly; ` +
        `set that text in the template's families (pb-body, pb-heading, pb-caption, pb-latin, pb-mono for code, …) or name a font that has it under fonts: in edition.yaml`,
    );
  }
}

function checkImages(input: PreflightInput, d: Diagnostics): PreflightReport['images'] {
  const owner = new Map<string, string>();
  for (const a of input.articles) for (const f of a.figures) owner.set(f.src, a.file);
  // Vector images (SVG) print sharp at any size: resolution is a question for pixels only.
  return input.measure.images.filter((m) => !/\.svgz?(?:[?#]|$)/i.test(m.src)).map((m) => {
    const ppi = Math.round(effectivePpi(m));
    const file = owner.get(m.src) ?? 'edition.yaml';
    const size = `${pxToMm(m.width).toFixed(0)} × ${pxToMm(m.height).toFixed(0)} mm`;
    const what = `image ${m.src} prints at ${ppi} ppi (${m.naturalWidth} × ${m.naturalHeight} px over ${size} on page ${m.page})`;
    if (ppi < PPI_ERROR) d.error(file, 'image-resolution', `${what}: under ${PPI_ERROR} ppi it prints visibly pixelated; use a larger original (at least ${Math.ceil((m.naturalWidth * PPI_WARN) / ppi)} px wide) or place it smaller`);
    else if (ppi < PPI_WARN) d.warn(file, 'image-resolution', `${what}: under ${PPI_WARN} ppi it prints soft; use a larger original (about ${Math.ceil((m.naturalWidth * 300) / ppi)} px wide for 300 ppi) or place it smaller`);
    return { src: m.src, file, page: m.page, ppi, widthMm: Math.round(pxToMm(m.width)), heightMm: Math.round(pxToMm(m.height)) };
  });
}

/** A fixed layout is one page: if it was paginated onto more, its content ran off the grid. */
function checkPages(input: PreflightInput, d: Diagnostics): void {
  const per = new Map<number, number>();
  for (const p of input.measure.pages) per.set(p.planPage, (per.get(p.planPage) ?? 0) + 1);
  input.plan.forEach((p, i) => {
    const n = per.get(i + 1) ?? 0;
    if (n === 0) d.warn('edition.yaml', 'page-count', `planned page ${i + 1} (layout ${p.layout}) is on no page of the output`);
    else if (p.fixed && n > 1) d.warn('edition.yaml', 'page-count', `planned page ${i + 1} (layout ${p.layout}, one fixed page) was set on ${n} pages: its content does not fit the grid; shorten or move articles`);
  });
}
