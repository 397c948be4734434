/**
 * The mistakes a new user makes in edition.yaml, template.yaml and front matter, each with the
 * exact answer: one error per mistake, at the line where it starts, with what to do.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../src/compose/template.ts';
import { loadEdition } from '../../src/load/edition.ts';
import { closest } from '../../src/load/suggest.ts';
import { toPoints, trimSize, type EditionConfig } from '../../src/config/schema.ts';
import { PaibanError } from '../../src/errors.ts';
import { REPO, article, errorsOf, lines, tempEdition } from './helpers.ts';

const A = article({ title: 'A' }, 'Text.');
/** edition.yaml: title on line 1 … paper on line 5, pages on 6, the article on 9. */
const yaml = (over: Record<string, string> = {}, extra: string[] = []) =>
  lines(
    `title: ${over.title ?? 'Test'}`,
    `publication: ${over.publication ?? 'Test Daily'}`,
    `date: ${over.date ?? '2022-06-15'}`,
    `language: ${over.language ?? 'en'}`,
    `paper: ${over.paper ?? 'a4'}`,
    ...extra,
    'pages:',
    '  - layout: flow',
    '    articles:',
    '      - { file: a.md }',
  );
const load = async (files: Record<string, string | Uint8Array>) => errorsOf(loadEdition(await tempEdition({ 'a.md': A, ...files })));
const shape = (e: PaibanError) => ({ code: e.code, line: e.where?.line, message: e.message, hint: e.hint });

describe('lengths need a unit', () => {
  it('print.bleed: 3 is an error with the fix', async () => {
    const errors = await load({ 'edition.yaml': yaml({}, ['print: { bleed: 3 }']) });
    expect(errors.map(shape)).toEqual([
      { code: 'EditionInvalid', line: 6, message: 'print.bleed: 3 has no unit (a bare number could be points, millimetres or pixels)', hint: 'write 3mm, 3pt or 3in (mm, cm, in, pt and px are understood)' },
    ]);
    expect(errors[0]!.where?.column).toBe(10); // the key bleed
  });

  it('paper: { width: 300, height: 420 } names both, on their line', async () => {
    const errors = await load({ 'edition.yaml': yaml({ paper: '{ width: 300, height: 420 }' }) });
    expect(errors.map((e) => [e.where?.line, e.message])).toEqual([
      [5, 'paper.width: 300 has no unit (a bare number could be points, millimetres or pixels)'],
      [5, 'paper.height: 420 has no unit (a bare number could be points, millimetres or pixels)'],
    ]);
  });

  it('a word that is not a length', async () => {
    const [e] = await load({ 'edition.yaml': yaml({}, ['print: { bleed: 3 millimetres }']) });
    expect(e!.message).toBe('print.bleed: "3 millimetres" is not a length');
    expect(e!.hint).toBe('write 3mm, 3pt or 3in (mm, cm, in, pt and px are understood)');
  });

  it('units in any case, and Chinese type sizes for the body type', async () => {
    const e = await loadEdition(await tempEdition({ 'a.md': A, 'edition.yaml': yaml({ paper: '{ width: 30CM, height: 42cm }' }, ['type: { body: 五号 }']) }));
    expect(e.config.paper).toEqual({ width: toPoints('300mm'), height: toPoints('420mm') });
    expect(e.config.type?.body).toBe(10.5);
  });

  it('template.yaml too: a bare gutter is an error in the template file', async () => {
    const dir = await tempEdition({ 'a.md': A, 'edition.yaml': yaml() });
    const theme = path.join(dir, 'theme');
    const { cpSync, readFileSync, writeFileSync } = await import('node:fs');
    cpSync(path.join(REPO, 'templates', 'newspaper'), theme, { recursive: true });
    writeFileSync(path.join(theme, 'template.yaml'), readFileSync(path.join(theme, 'template.yaml'), 'utf8').replace('gutter: 4.5mm', 'gutter: 4.5'));
    const [e] = await errorsOf(loadTemplate('./theme', dir));
    expect(e!.where?.file).toBe('theme/template.yaml');
    expect(e!.message).toBe('grid.gutter: 4.5 has no unit (a bare number could be points, millimetres or pixels)');
    expect(e!.hint).toBe('write 4.5mm, 4.5pt or 4.5in (mm, cm, in, pt and px are understood)');
  });
});

