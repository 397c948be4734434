import { describe, it, expect, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cachedSourceSha256, prepareFonts, printableChars, subsetCodepoints, defaultCacheDir, type FaceRequest } from '../../src/fonts/prepare.ts';
import { layoutFeatures, readSfnt } from './sfnt.ts';

const NOTO: FaceRequest = { cssFamily: 'pb-body', family: 'Noto Serif CJK SC', weight: 'regular' };
const TEXT = '浙江日报：「共同富裕」示范区建设，稳步推进。';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'paiban-fonts-test-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Run `fn` with PAIBAN_PYTHON set to `value`, restoring it afterwards. */
async function withPython<T>(value: string, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.PAIBAN_PYTHON;
  process.env.PAIBAN_PYTHON = value;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.PAIBAN_PYTHON;
    else process.env.PAIBAN_PYTHON = saved;
  }
}

describe('prepareFonts', () => {
  it('converts Noto Serif CJK SC (CFF) to a TrueType subset', async () => {
    const cacheDir = await tempDir();
    const { faces } = await prepareFonts({ faces: [NOTO], text: TEXT, cacheDir });
    const face = faces[0]!;
    expect(face.sourceFile).toMatch(/NotoSerifCJK-Regular\.ttc$/);
    expect(face.converted).toBe(true);
    expect(face.cached).toBe(false);
    expect(path.dirname(face.file)).toBe(cacheDir);
    const data = await readFile(face.file);
    expect(face.size).toBe(data.length);
    const sfnt = readSfnt(data);
    expect(sfnt.version).toBe('00010000');
    expect(sfnt.tables).toEqual(expect.arrayContaining(['glyf', 'loca', 'maxp', 'cmap', 'GSUB', 'GPOS', 'vmtx']));
    expect(sfnt.tables).not.toContain('CFF ');
    expect(sfnt.tables).not.toContain('VORG');
    // Only the cached font, its report and the source's hash record: no temp files left behind.
    expect((await readdir(cacheDir)).sort()).toEqual([path.basename(face.file), `${path.basename(face.file)}.json`, 'sources']);
    expect(await readdir(path.join(cacheDir, 'sources'))).toHaveLength(1);
  });

  it('keeps the vertical and spacing layout features (vert, halt, …)', async () => {
    const { faces } = await prepareFonts({ faces: [NOTO], text: TEXT, cacheDir: await tempDir() });
    const features = layoutFeatures(faces[0]!.file);
    expect(features.GSUB).toEqual(expect.arrayContaining(['vert', 'vrt2']));
    expect(features.GPOS).toEqual(expect.arrayContaining(['halt', 'palt', 'vhal']));
  });

  it('is byte-identical across runs into two empty caches', async () => {
    const a = await prepareFonts({ faces: [NOTO], text: TEXT, cacheDir: await tempDir() });
    const b = await prepareFonts({ faces: [NOTO], text: TEXT, cacheDir: await tempDir() });
    expect(a.faces[0]!.cached).toBe(false);
    expect(b.faces[0]!.cached).toBe(false);
    expect(a.faces[0]!.sha256).toBe(b.faces[0]!.sha256);
    expect(Buffer.compare(await readFile(a.faces[0]!.file), await readFile(b.faces[0]!.file))).toBe(0);
  });

  it('reuses a cached subset without running Python', async () => {
    const cacheDir = await tempDir();
    const first = await prepareFonts({ faces: [NOTO], text: TEXT, cacheDir });
    // A Python that does not exist: the second call must not need it.
    const second = await withPython('/nonexistent/python3', () => prepareFonts({ faces: [NOTO], text: TEXT, cacheDir }));
    expect(second.faces[0]!.cached).toBe(true);
    expect(second.faces[0]!.file).toBe(first.faces[0]!.file);
    expect(second.faces[0]!.sha256).toBe(first.faces[0]!.sha256);
    expect(second.faces[0]!.missing).toEqual(first.faces[0]!.missing);
  });

  it('reports characters a face lacks, and those no face has', async () => {
    const { faces, uncovered } = await prepareFonts({
      faces: [NOTO, { cssFamily: 'pb-kai', family: 'AR PL UKai CN', weight: 'regular' }],
      text: '报\uE000 道',
      templateText: '第1版',
      cacheDir: await tempDir(),
    });
    expect(faces.map((f) => f.missing)).toEqual([['\uE000'], ['\uE000']]);
    expect(uncovered).toEqual(['\uE000']);
    // AR PL UKai is TrueType already: subset, not converted.
    expect(faces[1]!.converted).toBe(false);
    expect(readSfnt(await readFile(faces[1]!.file)).version).toBe('00010000');
  });

  it('accepts a font file path with a collection index', async () => {
    const { faces } = await prepareFonts({
      faces: [{ cssFamily: 'pb-kai', family: '/usr/share/fonts/truetype/arphic/ukai.ttc#0', weight: 'regular' }],
      text: '文',
      cacheDir: await tempDir(),
    });
    expect(faces[0]!.sourceIndex).toBe(0);
    expect(faces[0]!.sourceFamily).toMatch(/UKai/);
  });

  it('explains a missing Python interpreter', async () => {
    const cacheDir = await tempDir();
    await expect(
      withPython('/nonexistent/python3', () => prepareFonts({ faces: [NOTO], text: TEXT, cacheDir })),
    ).rejects.toThrow(/\/nonexistent\/python3 not found.*apt-get install python3-fonttools/);
  });

  it('explains a Python without fontTools', async () => {
    const dir = await tempDir();
    const fake = path.join(dir, 'python-without-fonttools');
    await writeFile(fake, '#!/bin/sh\nexec /usr/bin/python3 -I -S "$@"\n');
    await chmod(fake, 0o755);
    await expect(
      withPython(fake, () => prepareFonts({ faces: [NOTO], text: TEXT, cacheDir: path.join(dir, 'cache') })),
    ).rejects.toThrow(/fontTools is not available.*apt-get install python3-fonttools/);
  });

  it('refuses the same css face twice', async () => {
    await expect(prepareFonts({ faces: [NOTO, NOTO], text: TEXT, cacheDir: await tempDir() })).rejects.toThrow(
      /requested twice/,
    );
  });
});

