import { describe, it, expect } from 'vitest';
import { cjkSystemsOf, documentLanguages, environmentLanguages, unusedCjkSystems } from '../../src/fonts/languages.ts';
import { runSubset } from '../../src/fonts/python.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

describe('CJK language systems', () => {
  it('maps languages to the systems HarfBuzz may select', () => {
    expect(cjkSystemsOf('zh-CN')).toEqual(['ZHS']);
    expect(cjkSystemsOf('zh')).toEqual(['ZHS']);
    expect(cjkSystemsOf('zh-Hans-SG')).toEqual(['ZHS']);
    expect(cjkSystemsOf('zh-TW')).toEqual(['ZHT']);
    expect(cjkSystemsOf('zh-Hant')).toEqual(['ZHT']);
    expect(cjkSystemsOf('zh-HK')).toEqual(['ZHS', 'ZHT', 'ZHH', 'ZHTM']);
    expect(cjkSystemsOf('ja')).toEqual(['JAN']);
    expect(cjkSystemsOf('ko-KR')).toEqual(['KOR']);
    expect(cjkSystemsOf('lzh')).toEqual(['ZHS', 'ZHT', 'ZHH', 'ZHTM']);
    expect(cjkSystemsOf('en-GB')).toEqual([]);
    expect(cjkSystemsOf('und')).toBeUndefined();
    expect(cjkSystemsOf('')).toBeUndefined();
  });

  it('reads the languages of a document and of the environment', () => {
    expect(documentLanguages('<html lang="zh-CN"><p xml:lang=en lang=\'en\'>')).toEqual(['en', 'zh-CN']);
    expect(environmentLanguages({ LANG: 'zh_TW.UTF-8', LC_ALL: 'C' })).toEqual(['zh-TW']);
  });

  it('drops only systems no language selects, and none for a language it cannot place', () => {
    expect(unusedCjkSystems('<html lang="zh-CN"><p lang="en">', {})).toEqual(['JAN', 'KOR', 'ZHT', 'ZHH', 'ZHTM']);
    expect(unusedCjkSystems('<html lang="zh-CN">', { LANG: 'ja_JP.UTF-8' })).toEqual(['KOR', 'ZHT', 'ZHH', 'ZHTM']);
    expect(unusedCjkSystems('<html lang="zh-CN"><p lang="">', {})).toEqual([]);
  });
});

describe('subset.py dropLanguages', () => {
  it('leaves out the locale forms of dropped language systems', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'paiban-langsys-'));
    try {
      // 骨, 直, 角 have Japanese, Korean and Traditional forms under locl in Noto CJK SC.
      const req = { source: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', index: 2, codepoints: [...'骨直角'].map((c) => c.codePointAt(0)!) };
      const all = await runSubset({ ...req, output: path.join(dir, 'all.ttf') });
      const zhs = await runSubset({ ...req, output: path.join(dir, 'zhs.ttf'), dropLanguages: ['JAN', 'KOR', 'ZHT', 'ZHH', 'ZHTM'] } as Parameters<typeof runSubset>[0]);
      expect(zhs.missing).toEqual([]);
      expect(zhs.glyphs).toBeLessThan(all.glyphs);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
