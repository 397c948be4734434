/**
 * subset.py leaves out the subsetter's work on a CFF table that is converted to TrueType right
 * after (skip_cff_tidying): the subsets are the same bytes as with that work done, for the CJK
 * faces paiban prints with (CID-keyed CFF), in Chinese text with Latin and punctuation.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSubset } from '../../src/fonts/python.ts';
import { resolveFamily } from '../../src/fonts/system.ts';

const TEXT = '浙江日报特别报道：“八八战略”实施二十年——山海协作，共同富裕。Zhejiang Daily, 2022 — café ﬁ 123（完）';

describe('subsetting a CFF face without tidying the CFF it replaces', () => {
  for (const [family, weight] of [['Noto Serif CJK SC', 'regular'], ['Noto Sans CJK SC', 'bold']] as const) {
    it(`gives the same bytes for ${family} ${weight}`, async () => {
      const face = await resolveFamily(family, { weight });
      const dir = await mkdtemp(path.join(os.tmpdir(), 'paiban-subset-'));
      try {
        const req = { source: face.file, index: face.index, codepoints: [...new Set([...TEXT].map((c) => c.codePointAt(0)!))], dropLanguages: ['JAN', 'KOR', 'ZHT', 'ZHH', 'ZHTM'] };
        const fast = await runSubset({ ...req, output: path.join(dir, 'fast.ttf') });
        const tidy = await runSubset({ ...req, output: path.join(dir, 'tidy.ttf'), tidyCff: true });
        expect(fast.converted).toBe(true);
        expect(fast.glyphs).toBe(tidy.glyphs);
        expect(fast.glyphs).toBeGreaterThan(40);
        expect((await readFile(path.join(dir, 'fast.ttf'))).equals(await readFile(path.join(dir, 'tidy.ttf')))).toBe(true);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});
