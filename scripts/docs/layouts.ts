/**
 * Pictures of the template's layouts, drawn by paiban itself so they follow the template: an
 * edition with one page per layout, each slot holding an article whose headline is the slot's
 * name and whose deck is its geometry as template.yaml gives it, set as a tinted box (a sidebar)
 * so that each slot's extent shows, filled past its foot. Built with the real build; the pages are
 * rasterised with pdftoppm, and each slot's box as the build reports it (BuildResult.placed, PDF
 * points from the page's top-left corner) is outlined and named on the picture.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build, loadTemplate } from '../../src/index.ts';
import { TEMPLATES_DIR } from '../../src/compose/template.ts';
import { rasterise } from './raster.ts';

/** A slot as printed: what BuildResult.placed gives for each filled slot. */
interface PlacedBox {
  page: number;
  slot: string;
  box: { x: number; y: number; width: number; height: number };
}

const DPI = 30;
const ACCENT = '#c8102e';

/** An SVG the size of the picture with each slot's box outlined and its name on a label. */
export function outlines(boxes: PlacedBox[], width: number, height: number, dpi = DPI): string {
  const px = (pt: number) => Math.round((pt * dpi) / 72);
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const shapes = boxes.map(({ slot, box }) => {
    const [x, y, w, h] = [px(box.x), px(box.y), px(box.width), px(box.height)];
    const label = esc(slot);
    const lw = 10 + label.length * 8;
    return `<rect x="${x + 1}" y="${y + 1}" width="${w - 2}" height="${h - 2}" fill="none" stroke="${ACCENT}" stroke-width="2"/>` +
      `<rect x="${x + 1}" y="${y + 1}" width="${lw}" height="18" fill="${ACCENT}"/>` +
      `<text x="${x + 6}" y="${y + 15}" font-family="Liberation Sans" font-weight="bold" font-size="14" fill="#fff">${label}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${shapes.join('')}</svg>`;
}

export interface LayoutPicture {
  layout: string;
  description?: string;
  fixed: boolean;
  /** Slot name → its fields in template.yaml (geometry, description). */
  slots: Record<string, Record<string, unknown>>;
  /** The picture, relative to the docs folder. */
  image: string;
  page: number;
}

export interface LayoutRecord {
  template: string;
  /** sha256 of template.yaml when the pictures were drawn: a test compares it with today's. */
  templateSha256: string;
  layouts: LayoutPicture[];
}

const FILLER =
  'Its text is set in the slot’s own narrow columns, as many as its width allows, separated by hairline rules. ' +
  'What does not fit the slot is overset: it continues in another slot when the page plan says so, or the build reports it. ' +
  'Nothing moves another slot. ';

/** A slot's fields from template.yaml (`columns: 5`, `row: 1`…) as a short line, description apart. */
export function geometry(slot: Record<string, unknown>): string {
  return Object.entries(slot)
    .filter(([k, v]) => k !== 'description' && (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string'))
    .map(([k, v]) => `${k} ${v}`)
    .join(' · ');
}

function article(title: string, deck: string, paragraphs: number, extra = ''): string {
  const body = Array.from({ length: paragraphs }, (_, i) => `${i === 0 ? `The ${title} slot. ` : ''}${FILLER.repeat(2)}`).join('\n\n');
  return `---\nkicker: slot\ntitle: ${JSON.stringify(title)}\ndeck: ${JSON.stringify(deck)}\nkind: sidebar\n---\n\n${extra}${body}\n`;
}

/** Write the layout edition into `dir` (an empty folder): one page per layout of `template`. */
export async function writeLayoutEdition(dir: string, template = 'newspaper'): Promise<Omit<LayoutPicture, 'image'>[]> {
  mkdirSync(path.join(dir, 'images'), { recursive: true });
  const { meta } = await loadTemplate(template, dir);
  // Fixed layouts first, then the continuous ones (a flow page may run on to more pages).
  const layouts = Object.entries(meta.layouts).sort(([, a], [, b]) => Number(b.fixed) - Number(a.fixed));
  const pages: string[] = [];
  const out: Omit<LayoutPicture, 'image'>[] = [];
  const sharp = (await import('sharp')).default;
  writeFileSync(path.join(dir, 'images', 'photo.png'), await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#9a9a9a' } }).png().toBuffer());
  for (const [name, layout] of layouts) {
    const slots = Object.entries(layout.slots as Record<string, Record<string, unknown>>);
    const lines: string[] = [];
    for (const [slot, fields] of slots) {
      const file = `${name}-${slot}.md`;
      const photo = slot === 'photo' ? '![A photo slot: the picture takes the slot’s width](images/photo.png "credit"){.wide}\n\n' : '';
      writeFileSync(path.join(dir, file), article(slot, [geometry(fields), fields.description].filter(Boolean).join(' — '), 40, photo));
      lines.push(`      - { file: ${file}, slot: ${slot} }`);
    }
    if (!slots.length) {
      const file = `${name}.md`;
      writeFileSync(path.join(dir, file), article(name, `layout ${name}: no slots, the articles flow over as many pages as they need`, 6));
      lines.push(`      - { file: ${file} }`);
    }
    pages.push(`  - layout: ${name}\n    section: ${name}\n    banner: "banner (optional)"\n    articles:\n${lines.join('\n')}`);
    out.push({ layout: name, description: layout.description, fixed: layout.fixed, slots: Object.fromEntries(slots), page: out.length + 1 });
  }
  writeFileSync(
    path.join(dir, 'edition.yaml'),
    `title: The layouts of ${template}\npublication: Layouts\ndate: 2026-01-01\nlanguage: en\ntemplate: ${template}\npaper: broadsheet\npages:\n${pages.join('\n')}\n`,
  );
  return out;
}

/** Build the layout edition in `work` and write one picture per layout into `imagesDir`. */
export async function drawLayouts(work: string, imagesDir: string, docsDir: string, template = 'newspaper'): Promise<LayoutRecord> {
  const dir = path.join(work, 'layouts');
  const layouts = await writeLayoutEdition(dir, template);
  const result = await build(dir, { out: path.join(work, 'layouts-out'), epub: false });
  if (!result.ok) throw new Error(`the layout edition did not build:\n${result.diagnostics.errors.map((d) => `${d.file}:${d.line ?? ''} ${d.rule}: ${d.message}`).join('\n')}`);
  const pdf = result.outputs.find((o) => o.path.endsWith('.pdf'))!.path;
  mkdirSync(imagesDir, { recursive: true });
  const pictures: LayoutPicture[] = [];
  // The slots' boxes as printed, when the build reports them (BuildResult.placed).
  const placed = (result as unknown as { placed?: PlacedBox[] }).placed ?? [];
  const sharp = (await import('sharp')).default;
  for (const l of layouts) {
    const image = path.join(imagesDir, `layout-${l.layout}.png`);
    await rasterise(pdf, l.page, image, { dpi: DPI });
    const boxes = placed.filter((p) => p.page === l.page);
    if (boxes.length) {
      const picture = readFileSync(image);
      const { width, height } = await sharp(picture).metadata();
      writeFileSync(image, await sharp(picture).composite([{ input: Buffer.from(outlines(boxes, width, height)), top: 0, left: 0 }]).png({ compressionLevel: 9 }).toBuffer());
    }
    pictures.push({ ...l, image: path.relative(docsDir, image).split(path.sep).join('/') });
  }
  const yaml = path.join(TEMPLATES_DIR, template, 'template.yaml');
  return { template, templateSha256: createHash('sha256').update(readFileSync(yaml)).digest('hex'), layouts: pictures };
}
