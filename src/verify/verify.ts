/**
 * `paiban verify MANIFEST`: rebuild the edition a manifest describes, in a temporary folder, with
 * the options and SOURCE_DATE_EPOCH it recorded, and compare: identical, or exactly what differs —
 * which inputs changed (or went missing, or are new), which fonts or tool versions are not the
 * same, and which outputs differ. Nothing next to the manifest is written.
 *
 * Archives move: the edition folder is looked for where `--edition` says, else where the manifest
 * says relative to itself (`editionPath`), else where it was built (`editionDir`), else beside the
 * manifest under the edition's name (only when its edition.yaml is the one recorded). When it is
 * nowhere, the error names every place looked at and how to say where it went.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { build } from '../build.ts';
import { formatDiagnostic } from '../diagnostics.ts';
import { PaibanError } from '../errors.ts';
import { sha256 } from '../load/files.ts';
import { editionFolder } from '../load/folder.ts';
import type { Manifest, ManifestFile, RecordedOptions } from '../output/manifest.ts';
import { resolveManifestPath } from '../output/manifest.ts';

export interface VerifyResult {
  identical: boolean;
  /** What was rebuilt, how. */
  summary: string;
  /** One line per difference (empty when identical). */
  differences: string[];
  /** Outputs that match (path). */
  matching: string[];
  /** The edition folder rebuilt, and how it was found. */
  editionDir: string;
  found: 'option' | 'relative' | 'recorded' | 'beside';
}

export async function readManifest(file: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new PaibanError('Usage', `no manifest at ${file}`, { hint: 'give the path of a <slug>.manifest.json written by paiban build' });
  }
  let m: Partial<Manifest>;
  try {
    m = JSON.parse(text) as Partial<Manifest>;
  } catch (cause) {
    throw new PaibanError('Usage', `${file} is not JSON`, { hint: 'give the path of a <slug>.manifest.json written by paiban build', cause });
  }
  if (typeof m.editionDir !== 'string' || !Array.isArray(m.inputs) || !Array.isArray(m.outputs) || typeof m.options !== 'object') {
    throw new PaibanError('Usage', `${file} is not a paiban manifest (no editionDir, inputs, outputs or options)`, { hint: 'give the path of a <slug>.manifest.json written by paiban build' });
  }
  return m as Manifest;
}

/** Where the edition is now (see the module comment); EditionNotFound naming the places looked at. */
export async function findEdition(manifestFile: string, recorded: Manifest, given?: string): Promise<{ dir: string; found: VerifyResult['found'] }> {
  if (given) {
    const dir = path.resolve(editionFolder(given));
    if (!existsSync(path.join(dir, 'edition.yaml'))) {
      throw new PaibanError('EditionNotFound', `--edition ${given}: no edition.yaml there`, { hint: `give the folder that holds the edition.yaml of ${recorded.edition} (the one built into this manifest)` });
    }
    return { dir, found: 'option' };
  }
  const here = path.dirname(path.resolve(manifestFile));
  const recordedYaml = recorded.inputs.find((i) => i.path === 'edition.yaml')?.sha256;
  const candidates: { dir: string; found: VerifyResult['found']; onlyIfSame?: boolean }[] = [
    ...(recorded.editionPath ? [{ dir: path.resolve(here, recorded.editionPath), found: 'relative' as const }] : []),
    { dir: recorded.editionDir, found: 'recorded' },
    { dir: path.join(here, recorded.edition), found: 'beside', onlyIfSame: true },
    { dir: path.join(here, '..', recorded.edition), found: 'beside', onlyIfSame: true },
  ];
  const same = async (dir: string) => recordedYaml !== undefined && sha256(await readFile(path.join(dir, 'edition.yaml')).catch(() => Buffer.alloc(0))) === recordedYaml;
  const present = candidates.filter((c) => existsSync(path.join(c.dir, 'edition.yaml')));
  for (const c of present) if (await same(c.dir)) return { dir: c.dir, found: c.found };
  const first = present.find((c) => !c.onlyIfSame);
  if (first) return { dir: first.dir, found: first.found };
  const looked = [...new Set(candidates.map((c) => c.dir))].join(', ');
  throw new PaibanError('EditionNotFound', `the edition folder of ${recorded.edition} is not where the manifest says: no edition.yaml at ${looked}`, {
    where: { file: manifestFile },
    hint: `if the edition moved, give its new place: paiban verify ${manifestFile} --edition DIR`,
  });
}

