import { describe, expect, it } from 'vitest';
import { fallbackGroups, fallbackRequests } from '../../src/fonts/fallback.ts';
import { unpreparedRuns, unreachedChars, type FaceCoverage } from '../../src/fonts/usage.ts';
import { loadHyphenators } from '../../src/compose/hyphenate.ts';

const cps = (s: string) => new Set([...s].map((c) => c.codePointAt(0)!));
const face = (cssFamily: string, has: string, weight: 'regular' | 'bold' = 'regular'): FaceCoverage => ({ cssFamily, weight, style: 'normal', has: cps(has) });

describe('characters no face of the stack has', () => {
  const faces = [face('pb-body', '中文，'), face('pb-mono', 'abc中文'), face('pb-fallback', '龘')];
  it('are those a run cannot find in any face of its family list, and generated content no face has', () => {
    const runs = [
      { families: '"pb-body", "pb-fallback"', weight: 400, style: 'normal', text: '中文龘☃' },
      { families: '"pb-mono", "pb-fallback"', weight: 400, style: 'normal', text: 'abc文ℜ' },
      { families: 'serif', weight: 400, style: 'normal', text: '⊢' },
    ];
    expect(unreachedChars(runs, faces, '■ 中')).toEqual(['☃', 'ℜ', '■'].sort());
    expect(unpreparedRuns(runs, faces).map((r) => r.families)).toEqual(['serif']);
  });

  it('get a face per face of the stack, whose range is what that face lacks', () => {
    const reqs = fallbackRequests(
      [{ cssFamily: 'pb-body', family: 'A', weight: 'regular' }, { cssFamily: 'pb-mono', family: 'M', weight: 'bold' }],
      [face('pb-body', '☃'), face('pb-mono', '', 'bold')],
      [{ spec: '/f.ttf#0', family: 'F', chars: ['ℜ', '☃'] }],
    );
    expect(reqs).toEqual([
      { cssFamily: 'pb-body', family: '/f.ttf#0', weight: 'regular', style: 'normal', text: 'ℜ☃', unicodeRange: [0x211c] },
      { cssFamily: 'pb-mono', family: '/f.ttf#0', weight: 'bold', style: 'normal', text: 'ℜ☃', unicodeRange: [0x211c, 0x2603] },
    ]);
  });

  it('are found in an installed font that has them, in fontconfig order; none for a character no font has, nor for a private-use one', async () => {
    const groups = await fallbackGroups(['ℜ', '\u{20000}', '\uE000'], 'zh-CN');
    expect(groups).toHaveLength(1);
    expect(groups[0]!.chars).toEqual(['ℜ']);
    expect(groups[0]!.spec).toMatch(/\.(ttf|otf|ttc)#\d+$/);
  });
});

describe('hyphenation', () => {
  it('leaves code, kbd, samp and pre alone and hyphenates the prose around them', async () => {
    const h = (await loadHyphenators(['en'])).get('en')!;
    const out = h('<p>Extraordinarily <code>internationalization</code> <kbd>Configuration</kbd></p><pre><code>documentation\n</code></pre>');
    expect(out).toContain('Ex\u00adtra');
    expect(out).toContain('<code>internationalization</code>');
    expect(out).toContain('<kbd>Configuration</kbd>');
    expect(out).toContain('<pre><code>documentation\n</code></pre>');
  });
});