describe('paper names', () => {
  it.each([['A3', 297], ['Letter', 215.9], ['BROADSHEET', 390], [' tabloid ', 270]])('%s is known whatever its case', async (name, width) => {
    const e = await loadEdition(await tempEdition({ 'a.md': A, 'edition.yaml': yaml({ paper: name }) }));
    expect(trimSize(e.config as EditionConfig).width).toBeCloseTo(toPoints(`${width}mm`), 6);
  });

  it('an unknown one is answered with the list', async () => {
    const errors = await load({ 'edition.yaml': yaml({ paper: 'A5' }) });
    expect(errors.map(shape)).toEqual([
      {
        code: 'EditionInvalid',
        line: 5,
        message: 'paper: "A5" is not a paper size paiban knows',
        hint: 'use one of broadsheet (390 × 540 mm), berliner (315 × 470 mm), tabloid (270 × 390 mm), a3 (297 × 420 mm), a4 (210 × 297 mm), letter (215.9 × 279.4 mm), or give the trim size: paper: { width: 300mm, height: 420mm }',
      },
    ]);
  });
});

describe('did you mean', () => {
  it('a misspelt required key: one message, at the misspelling, not also "required"', async () => {
    const errors = await load({ 'edition.yaml': yaml().replace('publication:', 'publicaton:') });
    expect(errors.map(shape)).toEqual([{ code: 'EditionInvalid', line: 2, message: 'unknown field "publicaton": did you mean "publication"?', hint: 'rename it to publication' }]);
  });

  it('inside a page and an article entry', async () => {
    const errors = await load({ 'edition.yaml': yaml().replace('    articles:', '    artciles:').replace('{ file: a.md }', '{ file: a.md, slto: x }') });
    expect(errors.map((e) => [e.where?.line, e.message, e.hint])).toEqual([[8, 'pages.0: unknown field "artciles": did you mean "articles"?', 'rename it to articles']]);
  });

  it('an unknown key with nothing near it lists the fields', async () => {
    const [e] = await load({ 'edition.yaml': yaml({}, ['print: { colour: red }']) });
    expect(e!.message).toBe('print: unknown field "colour"');
    expect(e!.hint).toBe('remove it, or use one of: bleed, marks, downsample');
  });

  it('a misspelt value of a fixed set', async () => {
    const [e] = await load({ 'edition.yaml': yaml().replace('{ file: a.md }', '{ file: a.md, fit: atuo }') });
    expect(e!.message).toBe('pages.0.articles.0.fit: "atuo" is not one of "auto", "none": did you mean "auto"?');
    expect(e!.where?.line).toBe(9);
  });

  it('a value that does not match its pattern says what is expected', async () => {
    const [e] = await load({ 'edition.yaml': yaml({ language: 'Chinese' }) });
    expect([e!.where?.line, e!.message]).toEqual([4, 'language: "Chinese" is not a BCP 47 language tag such as zh-CN or en']);
  });

  it('a misspelt title in front matter points at the misspelling', async () => {
    const errors = await load({ 'edition.yaml': yaml(), 'a.md': '---\nbyline: Someone\ntilte: A headline\n---\n\nText.\n' });
    expect(errors.map((e) => [e.code, e.where?.file, e.where?.line, e.message, e.hint])).toEqual([
      ['FrontMatterInvalid', 'a.md', 3, 'title: is required but missing, and "tilte" looks like a misspelling of it', 'rename tilte to title'],
    ]);
  });

  it('suggests only what is near', () => {
    expect(closest('publicaton', ['publication', 'title'])).toBe('publication');
    expect(closest('Title', ['title'])).toBe('title');
    expect(closest('slto', ['slot', 'file', 'fit'])).toBe('slot');
    expect(closest('colour', ['bleed', 'marks', 'downsample'])).toBeUndefined();
  });
});