export async function verify(manifestFile: string, opts: { edition?: string } = {}): Promise<VerifyResult> {
  const recorded = await readManifest(manifestFile);
  const { dir: editionDir, found } = await findEdition(manifestFile, recorded, opts.edition);
  // Manifests of version 1 recorded fewer options: the rest were off.
  const defaults: RecordedOptions = { pdf: true, epub: true, html: false, strict: false, marks: false, tagged: false, pdfx: false, pdfa: false };
  const options: RecordedOptions = Object.assign(defaults, recorded.options);
  const differences: string[] = [];

  // Inputs as they are on disk now: changed or missing files explain differing outputs.
  for (const i of recorded.inputs) {
    const abs = resolveManifestPath(i.path, editionDir);
    let bytes: Buffer;
    try {
      bytes = await readFile(abs);
    } catch {
      differences.push(`input missing: ${i.path} (${abs})`);
      continue;
    }
    const now = sha256(bytes);
    if (now !== i.sha256) differences.push(`input changed: ${i.path} (sha256 ${short(i.sha256)} → ${short(now)}, ${i.size} → ${bytes.length} bytes)`);
  }

  const tmp = await mkdtemp(path.join(os.tmpdir(), 'paiban-verify-'));
  const savedEpoch = process.env.SOURCE_DATE_EPOCH;
  const flags = Object.entries(options).filter(([, v]) => v).map(([k, v]) => (typeof v === 'string' ? `${k} ${v}` : k));
  const moved = path.resolve(editionDir) !== path.resolve(recorded.editionDir) ? ` (built at ${recorded.editionDir}; found ${found === 'option' ? 'by --edition' : found === 'relative' ? 'where the manifest says, relative to itself' : 'beside the manifest'})` : '';
  const summary = `rebuilt ${recorded.edition} from ${editionDir}${moved} (${flags.join(', ')}; timestamp ${recorded.timestamp}${recorded.sourceDateEpoch ? ` from SOURCE_DATE_EPOCH=${recorded.sourceDateEpoch}` : ''})`;
  const matching: string[] = [];
  try {
    if (recorded.sourceDateEpoch) process.env.SOURCE_DATE_EPOCH = recorded.sourceDateEpoch;
    else delete process.env.SOURCE_DATE_EPOCH;
    const r = await build(editionDir, { ...options, out: tmp, htmlBase: path.dirname(path.resolve(manifestFile)) });
    if (!r.ok) {
      differences.push(`the rebuild failed with ${r.diagnostics.errors.length} error(s):`, ...r.diagnostics.errors.map((d) => `  ${formatDiagnostic(d)}`));
      return { identical: false, summary, differences, matching, editionDir, found };
    }
    const rebuilt = JSON.parse(await readFile(path.join(tmp, `${r.slug}.manifest.json`), 'utf8')) as Manifest;
    compareFiles('input', recorded.inputs, rebuilt.inputs, differences, { onlyNew: true });
    compareTools(recorded, rebuilt, differences);
    compareFonts(recorded, rebuilt, differences);
    // Outputs are named after the edition folder: one that moved under another name made the same files.
    const renamed = rebuilt.outputs.map((o) => ({ ...o, path: o.path.startsWith(`${r.slug}.`) ? `${recorded.edition}${o.path.slice(r.slug.length)}` : o.path }));
    compareFiles('output', recorded.outputs, renamed, differences, { matching });
  } finally {
    if (savedEpoch === undefined) delete process.env.SOURCE_DATE_EPOCH;
    else process.env.SOURCE_DATE_EPOCH = savedEpoch;
    await rm(tmp, { recursive: true, force: true });
  }
  return { identical: differences.length === 0, summary, differences, matching, editionDir, found };
}

/**
 * Files by path: differing hashes, and files only on one side. `onlyNew`: the inputs recorded were
 * already compared with the disk, so only files the rebuild read and the record lacks are added.
 */
function compareFiles(kind: string, before: ManifestFile[], after: ManifestFile[], out: string[], o: { onlyNew?: boolean; matching?: string[] }): void {
  const was = new Map(before.map((f) => [f.path, f]));
  const now = new Map(after.map((f) => [f.path, f]));
  for (const [p, a] of now) {
    const b = was.get(p);
    if (!b) out.push(`${kind} new: ${p} (not in the manifest)`);
    else if (o.onlyNew) continue;
    else if (b.sha256 !== a.sha256) out.push(`${kind} differs: ${p} (sha256 ${short(b.sha256)} → ${short(a.sha256)}, ${b.size} → ${a.size} bytes${pagesNote(b, a)})`);
    else o.matching?.push(p);
  }
  if (!o.onlyNew) for (const p of was.keys()) if (!now.has(p)) out.push(`${kind} not rebuilt: ${p}`);
}

function compareTools(before: Manifest, after: Manifest, out: string[]): void {
  for (const [name, v] of Object.entries(before.tools ?? {})) {
    const w = after.tools?.[name];
    if (w !== v) out.push(`tool differs: ${name} ${v} → ${w ?? '(not used)'}`);
  }
}

function compareFonts(before: Manifest, after: Manifest, out: string[]): void {
  const key = (f: Manifest['fonts'][number]) => `${f.role}/${f.weight}/${f.style}`;
  const now = new Map((after.fonts ?? []).map((f) => [key(f), f]));
  for (const f of before.fonts ?? []) {
    const g = now.get(key(f));
    if (!g) out.push(`font gone: ${key(f)} (${f.family}, ${f.file})`);
    else if (g.sha256 !== f.sha256 || g.file !== f.file) out.push(`font differs: ${key(f)} ${f.family} ${f.file} (sha256 ${short(f.sha256)}) → ${g.family} ${g.file} (sha256 ${short(g.sha256)})`);
  }
}

function pagesNote(b: ManifestFile & { pages?: number }, a: ManifestFile & { pages?: number }): string {
  return b.pages !== undefined && a.pages !== undefined && b.pages !== a.pages ? `, ${b.pages} → ${a.pages} pages` : '';
}

function short(h: string): string {
  return h.slice(0, 12);
}
