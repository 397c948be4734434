import { describe, it, expect, afterAll } from 'vitest';
import { chmod, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { prepareFonts, printableChars, subsetCodepoints, defaultCacheDir, type FaceRequest } from '../../src/fonts/prepare.ts';
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
    // Only the cached font and its report: no temp files left behind.
    expect((await readdir(cacheDir)).sort()).toEqual([path.basename(face.file), `${path.basename(face.file)}.json`]);
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
