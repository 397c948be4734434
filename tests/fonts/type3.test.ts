/**
 * Type 3 never: every face Chromium sets text in is one paiban prepared (subset, TrueType). Code
 * spans and blocks with Chinese, Latin and rare characters, keyboard keys, characters no face of
 * the stack has, generated content; and a Type 3 font forced in by a template that names a CFF
 * system face is an error naming the face and the text.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build.ts';
import { launchBrowser, type BrowserHandle } from '../../src/paginate/browser.ts';
import { chineseText, writeEdition } from '../helpers/editions.ts';
import { pdffonts, pdftotext } from '../helpers/tools.ts';

let browser: BrowserHandle;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const yaml = (lang: string, extra = '') => `title: 代码测试
publication: 测试日报
date: 2022-06-15
language: ${lang}
paper: a4
html: true
${extra}pages:
  - layout: flow
    articles:
      - { file: code.md }
      - { file: english.md }
`;

const codeZh = [
  '正文里有代码 `console.log("你好，世界")`、`变量名 = 值;` 和 <kbd>Ctrl</kbd>+<kbd>复制</kbd> 键。',
  // ℜ℘⊢▵: in no face of the stack; on Debian only in URW's CFF faces and DejaVu.
  '生僻的符号ℜ℘⊢▵也在正文里，代码里也有 `ℑ⇑中文∮` 和 `naïve→代码`。',
  '```js\n// 注释：中文，English，数字 12345\nconst 名字 = "张三"; // ∮ ≠ ± ℜ\nfunction internationalization_configuration() { return "国际化"; }\n```',
  ...chineseText(300),
];
const codeEn = [
  'The function `internationalizationConfiguration()` and the key <kbd>Shift</kbd> are code, and so is `北京 Beijing`. Extraordinarily comprehensive documentation characterises incomprehensibilities.',
  '```\nconst extraordinarilyLongIdentifierName = "上海";\n```',
];

function edition(extra = ''): string {
  return writeEdition('code', yaml('zh-CN', extra), [
    { file: 'code.md', title: '代码里的中文', paragraphs: codeZh },
    { file: 'english.md', title: 'Code in English', paragraphs: codeEn, front: { lang: 'en' } },
  ]);
}
const outDir = () => mkdtempSync(path.join(os.tmpdir(), 'paiban-type3-'));

describe('Type 3 never', () => {
  it('sets code spans, code blocks, keys and characters the stack lacks in prepared TrueType faces', async () => {
    const out = outDir();
    const r = await build(edition(), { out, browser, pdf: true });
    expect(r.diagnostics.items.filter((d) => d.rule === 'font-type3' || d.rule === 'font-unprepared')).toEqual([]);
    expect(r.ok).toBe(true);
    const pdf = path.join(out, 'code.pdf');
    const fonts = pdffonts(pdf);
    expect(fonts.filter((f) => f.type === 'Type 3')).toEqual([]);
    expect(fonts.every((f) => f.type === 'CID TrueType' && f.emb === 'yes')).toBe(true);
    // Code is set in the mono face; the rare symbols in a face paiban found and prepared.
    expect(fonts.some((f) => /NotoSansMonoCJKsc/.test(f.name))).toBe(true);
    const manifest = JSON.parse(readFileSync(path.join(out, 'code.manifest.json'), 'utf8')) as { fonts: { role: string; family: string }[] };
    expect(manifest.fonts.some((f) => f.role === 'pb-mono' && f.family === 'Noto Sans Mono CJK SC')).toBe(true);
    // The fallback faces are recorded beside the faces they complete.
    expect(manifest.fonts.some((f) => f.role === 'pb-body' && f.family === 'Noto Serif CJK SC')).toBe(true);
    expect(manifest.fonts.some((f) => f.role === 'pb-body (fallback)')).toBe(true);
    expect(r.diagnostics.items.some((d) => d.rule === 'font' && /ℜ/.test(d.message) && /subset and converted/.test(d.message))).toBe(true);
    const text = pdftotext(pdf, '-raw').replace(/\s+/g, '');
    for (const s of ['console.log("你好，世界")', 'ℑ⇑中文∮', 'ℜ℘⊢▵', 'constextraordinarilyLongIdentifierName="上海";', 'internationalizationConfiguration()', 'Ctrl+复制']) expect(text).toContain(s);
    // Code is not hyphenated (prose around it is).
    expect(text).not.toMatch(/international[\u2010-]/);
  });

  it('is an error naming the face and the text when a template sets text in a CFF system face', async () => {
    const dir = edition('template: ./own\n');
    cpSync(path.resolve('templates/newspaper'), path.join(dir, 'own'), { recursive: true });
    // A template of one's own naming a system face: Chromium embeds Noto CJK (CFF) as Type 3.
    writeFileSync(path.join(dir, 'own/newspaper.css'), `${readFileSync(path.resolve('styles/newspaper.css'), 'utf8')}\n.pb-title { font-family: "Noto Sans CJK SC"; }\n`);
    const out = outDir();
    const r = await build(dir, { out, browser, pdf: true });
    expect(r.ok).toBe(false);
    expect(r.outputs).toEqual([]);
    const errors = r.diagnostics.items.filter((d) => d.rule === 'font-type3');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.severity).toBe('error');
    expect(errors[0]!.file).toBe('code.md');
    expect(errors[0]!.message).toMatch(/NotoSansCJKsc-(Regular|Bold)/);
    for (const ch of '代码里的中文') expect(errors[0]!.message).toContain(ch);
    // The face plan saw it coming.
    expect(r.diagnostics.items.some((d) => d.rule === 'font-unprepared' && /Noto Sans CJK SC/.test(d.message))).toBe(true);
  });
});
