/**
 * The manifest `<slug>.manifest.json` records what went into a build and what came out, so that an
 * archivist can rebuild and compare (`paiban verify`): every input file (edition.yaml, articles,
 * the images they use, the template and its stylesheets) with sha256 and size, every output with
 * sha256, size and pages, the tool versions, the fonts used, the options and the timestamp.
 *
 * Paths: relative to the edition folder for its own files and for the files of a template that
 * edition.yaml names by a relative path (`../theme/…`: it moves with the edition); `paiban:` + a
 * path inside paiban for paiban's own templates and styles; absolute otherwise. The edition folder
 * is recorded as built (`editionDir`) and relative to the manifest's folder (`editionPath`), so
 * that `paiban verify` finds an archive that moved as a whole.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT } from '../compose/template.ts';
import type { Template } from '../compose/template.ts';
import type { PreparedFonts } from '../fonts/prepare.ts';
import type { LoadedEdition } from '../load/edition.ts';
import type { RenderedArticle } from '../model.ts';
import { VERSION } from '../version.ts';

export const MANIFEST_VERSION = 3;

/** The build options that shape the outputs: `verify` rebuilds with exactly these. */
export interface RecordedOptions {
  pdf: boolean;
  epub: boolean;
  html: boolean;
  strict: boolean;
  marks: boolean;
  tagged: boolean;
  pdfx: boolean;
  pdfa: boolean;
  /** --paginator (or PAIBAN_PAGINATOR) when given; edition.yaml's own paginator: is in edition.yaml. */
  paginator?: 'auto' | 'chromium' | 'pagedjs';
}

export interface ManifestFile {
  path: string;
  sha256: string;
  size: number;
}

export interface ManifestInputFile extends ManifestFile {
  kind: 'edition' | 'article' | 'image' | 'template' | 'style';
}

export interface Manifest {
  manifestVersion: number;
  edition: string;
  editionDir: string;
  /** The edition folder relative to the manifest's folder (posix separators); since version 3. */
  editionPath?: string;
  /** The timestamp written into the outputs (ISO 8601), and where it came from. */
  timestamp: string;
  timestampSource: 'SOURCE_DATE_EPOCH' | 'edition date';
  sourceDateEpoch: string | null;
  options: RecordedOptions;
  tools: Record<string, string>;
  template: string;
  inputs: ManifestInputFile[];
  fonts: { role: string; weight: string; style: string; family: string; file: string; index: number; sha256: string; subsetSha256: string }[];
  outputs: (ManifestFile & { pages?: number })[];
}

export interface ManifestInput {
  edition: LoadedEdition;
  template: Template;
  articles: RenderedArticle[];
  fonts: PreparedFonts;
  browserVersion: string;
  /** e.g. `GPL Ghostscript 10.00.0` when --pdfx/--pdfa ran it. */
  converter?: string;
  timestamp: Date;
  sourceDateEpoch?: string;
  options: RecordedOptions;
  outputs: (ManifestFile & { pages?: number })[];
  /** The folder the manifest is written to (for editionPath). */
  outDir?: string;
}

export async function buildManifest(m: ManifestInput): Promise<string> {
  const fonts = new Map<string, Manifest['fonts'][number]>();
  for (const f of m.fonts.faces) {
    // A fallback face (fonts/fallback.ts) completes its role's face: a record of its own.
    const fallback = f.unicodeRange ? ` fallback ${f.sourceFile}#${f.sourceIndex}` : '';
    fonts.set(`${f.cssFamily}/${f.weight}/${f.style}${fallback}`, { role: f.unicodeRange ? `${f.cssFamily} (fallback)` : f.cssFamily, weight: f.weight, style: f.style, family: f.sourceFamily, file: f.sourceFile, index: f.sourceIndex, sha256: f.sourceSha256, subsetSha256: f.sha256 });
  }
  const tools: Record<string, string> = { paiban: VERSION, node: process.version, chromium: m.browserVersion, pagedjs: packageVersion('pagedjs'), 'pdf-lib': packageVersion('pdf-lib') };
  if (m.converter) tools.ghostscript = m.converter;
  const manifest: Manifest = {
    manifestVersion: MANIFEST_VERSION,
    edition: m.edition.slug,
    editionDir: m.edition.dir,
    ...(m.outDir ? { editionPath: posix(path.relative(path.resolve(m.outDir), m.edition.dir)) || '.' } : {}),
    timestamp: m.timestamp.toISOString(),
    timestampSource: m.sourceDateEpoch ? 'SOURCE_DATE_EPOCH' : 'edition date',
    sourceDateEpoch: m.sourceDateEpoch ?? null,
    options: m.options,
    tools,
    template: displayPath(m.template.dir, m.edition.dir, movesWith(m)),
    inputs: await inputFiles(m),
    fonts: [...fonts.values()],
    outputs: m.outputs,
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Every file the build read, in a stable order: edition.yaml and articles, images, template. */
export async function inputFiles(m: Pick<ManifestInput, 'edition' | 'template' | 'articles'>): Promise<ManifestInputFile[]> {
  const own = movesWith(m);
  const out: ManifestInputFile[] = m.edition.inputs.map((i) => ({ kind: i.path === 'edition.yaml' ? 'edition' : 'article', ...i }));
  const images = new Map<string, string>();
  for (const a of m.articles) for (const f of a.figures) images.set(f.absPath, f.src);
  for (const abs of [...images.keys()].sort()) out.push({ kind: 'image', ...(await hashFile(abs, displayPath(abs, m.edition.dir))) });
  const styles = new Set(m.template.styles);
  for (const abs of m.template.files) out.push({ kind: styles.has(abs) ? 'style' : 'template', ...(await hashFile(abs, displayPath(abs, m.edition.dir, own))) });
  return out;
}

/** A manifest path back to an absolute one (see the module comment). */
export function resolveManifestPath(p: string, editionDir: string): string {
  if (p.startsWith('paiban:')) return path.join(ROOT, p.slice('paiban:'.length));
  return path.isAbsolute(p) ? p : path.join(editionDir, p);
}

function displayPath(abs: string, editionDir: string, movesWithEdition?: string): string {
  const inside = (dir: string) => {
    const rel = path.relative(dir, abs);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? posix(rel) : undefined;
  };
  const rel = inside(editionDir);
  if (rel !== undefined) return rel;
  if (movesWithEdition && (abs === movesWithEdition || inside(movesWithEdition) !== undefined)) return posix(path.relative(editionDir, abs));
  const own = inside(ROOT);
  return own !== undefined ? `paiban:${own}` : abs;
}

/** The template folder when edition.yaml names it by a relative path (it moves with the edition). */
function movesWith(m: Pick<ManifestInput, 'edition' | 'template'>): string | undefined {
  const t = m.edition.config.template;
  return !path.isAbsolute(t) && (t.includes('/') || t.startsWith('.')) ? m.template.dir : undefined;
}

const posix = (p: string) => p.split(path.sep).join('/');

async function hashFile(abs: string, display: string): Promise<ManifestFile> {
  const bytes = await readFile(abs);
  return { path: display, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}

const require = createRequire(import.meta.url);

function packageVersion(name: string): string {
  try {
    const main = require.resolve(name);
    let dir = path.dirname(main);
    while (!dir.endsWith(`node_modules${path.sep}${name}`) && dir !== path.dirname(dir)) dir = path.dirname(dir);
    return (require(path.join(dir, 'package.json')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
