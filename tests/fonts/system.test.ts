import { describe, it, expect } from 'vitest';
import { debianPackageFor, isFontPath, parseFontPath, resolveFamily } from '../../src/fonts/system.ts';

describe('resolveFamily', () => {
  it('finds Noto Serif CJK SC regular and bold in the collections', async () => {
    const regular = await resolveFamily('Noto Serif CJK SC', { weight: 'regular' });
    expect(regular.file).toMatch(/NotoSerifCJK-Regular\.ttc$/);
    expect(regular.family).toBe('Noto Serif CJK SC');
    expect(regular.exact).toBe(true);
    const bold = await resolveFamily('noto serif cjk sc', { weight: 'bold' });
    expect(bold.file).toMatch(/NotoSerifCJK-Bold\.ttc$/);
    expect(bold.index).toBe(regular.index);
    expect(bold.style).toBe('Bold');
  });

  it('says when a weight or style would be synthesized', async () => {
    const bold = await resolveFamily('AR PL UKai CN', { weight: 'bold' });
    expect(bold.file).toMatch(/ukai\.ttc$/);
    expect(bold.exact).toBe(false);
    const italic = await resolveFamily('Liberation Serif', { weight: 'bold', style: 'italic' });
    expect(italic.file).toMatch(/LiberationSerif-BoldItalic\.ttf$/);
    expect(italic.exact).toBe(true);
  });

  it('fails clearly for a family that is not installed', async () => {
    await expect(resolveFamily('Nonexistent Serif XYZ', { weight: 'regular' })).rejects.toThrow(
      /Font family "Nonexistent Serif XYZ" is not installed \(fontconfig would substitute "[^"]+"\)/,
    );
  });

  it('names the Debian package of a known family', async () => {
    await expect(resolveFamily('WenQuanYi Zen Hei', { weight: 'regular' })).rejects.toThrow(
      /"WenQuanYi Zen Hei" is not installed .*apt-get install fonts-wqy-zenhei/,
    );
    expect(debianPackageFor('Noto Serif CJK SC')).toBe('fonts-noto-cjk');
    expect(debianPackageFor('AR PL UKai CN')).toBe('fonts-arphic-ukai');
    expect(debianPackageFor('AR PL UMing CN')).toBe('fonts-arphic-uming');
    expect(debianPackageFor('Liberation Serif')).toBe('fonts-liberation2');
    expect(debianPackageFor('Some Font')).toBeUndefined();
  });

  it('accepts explicit font files, with a collection index', async () => {
    const face = await resolveFamily('/usr/share/fonts/truetype/arphic/ukai.ttc#1', { weight: 'regular' });
    expect(face).toMatchObject({ file: '/usr/share/fonts/truetype/arphic/ukai.ttc', index: 1 });
    expect(face.family).toMatch(/^AR PL UKai/);
    await expect(resolveFamily('/nope/font.ttf', { weight: 'regular' })).rejects.toThrow(/\/nope\/font\.ttf .*does not exist/);
    await expect(resolveFamily('/usr/share/fonts/truetype/arphic/ukai.ttc#99', { weight: 'regular' })).rejects.toThrow(
      /no face number 99/,
    );
  });

  it('tells paths from family names', () => {
    expect(isFontPath('Noto Serif CJK SC')).toBe(false);
    expect(isFontPath('fonts/a.ttc#2')).toBe(true);
    expect(isFontPath('a.otf')).toBe(true);
    expect(parseFontPath('a.ttc#2')).toEqual({ file: 'a.ttc', index: 2 });
    expect(parseFontPath('/x/a.ttf')).toEqual({ file: '/x/a.ttf', index: 0 });
  });
});
