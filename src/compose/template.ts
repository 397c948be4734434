/**
 * Templates: a folder with template.yaml (layouts and slots), document.hbs, layouts/*.hbs and
 * partials/*.hbs. `newspaper` names paiban's own templates/newspaper; an edition may give a path
 * to its own folder, which is trusted like a theme (its Handlebars still runs without prototype
 * access, and what it loads is limited to the edition and paiban's assets).
 */
import { existsSync, realpathSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { z } from 'zod';
import { Length, toPoints } from '../config/schema.ts';
import { checkRects } from './grid.ts';
import { PaibanError, PaibanErrors } from '../errors.ts';
import { isInside, readTextFile } from '../load/files.ts';
import { parseYaml } from '../load/yaml.ts';
import { registerHelpers } from './helpers.ts';

/** paiban's own folders: src/ never imports from them, it only reads them as data. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TEMPLATES_DIR = path.join(ROOT, 'templates');
export const STYLES_DIR = path.join(ROOT, 'styles');

/** A slot: its rectangle on the grid (fixed layouts need row and rows too; elastic ones only columns). */
const Slot = z.strictObject({
  column: z.number().int().positive().optional(),
  columns: z.number().int().positive(),
  row: z.number().int().positive().optional(),
  rows: z.number().int().positive().optional(),
  lead: z.boolean().optional(),
  description: z.string().optional(),
});
const Layout = z.strictObject({
  description: z.string().optional(),
  fixed: z.boolean(),
  slots: z.record(z.string(), Slot).default({}),
});
/**
 * How paiban plans pages on this template (`pages: auto`, `paiban plan`; src/plan/): the modular
 * page grid. A planned page is bands across the page, one under the other; a band is cut into
 * stacks of columns (`splits`, widths in grid columns, summing to the grid's columns); a stack holds
 * stories one under the other. Each story is a rectangle of the grid.
 */
const Planning = z.strictObject({
  /** Layouts pages are planned on: the first for page 1 (with the masthead), the second for the others. */
  layouts: z.array(z.string()).min(1).default(['front', 'feature']),
  /** How a band may be cut into stacks, left to right (each sums to the grid's columns). */
  splits: z.array(z.array(z.number().int().positive()).min(1)).min(1).default([[8], [5, 3], [6, 2], [4, 4], [3, 5], [2, 6], [3, 3, 2], [2, 3, 3], [4, 2, 2], [2, 2, 2, 2]]),
  /** At most this many bands on a page, and stories in a stack. */
  bands: z.number().int().min(1).max(4).default(3),
  stack: z.number().int().min(1).max(4).default(3),
  /** The fewest rows a story takes: `minRows`, and at least `rowsPerColumn` × its columns (no wide shallow strips). */
  minRows: z.number().int().positive().default(6),
  rowsPerColumn: z.number().nonnegative().default(2),
});
export type Planning = z.infer<typeof Planning>;

export const TemplateSchema = z.strictObject({
  name: z.string(),
  styles: z.array(z.string()).default([]),
  fonts: z.strictObject({
    body: z.string(),
    heading: z.string(),
    caption: z.string(),
    latin: z.string(),
    latinHeading: z.string(),
    fallback: z.string(),
    /** Code (code, kbd, samp, pre): a monospaced face with CJK, prepared like the others (fonts/stack.ts). */
    mono: z.string().default('Noto Sans Mono CJK SC'),
  }),
  /** The page grid: columns with gutters between them; fixed pages also rows with a gap between them. */
  grid: z.strictObject({ columns: z.number().int().positive(), rows: z.number().int().positive().max(200).default(60), gutter: Length, rowGap: Length.default(toPoints('4mm')) }),
  type: z.strictObject({ body: Length, leading: z.number().positive(), measure: z.number().positive(), latinMeasure: z.number().positive().default(17) }),
  margins: z.strictObject({ top: Length, right: Length, bottom: Length, left: Length }),
  layouts: z.record(z.string(), Layout),
  planning: Planning.default(Planning.parse({})),
});
export type TemplateMeta = z.infer<typeof TemplateSchema>;
export type FontRole = keyof TemplateMeta['fonts'];

export interface Template {
  dir: string;
  meta: TemplateMeta;
  /** Absolute paths of the stylesheets, in order. */
  styles: string[];
  render: (view: object) => string;
  /** The stylesheets' text, in order (the compose stage reads their generated-content strings). */
  styleText: string[];
  /** Every file of the template, for the manifest. */
  files: string[];
}

/** A template by name (`newspaper`) or by a path relative to the edition folder, its template.yaml validated. */
export async function loadTemplate(name: string, editionDir: string, typeOverride?: { body?: number; leading?: number }): Promise<Template> {
  const own = name.includes('/') || name.startsWith('.');
  const dir = own ? path.resolve(editionDir, name) : path.join(TEMPLATES_DIR, name);
  const file = path.join(dir, 'template.yaml');
  if (!existsSync(file)) {
    throw new PaibanError('TemplateNotFound', `template "${name}" not found (no ${file})`, {
      where: { file: 'edition.yaml' },
      hint: `use one of: ${(await readdir(TEMPLATES_DIR)).join(', ')}, or a path to a folder with template.yaml`,
    });
  }
  // Strict UTF-8 and a size limit for every file of the template, like for the edition's own files.
  const shown = (f: string) => (isInside(editionDir, f) ? path.relative(editionDir, f) : f);
  const read = (f: string) => readTextFile(f, shown(f));
  const { value: meta, locate } = parseYaml(await read(file), TemplateSchema, shown(file), 'EditionInvalid');
  checkLayouts(meta, (p) => ({ file: shown(file), ...locate(p) }));
  // The edition may set its own body type; everything derived from it (text columns) follows.
  if (typeOverride?.body) meta.type.body = typeOverride.body;
  if (typeOverride?.leading) meta.type.leading = typeOverride.leading;
  const hb = Handlebars.create();
  registerHelpers(hb);
  const files = [file];
  const partialsDir = path.join(dir, 'partials');
  for (const f of existsSync(partialsDir) ? (await readdir(partialsDir)).sort() : []) {
    if (!f.endsWith('.hbs')) continue;
    hb.registerPartial(f.slice(0, -4), await read(path.join(partialsDir, f)));
    files.push(path.join(partialsDir, f));
  }
  for (const layout of Object.keys(meta.layouts)) {
    const lf = path.join(dir, 'layouts', `${layout}.hbs`);
    if (!existsSync(lf)) throw new PaibanError('TemplateInvalid', `layout "${layout}" has no ${lf}`, { where: { file }, hint: 'add the layout file or remove the layout' });
    hb.registerPartial(`layout-${layout}`, await read(lf));
    files.push(lf);
  }
  const doc = path.join(dir, 'document.hbs');
  files.push(doc);
  // strict: a typo in a template is an error, not an empty string. No prototype access (default).
  const compiled = hb.compile(await read(doc), { strict: false, preventIndent: true });
  const styles = meta.styles.map((s) => (existsSync(path.join(dir, s)) ? path.join(dir, s) : path.join(STYLES_DIR, s)));
  for (const s of styles) {
    if (!existsSync(s)) throw new PaibanError('TemplateInvalid', `stylesheet ${path.basename(s)} not found`, { where: { file }, hint: `put it in ${STYLES_DIR} or the template folder` });
    // A stylesheet is served to the page and inlined into --html: it must be the template's or paiban's own.
    const real = realpathSync(s);
    if (!isInside(realpathSync(dir), real) && !isInside(realpathSync(STYLES_DIR), real)) {
      throw new PaibanError('TemplateInvalid', `stylesheet "${path.relative(dir, s)}" is outside the template folder`, { where: { file }, hint: 'keep the stylesheets inside the template folder' });
    }
  }
  return {
    dir,
    meta,
    styles,
    styleText: await Promise.all(styles.map((s) => read(s))),
    files: [...files, ...styles],
    render: (view) => compiled(view, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false }),
  };
}

