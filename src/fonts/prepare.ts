/**
 * Font preparation stage: resolve each requested face, subset it to the characters the edition
 * prints (plus a base repertoire for the template's own strings), convert CFF outlines to
 * TrueType so Chromium embeds them in the PDF as CID TrueType instead of Type 3, and cache the
 * result on disk.
 *
 * The heavy work is done by `subset.py` (fontTools) under `/usr/bin/python3` (override with
 * `PAIBAN_PYTHON`). A cached subset is reused without starting Python.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveFamily, type FontStyle, type FontWeight } from './system.ts';
import { runSubset, type SubsetResult } from './python.ts';
import { writeCacheFile } from '../output/atomic.ts';

export interface FaceRequest {
  /** Family name the CSS uses, e.g. `pb-body`. */
  cssFamily: string;
  /** System family (`Noto Serif CJK SC`) or font file (`/path/font.ttf`, `/path/fonts.ttc#2`). */
  family: string;
  weight: FontWeight;
  style?: FontStyle;
  /** The characters this face sets (plan.ts); default: all of the request's text. */
  text?: string;
  /**
   * A fallback face (fallback.ts): it completes the face of the same css family, weight and style
   * for these code points only (its @font-face rule's unicode-range).
   */
  unicodeRange?: number[];
}

export interface PrepareRequest {
  faces: FaceRequest[];
  /** The edition's text: every character in it is kept. */
  text: string;
  /** The template's own strings (folios, weekdays, mastheads): kept and checked like `text`. */
  templateText?: string;
  /** CJK language systems no text selects, left out of every subset (languages.ts). */
  dropLanguages?: string[];
  /** Where subsets are cached; see {@link defaultCacheDir}. */
  cacheDir?: string;
}

export interface PreparedFace {
  cssFamily: string;
  weight: FontWeight;
  style: FontStyle;
  /** The family the face was resolved to, and its fontconfig style (`Regular`, `Book`, …). */
  sourceFamily: string;
  sourceStyle: string;
  /** False when the system lacks the requested weight/style and a neighbour was used. */
  exact: boolean;
  sourceFile: string;
  sourceIndex: number;
  sourceSha256: string;
  /** The subset TrueType file in the cache. */
  file: string;
  sha256: string;
  size: number;
  /** Number of glyphs in the subset. */
  glyphs: number;
  /** Characters of the text (and template text) this face has no glyph for, in text order. */
  missing: string[];
  /** Whether CFF outlines were converted to TrueType. */
  converted: boolean;
  /** A fallback face's code points (see FaceRequest.unicodeRange). */
  unicodeRange?: number[];
  /** Whether the subset came from the cache (no Python run). */
  cached: boolean;
  warnings: string[];
}

export interface PreparedFonts {
  faces: PreparedFace[];
  /** Characters of the text no face has: they print as empty boxes; the caller reports them. */
  uncovered: string[];
}

/** Ranges kept in every subset so the template's strings and common punctuation render. */
export const BASE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x0020, 0x007e], // printable ASCII
  [0x2010, 0x2027], // general punctuation: dashes, quotes, ellipsis
  [0x2030, 0x205e], // per mille, primes, ※ …
  [0x3000, 0x303f], // CJK symbols and punctuation
  [0xff01, 0xff5e], // full-width ASCII forms
];

/** Template strings kept in every subset: folios (第1版), weekdays (星期三), dates. */
export const BASE_TEXT = '第版星期一二三四五六日天年月号號零〇十百千万萬元周週頁页共';

const SUBSET_SCRIPT = fileURLToPath(new URL('./subset.py', import.meta.url));
/** Bump when the cache layout or the meaning of a cached file changes. */
const CACHE_VERSION = 1;

/** `$PAIBAN_CACHE`, else `$XDG_CACHE_HOME/paiban/fonts`, else `~/.cache/paiban/fonts`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PAIBAN_CACHE) return env.PAIBAN_CACHE;
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'paiban', 'fonts');
}

/** Characters that need no glyph: whitespace, controls, format and default-ignorable marks. */
const IGNORABLE = /^[\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Cs}]$/u;

