import { describe, it, expect } from 'vitest';
import { CODE_CSS, fontFaceCss, unicodeRange } from '../../src/fonts/css.ts';
import type { PreparedFace, PreparedFonts } from '../../src/fonts/prepare.ts';

function face(over: Partial<PreparedFace>): PreparedFace {
  return {
    cssFamily: 'pb-body', weight: 'regular', style: 'normal', sourceFamily: 'X', sourceStyle: 'Regular', exact: true,
    sourceFile: '/x.ttc', sourceIndex: 0, sourceSha256: 'a', file: '/cache/a.ttf', sha256: 'b', size: 1, glyphs: 1,
    missing: [], converted: true, cached: false, warnings: [], ...over,
  };
}

describe('fontFaceCss', () => {
  it('emits one @font-face rule per face', () => {
    const fonts: PreparedFonts = {
      faces: [face({}), face({ weight: 'bold', file: '/cache/b.ttf' }), face({ cssFamily: 'pb-kai', style: 'italic', file: '/cache/c.ttf' })],
      uncovered: [],
    };
    const css = fontFaceCss(fonts, (f) => `fonts/${f.file.split('/').pop()}`);
    expect(css.match(/@font-face/g)).toHaveLength(3);
    expect(css.match(/font-display: block;/g)).toHaveLength(3);
    expect(css).toContain('src: url("fonts/a.ttf") format("truetype");');
    expect(css).toContain('font-weight: 700;');
    expect(css).toContain('font-family: "pb-kai";');
    expect(css).toContain('font-style: italic;');
  });

  it('escapes quotes in names and URLs', () => {
    const css = fontFaceCss({ faces: [face({ cssFamily: 'a"b' })], uncovered: [] }, () => 'file:///a"b.ttf');
    expect(css).toContain('font-family: "a\\"b";');
    expect(css).toContain('url("file:///a\\"b.ttf")');
  });

  it('has no rule without faces, and always the rules that set code in the prepared mono face', () => {
    const css = fontFaceCss({ faces: [], uncovered: [] }, () => '');
    expect(css).not.toContain('@font-face');
    expect(css).toBe(CODE_CSS);
    expect(CODE_CSS).toMatch(/code, kbd, samp, pre[^{]*\{ font-family: "pb-mono", "pb-fallback"; hyphens: none;/);
  });

  it('gives a fallback face the unicode-range of its characters, consecutive ones joined', () => {
    const css = fontFaceCss({ faces: [face({}), face({ file: '/cache/x.ttf', unicodeRange: [0x2603, 0x4e00, 0x4e01, 0x4e02, 0x20000] })], uncovered: [] }, (f) => f.file);
    expect(css.match(/unicode-range/g)).toHaveLength(1);
    expect(css).toContain('unicode-range: U+2603, U+4E00-4E02, U+20000;');
    expect(unicodeRange([5, 3, 4])).toBe('U+3-5');
  });
});
