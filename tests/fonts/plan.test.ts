import { describe, it, expect, afterAll } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { prepareEdition } from '../../src/prepare.ts';
import { Diagnostics } from '../../src/diagnostics.ts';
import { launchBrowser } from '../../src/browser/browser.ts';
import { prepareFonts, printableChars } from '../../src/fonts/prepare.ts';

const DEMO = path.resolve('content/zjrb-2022-06-15');
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('each face subset to its own characters', () => {
  it('gives the demo\'s faces their own text, keeps every character printable, and rebuilds the same subsets', async () => {
    const cache = await mkdtemp(path.join(os.tmpdir(), 'paiban-plan-'));
    dirs.push(cache);
    const saved = process.env.PAIBAN_CACHE;
    process.env.PAIBAN_CACHE = cache;
    const browser = launchBrowser();
    try {
      const whole = await prepareEdition(DEMO, { diagnostics: new Diagnostics() });
      const own = await prepareEdition(DEMO, { diagnostics: new Diagnostics(), browser });
      const again = await prepareEdition(DEMO, { diagnostics: new Diagnostics(), browser });
      const size = (p: typeof whole) => p.fonts.faces.reduce((n, f) => n + f.size, 0);
      expect(size(own)).toBeLessThan(size(whole) / 2);
      expect(own.fonts.uncovered).toEqual(whole.fonts.uncovered);
      expect(again.fonts.faces.map((f) => f.sha256)).toEqual(own.fonts.faces.map((f) => f.sha256));
      const face = (p: typeof whole, fam: string, weight = 'regular') => p.fonts.faces.find((f) => f.cssFamily === fam && f.weight === weight)!;
      // The body face sets nearly every character; the fallback face only what no other face has.
      expect(face(own, 'pb-body').glyphs).toBeGreaterThan(face(own, 'pb-fallback').glyphs * 3);
      expect(face(own, 'pb-heading', 'bold').glyphs).toBeLessThan(face(whole, 'pb-heading', 'bold').glyphs);
    } finally {
      await (await browser).close();
      if (saved === undefined) delete process.env.PAIBAN_CACHE;
      else process.env.PAIBAN_CACHE = saved;
    }
  }, 300_000);

  it('subsets a face to its own text and reports as uncovered only what the faces that set it lack', async () => {
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'paiban-plan-'));
    dirs.push(cacheDir);
    const latin = { cssFamily: 'pb-latin', family: 'Liberation Serif', weight: 'regular' as const };
    const body = { cssFamily: 'pb-body', family: 'Noto Sans CJK SC', weight: 'regular' as const };
    // 中 is set in the Latin face only (which lacks it): an empty box although the CJK face has it.
    const res = await prepareFonts({ faces: [{ ...latin, text: 'Ab中' }, { ...body, text: '文' }], text: 'Ab中文', cacheDir });
    expect(res.faces[0]!.missing).toEqual(['中']);
    expect(res.faces[1]!.missing).toEqual([]);
    expect(res.uncovered).toEqual(['中']);
    const dropped = await prepareFonts({ faces: [{ ...body, text: '骨' }], text: '骨', cacheDir, dropLanguages: ['JAN', 'KOR', 'ZHT', 'ZHH', 'ZHTM'] });
    const kept = await prepareFonts({ faces: [{ ...body, text: '骨' }], text: '骨', cacheDir });
    expect(dropped.faces[0]!.glyphs).toBeLessThan(kept.faces[0]!.glyphs);
    expect(printableChars('骨')).toEqual(['骨']);
  }, 300_000);
});