/** The distinct printable characters of `text`, in order of first appearance. */
export function printableChars(text: string): string[] {
  const seen = new Set<string>();
  for (const ch of text) if (!IGNORABLE.test(ch)) seen.add(ch);
  return [...seen];
}

/** The sorted code points a subset keeps for `text`. */
export function subsetCodepoints(text: string): number[] {
  const cps = new Set<number>();
  for (const [lo, hi] of BASE_RANGES) for (let c = lo; c <= hi; c++) cps.add(c);
  for (const ch of BASE_TEXT + text) {
    const c = ch.codePointAt(0)!;
    if (c >= 0xd800 && c <= 0xdfff) continue; // lone surrogate
    if (c < 0x20 || (c >= 0x7f && c < 0xa0)) continue; // controls
    cps.add(c);
  }
  return [...cps].sort((a, b) => a - b);
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

const sourceHashes = new Map<string, Promise<string>>();

/** sha256 of a file, computed once per process per (path, mtime, size). */
export async function fileSha256(file: string): Promise<string> {
  const st = await stat(file);
  const key = `${file}\0${st.mtimeMs}\0${st.size}`;
  let p = sourceHashes.get(key);
  if (!p) {
    p = new Promise<string>((resolve, reject) => {
      const h = createHash('sha256');
      createReadStream(file)
        .on('data', (d) => h.update(d))
        .on('error', reject)
        .on('end', () => resolve(h.digest('hex')));
    });
    p.catch(() => sourceHashes.delete(key));
    sourceHashes.set(key, p);
  }
  return p;
}

/** What the cache remembers of a source font: its hash, valid while the file's identity is the same. */
interface SourceRecord {
  v: number;
  file: string;
  size: string;
  ino: string;
  mtimeNs: string;
  ctimeNs: string;
  sha256: string;
}

/**
 * sha256 of a source font, remembered in `<cacheDir>/sources/` by path, size, inode, mtime and
 * ctime (nanoseconds): a build whose subsets are cached reads none of the big font files (Noto
 * CJK's are 20-27 MB each, about 0.1 s apiece to hash). Any change to the file, even one that
 * restores its mtime, changes its ctime and makes the record stale; it is then hashed again.
 * The record is only an optimization: when it cannot be written, the hash is still returned.
 */
export async function cachedSourceSha256(file: string, cacheDir: string): Promise<string> {
  const st = await stat(file, { bigint: true });
  const identity = { v: CACHE_VERSION, file, size: String(st.size), ino: String(st.ino), mtimeNs: String(st.mtimeNs), ctimeNs: String(st.ctimeNs) };
  const record = path.join(cacheDir, 'sources', `${sha256(file)}.json`);
  try {
    const r = JSON.parse(await readFile(record, 'utf8')) as SourceRecord;
    if (Object.entries(identity).every(([k, v]) => r[k as keyof SourceRecord] === v) && /^[0-9a-f]{64}$/.test(r.sha256)) return r.sha256;
  } catch {
    // no record yet, or an unreadable one: hash the file
  }
  const hash = await fileSha256(file);
  await writeCacheFile(record, JSON.stringify({ ...identity, sha256: hash } satisfies SourceRecord));
  return hash;
}

interface CachedSubset extends SubsetResult {
  file: string;
  cached: boolean;
}

/** In-flight and finished subsets of this process, by cache file: equal faces run once. */
const inFlight = new Map<string, Promise<CachedSubset>>();

async function readSidecar(file: string): Promise<SubsetResult | undefined> {
  try {
    const meta = JSON.parse(await readFile(`${file}.json`, 'utf8')) as SubsetResult;
    await stat(file);
    return meta;
  } catch {
    return undefined;
  }
}

/** Return the cached subset for the key, creating it (via a temp file and rename) when absent. */
async function cachedSubset(
  cacheDir: string,
  source: { file: string; index: number; sha256: string },
  codepoints: number[],
  dropLanguages: string[] = [],
): Promise<CachedSubset> {
  const scriptSha = await fileSha256(SUBSET_SCRIPT);
  const drop = dropLanguages.length ? { dropLanguages } : {};
  const key = sha256(
    JSON.stringify({ v: CACHE_VERSION, source: source.sha256, index: source.index, codepoints, script: scriptSha, ...drop }),
  );
  const file = path.join(cacheDir, `${key}.ttf`);
  const existing = inFlight.get(file);
  if (existing) return existing;
  const job = (async (): Promise<CachedSubset> => {
    const hit = await readSidecar(file);
    if (hit) return { ...hit, file, cached: true };
    try {
      await mkdir(cacheDir, { recursive: true });
    } catch (e) {
      throw new Error(
        `Cannot create the font cache ${cacheDir} (${(e as Error).message}): ` +
          `set PAIBAN_CACHE to a writable directory.`,
      );
    }
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      const result = await runSubset({ source: source.file, index: source.index, codepoints, output: tmp, ...drop });
      await writeFile(`${tmp}.json`, JSON.stringify(result));
      // The font first, then its sidecar: a sidecar implies a complete font.
      await rename(tmp, file);
      await rename(`${tmp}.json`, `${file}.json`);
      return { ...result, file, cached: false };
    } finally {
      await rm(tmp, { force: true });
      await rm(`${tmp}.json`, { force: true });
    }
  })();
  inFlight.set(file, job);
  // Once settled, later calls look at the disk again (the cache may be cleared between builds).
  job.finally(() => inFlight.delete(file)).catch(() => undefined);
  return job;
}