describe('YAML syntax', () => {
  it('an unquoted title with an ASCII colon: quote it', async () => {
    const errors = await load({ 'edition.yaml': yaml({ title: '闪亮“浙”五年: 特别报道' }) });
    expect(errors.map(shape)).toEqual([
      {
        code: 'EditionInvalid',
        line: 1,
        message: 'YAML syntax: the value of title holds ": ", which YAML reads as the start of another field',
        hint: 'quote the value: title: "闪亮“浙”五年: 特别报道" (or write the full-width colon ：, as Chinese text does)',
      },
    ]);
  });

  it('the same in front matter, at the line in the article', async () => {
    const [e] = await load({ 'edition.yaml': yaml(), 'a.md': '---\ntitle: Budget: what it means\n---\n\nText.\n' });
    expect([e!.code, e!.where?.file, e!.where?.line, e!.hint]).toEqual(['FrontMatterInvalid', 'a.md', 2, 'quote the value: title: "Budget: what it means"']);
  });

  it('an unclosed [ is reported where it opens, not where the parser gave up', async () => {
    const [e, more] = await load({ 'edition.yaml': yaml().replace('title: Test', 'title: [Test') });
    expect(more).toBeUndefined();
    expect(shape(e!)).toEqual({ code: 'EditionInvalid', line: 1, message: 'YAML syntax: the [ opened here is never closed', hint: 'close it with ], or quote the value if the [ belongs to the text' });
    expect(e!.where?.column).toBe(8);
  });

  it('a tab in the indentation: one error, naming the tab', async () => {
    const errors = await load({ 'edition.yaml': yaml().replace('    articles:', '\tarticles:') });
    expect(errors.map(shape)).toEqual([
      { code: 'EditionInvalid', line: 8, message: 'YAML syntax: a tab in the indentation of line 8', hint: 'YAML indents with spaces, never tabs: replace the tab with spaces, lined up with the fields around it' },
    ]);
  });

  it('a key given twice names the first', async () => {
    const [e] = await load({ 'edition.yaml': yaml({}, ['title: Again']) });
    expect(shape(e!)).toEqual({ code: 'EditionInvalid', line: 6, message: 'YAML syntax: "title" is given twice (first at line 1)', hint: 'keep one of them in edition.yaml' });
  });
});

describe('the edition folder', () => {
  it('edition.yaml is taken where its folder is expected', async () => {
    const dir = await tempEdition({ 'a.md': A, 'edition.yaml': yaml() });
    const e = await loadEdition(path.join(dir, 'edition.yaml'));
    expect(e.dir).toBe(dir);
    expect(e.slug).toBe('edition');
  });

  it('another file is answered with its folder', async () => {
    const dir = await tempEdition({ 'a.md': A, 'edition.yaml': yaml() });
    const [e] = await errorsOf(loadEdition(path.join(dir, 'a.md')));
    expect([e!.code, e!.message, e!.hint]).toEqual(['EditionNotFound', `${path.join(dir, 'a.md')} is a file, not an edition folder`, `give the edition's folder instead: ${dir}`]);
  });
});

describe('the UTF-8 hint names the kind of file', () => {
  const gb = Buffer.from([0xd5, 0xe3, 0xbd, 0xad]);
  it.each([
    ['edition.yaml', 'save edition.yaml as UTF-8 in your editor, or convert it: iconv -f GB18030 -t UTF-8 edition.yaml > edition.utf8.yaml && mv edition.utf8.yaml edition.yaml'],
    ['a.md', 'save the article as UTF-8 in your editor, or convert it: iconv -f GB18030 -t UTF-8 a.md > a.utf8.md && mv a.utf8.md a.md'],
  ])('%s', async (file, start) => {
    const files = { 'edition.yaml': yaml(), [file]: Buffer.concat([Buffer.from(file === 'a.md' ? '---\ntitle: x\n---\n' : 'title: x\n'), gb]) };
    const e = (await load(files)).find((x) => x.code === 'InvalidUtf8')!;
    expect(e.where?.file).toBe(file);
    expect(e.hint).toBe(`${start} (GB18030 covers GBK and GB2312; Big5 for Traditional Chinese)`);
  });
});
