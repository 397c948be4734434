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
import { PHOTO_KEEP } from '../paginate/fit.ts';
import { FULL_SHARE, pageFill, type AreaBox } from './fill.ts';

export interface PreflightInput {
  /** The delivered PDF (absent when only the EPUB was built). */
  pdf?: Uint8Array;
  measure: PageMeasure;
  articles: RenderedArticle[];
  /** The page plan: layout of each planned page and whether it is one fixed page. */
  plan: { layout: string; fixed: boolean }[];
  diagnostics: Diagnostics;
  /** The type area on the PDF pages (points from the MediaBox's top-left): flows' last pages are measured. */
  area?: AreaBox;
}

export interface PreflightReport {
  pages: number;
  fonts: PdfFont[];
  images: { src: string; file: string; page: number; ppi: number; widthMm: number; heightMm: number }[];
  overset: number;
  /** Slots that cannot hold a part of their article (slot-too-small). */
  clipped: number;
  /** Slots left partly empty, and empty slots that leave holes. */
  underset: number;
  holes: number;
  missingImages: number;
  /** Photos cropped past the limit, or distorted. */
  badCrops: number;
  missingGlyphs: number;
  errors: number;
  warnings: number;
}

export async function preflight(input: PreflightInput): Promise<PreflightReport> {
  const { diagnostics: d, measure } = input;
  const fonts = input.pdf ? await checkPdf(input.pdf, d, input.articles) : [];
  const images = checkImages(input, d);
  checkPages(input, d);
  if (input.pdf && input.area) await checkFlowEnds(input, input.pdf, input.area);
  const count = (rule: string) => d.items.filter((x) => x.rule === rule).length;
  return {
    pages: measure.pages.length,
    fonts,
    images,
    overset: count('overset'),
    clipped: count('slot-too-small'),
    underset: count('underset'),
    holes: count('page-hole'),
    missingImages: count('missing-image'),
    badCrops: count('photo-crop') + count('photo-distorted'),
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
    checkCrop(m, file, d);
    if (ppi < PPI_ERROR) d.error(file, 'image-resolution', `${what}: under ${PPI_ERROR} ppi it prints visibly pixelated; use a larger original (at least ${Math.ceil((m.naturalWidth * PPI_WARN) / ppi)} px wide) or place it smaller`);
    else if (ppi < PPI_WARN) d.warn(file, 'image-resolution', `${what}: under ${PPI_WARN} ppi it prints soft; use a larger original (about ${Math.ceil((m.naturalWidth * 300) / ppi)} px wide for 300 ppi) or place it smaller`);
    return { src: m.src, file, page: m.page, ppi, widthMm: Math.round(pxToMm(m.width)), heightMm: Math.round(pxToMm(m.height)) };
  });
}

/**
 * A photo is never distorted, and a crop that keeps less than PHOTO_KEEP of the picture (object-fit:
 * cover in a frame of another shape) is a warning naming the photo.
 */
function checkCrop(m: PageMeasure['images'][number], file: string, d: Diagnostics): void {
  if (!m.naturalWidth || !m.naturalHeight) return;
  const ratio = m.width / m.height / (m.naturalWidth / m.naturalHeight);
  const size = `${pxToMm(m.width).toFixed(0)} × ${pxToMm(m.height).toFixed(0)} mm on page ${m.page}`;
  if (m.fit === 'fill' && Math.abs(ratio - 1) > 0.02) {
    d.error(file, 'photo-distorted', `image ${m.src} is printed ${ratio > 1 ? 'stretched wide' : 'squeezed'} by ${Math.round(Math.abs(ratio - 1) * 100)}% (${size}): a template style sets both its width and height; give it object-fit: cover or contain`);
  } else if (m.fit === 'cover') {
    const kept = Math.min(ratio, 1 / ratio);
    if (kept < PHOTO_KEEP - 0.005) {
      d.warn(file, 'photo-crop', `image ${m.src} shows only ${Math.round(kept * 100)}% of the picture (${ratio > 1 ? 'its top and bottom' : 'its sides'} cropped to ${size}); set a focal point to keep what matters in view ({data-focus="50% 30%"} after the image: across, down), show it whole with {.fit}, or place it in a slot of another shape`);
    }
  }
}

/** The last page of each flow reaches the foot of the type area, or the report says how far it does not. */
async function checkFlowEnds(input: PreflightInput, pdf: Uint8Array, area: AreaBox): Promise<void> {
  const pages = input.measure.pages;
  const ends = pages.flatMap((p, i) => (!input.plan[p.planPage - 1]?.fixed && pages[i + 1]?.planPage !== p.planPage ? [i + 1] : []));
  const fill = await pageFill(pdf, ends, area).catch((e: unknown) => {
    input.diagnostics.info('edition.yaml', 'page-underfull', `the flows' last pages were not measured: ${(e as Error).message.split('\n')[0]} (poppler's pdftotext, installed by the set-up)`);
    return new Map<number, number>();
  });
  for (const [page, share] of fill) {
    if (share >= FULL_SHARE) continue;
    const empty = Math.round(((1 - share) * (area.bottom - area.top) * 25.4) / 72);
    const plan = pages[page - 1]!.planPage;
    input.diagnostics.warn('edition.yaml', 'page-underfull', `page ${page}, the last of the flow of planned page ${plan}, is filled to ${Math.round(share * 100)}% of its depth: ${empty} mm stay empty at its foot; add copy or photos to the flow, or set its articles on a page with slots (e.g. layout: feature)`);
  }
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