/**
 * Prepare every face of `req`: resolve, subset (cached), and report coverage. Faces are
 * processed in parallel; at most two Python processes run at a time.
 */
export async function prepareFonts(req: PrepareRequest): Promise<PreparedFonts> {
  const seen = new Set<string>();
  for (const f of req.faces) {
    const id = `${f.cssFamily}/${f.weight}/${f.style ?? 'normal'}${f.unicodeRange ? `/${f.unicodeRange.join(',')}` : ''}`;
    if (seen.has(id)) throw new Error(`Font face ${id} is requested twice: each css family, weight and style once.`);
    seen.add(id);
  }
  const cacheDir = path.resolve(req.cacheDir ?? defaultCacheDir());
  const allText = req.text + (req.templateText ?? '');
  const chars = printableChars(allText);

  const faces = await Promise.all(
    req.faces.map(async (f): Promise<PreparedFace> => {
      const style = f.style ?? 'normal';
      const sys = await resolveFamily(f.family, { weight: f.weight, style });
      let sourceSha256: string;
      try {
        sourceSha256 = await cachedSourceSha256(sys.file, cacheDir);
      } catch (e) {
        throw new Error(
          `Font file ${sys.file} for "${f.family}" cannot be read (${(e as Error).message}): ` +
            `reinstall the package that provides it or run fc-cache -f to refresh fontconfig.`,
        );
      }
      // A face with its own text (plan.ts) is subset to that; others to the whole text.
      const own = f.text ?? allText;
      const sub = await cachedSubset(cacheDir, { file: sys.file, index: sys.index, sha256: sourceSha256 }, subsetCodepoints(own), req.dropLanguages);
      const data = await readFile(sub.file);
      const missingCps = new Set(sub.missing);
      return {
        cssFamily: f.cssFamily,
        weight: f.weight,
        style,
        sourceFamily: sys.family,
        sourceStyle: sys.style,
        exact: sys.exact,
        sourceFile: sys.file,
        sourceIndex: sys.index,
        sourceSha256,
        file: sub.file,
        sha256: sha256(data),
        size: data.length,
        glyphs: sub.glyphs,
        missing: (f.text === undefined ? chars : printableChars(own)).filter((ch) => missingCps.has(ch.codePointAt(0)!)),
        converted: sub.converted,
        ...(f.unicodeRange ? { unicodeRange: f.unicodeRange } : {}),
        cached: sub.cached,
        warnings: sub.warnings,
      };
    }),
  );
  // A character prints as an empty box when every face that sets it lacks it (a face with its own
  // text sets only that; a character no face sets is drawn by none of them).
  const missingSets = faces.map((f) => new Set(f.missing));
  const sets = req.faces.map((f) => (f.text === undefined ? undefined : new Set(f.text)));
  const uncovered = chars.filter((ch) => missingSets.some((m) => m.has(ch)) && faces.every((_, i) => missingSets[i]!.has(ch) || (sets[i] !== undefined && !sets[i]!.has(ch))));
  return { faces, uncovered };
}