describe('source font hashes', () => {
  const LIBERATION = '/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf';
  const hashOf = async (f: string) => createHash('sha256').update(await readFile(f)).digest('hex');
  const recordIn = async (cacheDir: string) => {
    const names = await readdir(path.join(cacheDir, 'sources'));
    expect(names).toHaveLength(1);
    return path.join(cacheDir, 'sources', names[0]!);
  };

  it('are remembered in the cache and used while the file is unchanged', async () => {
    const dir = await tempDir();
    const font = path.join(dir, 'font.ttf');
    await copyFile(LIBERATION, font);
    const cacheDir = path.join(dir, 'cache');
    expect(await cachedSourceSha256(font, cacheDir)).toBe(await hashOf(font));
    // A record with another hash but the file's identity is believed: the file is not read again.
    const record = await recordIn(cacheDir);
    const r = JSON.parse(await readFile(record, 'utf8'));
    await writeFile(record, JSON.stringify({ ...r, sha256: 'a'.repeat(64) }));
    expect(await cachedSourceSha256(font, cacheDir)).toBe('a'.repeat(64));
  });

  it('are computed again when the file changes, even with its size and mtime restored', async () => {
    const dir = await tempDir();
    const font = path.join(dir, 'font.ttf');
    await copyFile(LIBERATION, font);
    const cacheDir = path.join(dir, 'cache');
    const before = await cachedSourceSha256(font, cacheDir);
    const st = await stat(font);
    const bytes = await readFile(font);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    await writeFile(font, bytes);
    await utimes(font, st.atime, st.mtime);
    const after = await cachedSourceSha256(font, cacheDir);
    expect(after).not.toBe(before);
    expect(after).toBe(await hashOf(font));
    // The record now holds the new hash.
    expect(JSON.parse(await readFile(await recordIn(cacheDir), 'utf8')).sha256).toBe(after);
  });

  it('are computed when the cache cannot be written', async () => {
    const dir = await tempDir();
    const blocker = path.join(dir, 'not-a-dir');
    await writeFile(blocker, '');
    expect(await cachedSourceSha256(LIBERATION, path.join(blocker, 'cache'))).toBe(await hashOf(LIBERATION));
  });

  it('give prepareFonts the same source hash from a warm cache as from a cold one', async () => {
    const cacheDir = await tempDir();
    const face: FaceRequest = { cssFamily: 'pb-latin', family: LIBERATION, weight: 'regular' };
    const cold = await prepareFonts({ faces: [face], text: 'abc', cacheDir });
    const warm = await prepareFonts({ faces: [face], text: 'abc', cacheDir });
    expect(warm.faces[0]!.cached).toBe(true);
    expect(warm.faces[0]!.sourceSha256).toBe(cold.faces[0]!.sourceSha256);
    expect(cold.faces[0]!.sourceSha256).toBe(await hashOf(LIBERATION));
  });
});

describe('subset repertoire', () => {
  it('keeps the text plus ASCII, punctuation and full-width forms', () => {
    const cps = new Set(subsetCodepoints('浙\n江'));
    for (const c of [0x6d59, 0x6c5f, 0x41, 0x7e, 0x3002, 0xff0c, 0x2014, 0x2026, 0x203b, 0x7b2c, 0x7248]) {
      expect(cps.has(c), c.toString(16)).toBe(true);
    }
    expect(cps.has(0x0a)).toBe(false);
  });

  it('ignores whitespace and controls when listing characters', () => {
    expect(printableChars('a b\u3000\n\u200b𠀀a')).toEqual(['a', 'b', '𠀀']);
  });

  it('chooses the cache directory from the environment', () => {
    expect(defaultCacheDir({ PAIBAN_CACHE: '/c' })).toBe('/c');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/paiban/fonts');
    expect(defaultCacheDir({})).toBe(path.join(os.homedir(), '.cache', 'paiban', 'fonts'));
  });
});