/** Every slot of a fixed layout is a rectangle inside the grid, none overlapping another. */
function checkLayouts(meta: TemplateMeta, at: (p: PropertyKey[]) => { file: string; line?: number }): void {
  const errors: PaibanError[] = [];
  for (const [name, layout] of Object.entries(meta.layouts)) {
    if (!layout.fixed) continue;
    const slots = Object.entries(layout.slots).map(([slot, s]) => ({ name: slot, column: s.column ?? 1, columns: s.columns, row: s.row ?? 1, rows: s.rows ?? 0, lead: false }));
    for (const s of slots.filter((x) => !x.rows)) {
      errors.push(new PaibanError('TemplateInvalid', `layout "${name}", slot "${s.name}": a slot of a fixed layout needs its depth on the grid (rows)`, { where: at(['layouts', name, 'slots', s.name]), hint: `add row: and rows: (the grid has ${meta.grid.rows} rows)` }));
    }
    for (const p of checkRects(slots.filter((x) => x.rows), meta.grid, 'layout')) {
      errors.push(new PaibanError('TemplateInvalid', `layout "${name}": ${p.message}`, { where: at(['layouts', name, 'slots', p.slot]), hint: p.hint }));
    }
  }
  if (errors.length) throw new PaibanErrors(errors);
}
