/**
 * Stage 1 (load): the demo edition loads; every mistake in edition.yaml or front matter is a
 * PaibanError with the file and the line, and a format() a user can read (no stack, a hint).
 */
import { createHash } from 'node:crypto';
import { readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEdition } from '../../src/load/edition.ts';
import { decodeUtf8 } from '../../src/load/files.ts';
import { DEMO, article, errorsOf, lines, tempEdition, theError } from './helpers.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('the demo edition', () => {
  it('loads with its four articles in plan order, ids from file names', async () => {
    const e = await loadEdition(DEMO);
    expect(e.slug).toBe('zjrb-2022-06-15');
    expect(e.configFile).toBe(path.join(e.dir, 'edition.yaml'));
    expect(e.articles.map((a) => [a.id, a.file])).toEqual([
      ['interview', 'interview.md'],
      ['talent', 'talent.md'],
      ['reform', 'reform.md'],
      ['politics', 'politics.md'],
    ]);
    expect(e.config).toMatchObject({ publication: '浙江日报', date: '2022-06-15', language: 'zh-CN', template: 'newspaper', paper: 'broadsheet', html: false });
    expect(e.config.pages.map((p) => p.layout)).toEqual(['front', 'feature']);
    expect(e.articles.find((a) => a.id === 'interview')!.front).toMatchObject({ title: '交出守好“红色根脉”的新时代组工答卷', deck: '——专访省委组织部常务副部长张学伟', bylinePosition: 'top' });
    expect(e.articles.find((a) => a.id === 'talent')!.front).toMatchObject({ kind: 'sidebar', bylinePosition: 'end' });
  });

  it('knows the line where each body starts', async () => {
    const e = await loadEdition(DEMO);
    expect(Object.fromEntries(e.articles.map((a) => [a.id, a.bodyLine]))).toEqual({ interview: 7, politics: 6, talent: 7, reform: 6 });
    for (const a of e.articles) {
      const text = await readFile(a.absPath, 'utf8');
      const fileLines = text.split('\n');
      // The body is the file from bodyLine on, and the line before it closes the front matter.
      expect(fileLines.slice(a.bodyLine - 1).join('\n')).toBe(a.body);
      expect(fileLines[a.bodyLine - 2]).toBe('---');
    }
  });

  it('lists every input with its sha256 and size', async () => {
    const e = await loadEdition(DEMO);
    expect(e.inputs.map((i) => i.path).sort()).toEqual(['edition.yaml', 'interview.md', 'politics.md', 'reform.md', 'talent.md']);
    for (const i of e.inputs) {
      const bytes = await readFile(path.join(DEMO, i.path));
      expect(i.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(i.sha256).toBe(sha(bytes));
      expect(i.size).toBe(bytes.length);
    }
  });
});

/** A valid edition.yaml; the line numbers in the comments are what the tests count on. */
const BASE = [
  'title: 测试版', // 1
  'publication: 测试日报', // 2
  'date: 2022-06-15', // 3
  'language: zh-CN', // 4
  'pages:', // 5
  '  - layout: front', // 6
  '    articles:', // 7
  '      - { file: a.md, slot: lead }', // 8
];
const A = article({ title: '甲' }, '正文。');

describe('loading a small edition', () => {
  it('accepts the minimal edition and fills the defaults', async () => {
    const e = await loadEdition(await tempEdition({ 'edition.yaml': lines(...BASE), 'a.md': A }));
    expect(e.config).toMatchObject({ template: 'newspaper', paper: 'broadsheet', html: false, print: { marks: false } });
    expect(e.config.print.bleed).toBeCloseTo((3 * 72) / 25.4, 6);
    expect(e.articles).toHaveLength(1);
    expect(e.articles[0]).toMatchObject({ id: 'a', file: 'a.md', bodyLine: 4, front: { title: '甲', kind: 'article', bylinePosition: 'top' } });
  });

  it('gives unique, ASCII ids to articles whose names collide', async () => {
    const dir = await tempEdition({
      'edition.yaml': lines(...BASE.slice(0, 7), '      - { file: A b.md, slot: lead }', '      - { file: a-b.md, slot: second }', '      - { file: 新闻.md, slot: side }'),
      'A b.md': A,
      'a-b.md': A,
      '新闻.md': A,
    });
    const ids = (await loadEdition(dir)).articles.map((a) => a.id);
    expect(ids[0]).toBe('a-b');
    expect(ids[1]).toBe('a-b-2');
    expect(ids[2]).toMatch(/^[a-z0-9-]+$/);
    expect(new Set(ids).size).toBe(3);
  });

  it('drops a UTF-8 byte order mark and reads CRLF front matter', async () => {
    const dir = await tempEdition({ 'edition.yaml': lines(...BASE), 'a.md': '\ufeff---\r\ntitle: 甲\r\n---\r\n\r\n正文。\r\n' });
    const a = (await loadEdition(dir)).articles[0]!;
    expect(a.front.title).toBe('甲');
    expect(a.bodyLine).toBe(4);
    expect(a.body.trim()).toBe('正文。');
  });

  it('takes a single font override (the other roles keep the template\'s faces)', async () => {
    const dir = await tempEdition({ 'edition.yaml': lines(...BASE.slice(0, 4), 'fonts: { caption: AR PL UMing CN }', ...BASE.slice(4)), 'a.md': A });
    const e = await loadEdition(dir);
    expect(e.config.fonts).toEqual({ caption: 'AR PL UMing CN' });
  });

  it('is EditionNotFound for a folder that does not exist or has no edition.yaml', async () => {
    theError(await errorsOf(loadEdition('/nonexistent/paiban-edition')), 'EditionNotFound');
    theError(await errorsOf(loadEdition(await tempEdition({ 'a.md': A }))), 'EditionNotFound');
  });
});

describe('errors in edition.yaml point at the line', () => {
  async function load(yaml: string, files: Record<string, string | Uint8Array> = { 'a.md': A }) {
    return errorsOf(loadEdition(await tempEdition({ 'edition.yaml': yaml, ...files })));
  }

  it('unknown top-level field: the line of that field', async () => {
    const errors = await load(lines(...BASE.slice(0, 4), 'colour: red', ...BASE.slice(4))); // colour on line 5
    const e = theError(errors, 'EditionInvalid');
    expect(e.message).toContain('colour');
    expect(e.where).toMatchObject({ file: 'edition.yaml', line: 5 });
  });

  it('unknown field inside a page: the line of that field', async () => {
    const errors = await load(lines(...BASE.slice(0, 6), '    colour: red', ...BASE.slice(6))); // colour on line 7
    const e = theError(errors, 'EditionInvalid');
    expect(e.message).toContain('colour');
    expect(e.where).toMatchObject({ file: 'edition.yaml', line: 7 });
  });

  it('a date that is not a calendar date (2022-02-30): the line of date', async () => {
    const yaml = lines(...BASE.slice(0, 2), 'date: 2022-02-30', ...BASE.slice(3));
    const e = theError(await load(yaml), 'EditionInvalid');
    expect(e.message).toContain('2022-02-30');
    expect(e.where).toMatchObject({ file: 'edition.yaml', line: 3 });
  });

  it.each(['2022-6-15', '15.06.2022', '2022-13-01', '2021-02-29'])('rejects the date %s', async (date) => {
    const yaml = lines(...BASE.slice(0, 2), `date: ${date}`, ...BASE.slice(3));
    expect(theError(await load(yaml), 'EditionInvalid').where).toMatchObject({ line: 3 });
  });

  it('accepts a leap day', async () => {
    const e = await loadEdition(await tempEdition({ 'edition.yaml': lines(...BASE.slice(0, 2), 'date: 2024-02-29', ...BASE.slice(3)), 'a.md': A }));
    expect(e.config.date).toBe('2024-02-29');
  });

  it('a missing required field: points into the file', async () => {
    const e = theError(await load(lines(BASE[0]!, ...BASE.slice(2))), 'EditionInvalid'); // no publication
    expect(e.message).toContain('publication');
    expect(e.where?.file).toBe('edition.yaml');
    expect(e.where?.line).toBeGreaterThanOrEqual(1);
  });

  it('a missing date says that it is missing', async () => {
    const e = theError(await load(lines(...BASE.slice(0, 2), ...BASE.slice(3))), 'EditionInvalid');
    expect(e.message).toContain('date');
    expect(e.message).toMatch(/required|missing/);
  });

  it('no pages (pages: []): the line of pages', async () => {
    const e = theError(await load(lines(...BASE.slice(0, 4), 'pages: []')), 'EditionInvalid');
    expect(e.message).toMatch(/page/);
    expect(e.where).toMatchObject({ file: 'edition.yaml', line: 5 });
  });

  it('a missing article file: ArticleMissing at the line of its file:', async () => {
    const yaml = lines(...BASE, '      - { file: b.md, slot: second }'); // line 9
    const e = theError(await load(yaml), 'ArticleMissing');
    expect(e.message).toContain('b.md');
    expect(e.where).toMatchObject({ file: 'edition.yaml', line: 9 });
  });

  it('a missing article in block style: the line of file:, not of the list item', async () => {
    const yaml = lines(...BASE, '      - slot: second', '        file: b.md'); // file: on line 10
    expect(theError(await load(yaml), 'ArticleMissing').where).toMatchObject({ file: 'edition.yaml', line: 10 });
  });

  it('file: ../outside.md is PathOutsideEdition, even when the file exists', async () => {
    const dir = await tempEdition({ 'edition.yaml': lines(...BASE.slice(0, 7), '      - { file: ../outside.md, slot: lead }') });
    await writeFile(path.join(dir, '..', 'outside.md'), A);
    const e = theError(await errorsOf(loadEdition(dir)), 'PathOutsideEdition');
    expect(e.where).toMatchObject({ file: 'edition.yaml', line: 8 });
  });

  it('an absolute path is PathOutsideEdition', async () => {
    const e = theError(await load(lines(...BASE.slice(0, 7), '      - { file: /etc/hostname, slot: lead }')), 'PathOutsideEdition');
    expect(e.where).toMatchObject({ file: 'edition.yaml', line: 8 });
  });

  it('a file: URL is PathOutsideEdition', async () => {
    const e = theError(await load(lines(...BASE.slice(0, 7), '      - { file: "file:///etc/hostname", slot: lead }')), 'PathOutsideEdition');
    expect(e.where).toMatchObject({ file: 'edition.yaml', line: 8 });
  });

  it('a symlink that leads out of the edition is PathOutsideEdition', async () => {
    const dir = await tempEdition({ 'edition.yaml': lines(...BASE) });
    await writeFile(path.join(dir, '..', 'secret.md'), A);
    await symlink(path.join(dir, '..', 'secret.md'), path.join(dir, 'a.md'));
    expect(theError(await errorsOf(loadEdition(dir)), 'PathOutsideEdition').where).toMatchObject({ line: 8 });
  });

  it('YAML syntax error: the line where it is', async () => {
    const yaml = lines(...BASE.slice(0, 3), 'language: [zh-CN', ...BASE.slice(4)); // unclosed flow sequence on line 4
    const errors = await load(yaml);
    expect(errors.length).toBeGreaterThanOrEqual(1);
    const e = errors[0]!;
    expect(e.code).toBe('EditionInvalid');
    expect(e.message).toMatch(/YAML/);
    expect(e.where?.file).toBe('edition.yaml');
    expect(e.where?.line).toBeGreaterThanOrEqual(4);
    expect(e.where?.line).toBeLessThanOrEqual(BASE.length);
  });

  it('a YAML syntax error on a line of its own', async () => {
    const yaml = lines(...BASE.slice(0, 2), 'date: 2022-06-15: x', ...BASE.slice(3));
    const errors = await load(yaml);
    expect(errors[0]!.code).toBe('EditionInvalid');
    expect(errors[0]!.where).toMatchObject({ file: 'edition.yaml', line: 3 });
  });

  it('a duplicated key is an error at its line', async () => {
    const errors = await load(lines(...BASE.slice(0, 4), 'title: 又一个', ...BASE.slice(4)));
    expect(errors[0]!.code).toBe('EditionInvalid');
    expect(errors[0]!.where).toMatchObject({ file: 'edition.yaml', line: 5 });
  });

  it('invalid UTF-8 in edition.yaml is InvalidUtf8 with its line', async () => {
    const yaml = Buffer.concat([Buffer.from(lines(...BASE.slice(0, 2))), Buffer.from('description: '), Buffer.from([0xd5, 0xe3, 0xbd]), Buffer.from('\n' + lines(...BASE.slice(2)))]);
    const e = theError(await load(yaml as unknown as string), 'InvalidUtf8');
    expect(e.where).toMatchObject({ file: 'edition.yaml', line: 3 });
  });

  it('reports every problem of the plan at once', async () => {
    const yaml = lines(...BASE, '      - { file: b.md, slot: second }', '      - { file: ../c.md, slot: side }');
    const errors = await load(yaml);
    expect(errors.map((e) => [e.code, e.where?.line])).toEqual([
      ['ArticleMissing', 9],
      ['PathOutsideEdition', 10],
    ]);
  });
});

describe('errors in articles point at the article file', () => {
  async function load(files: Record<string, string | Uint8Array>) {
    return errorsOf(loadEdition(await tempEdition({ 'edition.yaml': lines(...BASE), ...files })));
  }

  it('missing title: FrontMatterInvalid in the .md, at a line inside the front matter', async () => {
    const e = theError(await load({ 'a.md': lines('---', 'byline: 本报记者 某某', 'deck: ——副题', '---', '', '正文。') }), 'FrontMatterInvalid');
    expect(e.message).toContain('title');
    expect(e.where?.file).toBe('a.md');
    expect(e.where?.line).toBeGreaterThanOrEqual(2);
    expect(e.where?.line).toBeLessThanOrEqual(3);
  });

  it('lang must be a language tag: an attribute payload is an error at its line', async () => {
    const e = theError(await load({ 'a.md': lines('---', 'title: 甲', 'lang: \'zh-CN" onfocus="alert(5)\'', '---', '正文。') }), 'FrontMatterInvalid');
    expect(e.message).toMatch(/^lang: ".*" is not a BCP 47 language tag/);
    expect(e.where).toMatchObject({ file: 'a.md', line: 3 });
  });

  it('a wrong front-matter value: the line of that value in the .md', async () => {
    const e = theError(await load({ 'a.md': lines('---', 'title: 甲', 'kind: column', '---', '正文。') }), 'FrontMatterInvalid');
    expect(e.message).toContain('kind');
    expect(e.where).toMatchObject({ file: 'a.md', line: 3 });
  });

  it('a YAML syntax error in front matter: the line in the .md, not in the block', async () => {
    const errors = await load({ 'a.md': lines('---', 'title: 甲', 'deck: "unclosed', 'byline: x', '---', '正文。') });
    const e = errors[0]!;
    expect(e.code).toBe('FrontMatterInvalid');
    expect(e.where?.file).toBe('a.md');
    expect(e.where?.line).toBeGreaterThanOrEqual(3);
    expect(e.where?.line).toBeLessThanOrEqual(5);
  });

  it('an article without front matter: FrontMatterInvalid at line 1', async () => {
    const e = theError(await load({ 'a.md': lines('# 标题', '', '正文。') }), 'FrontMatterInvalid');
    expect(e.where).toMatchObject({ file: 'a.md', line: 1 });
  });

  it('an unclosed front matter block is an error', async () => {
    const e = theError(await load({ 'a.md': lines('---', 'title: 甲', '', '正文。') }), 'FrontMatterInvalid');
    expect(e.where?.file).toBe('a.md');
  });

  it('invalid UTF-8 in an article: InvalidUtf8 at the line of the bad bytes', async () => {
    // Lines 1-5 fine, line 6 holds GB18030 bytes for 浙江 (d5e3 bdad): "d5 e3" is not UTF-8.
    const bytes = Buffer.concat([Buffer.from(lines('---', 'title: 甲', '---', '', '第一段。')), Buffer.from([0xd5, 0xe3, 0xbd, 0xad]), Buffer.from('\n第七行\n')]);
    const e = theError(await load({ 'a.md': bytes }), 'InvalidUtf8');
    expect(e.where).toMatchObject({ file: 'a.md', line: 6 });
    expect(e.message).toMatch(/UTF-8/);
  });

  it.each([
    ['a lone continuation byte', [0x80], 1],
    ['an overlong encoding', [0xc0, 0xaf], 1],
    ['a truncated sequence at the end', [0xe6, 0xb5], 1],
    ['a UTF-16 surrogate', [0xed, 0xa0, 0x80], 1],
  ])('decodeUtf8 refuses %s', (_name, bad, line) => {
    const bytes = new Uint8Array([...Buffer.from('ok '), ...bad]);
    const e = (() => {
      try {
        decodeUtf8(bytes, 'x.md');
      } catch (err) {
        return err as { code: string; where: { line: number } };
      }
      return undefined;
    })();
    expect(e?.code).toBe('InvalidUtf8');
    expect(e?.where.line).toBe(line);
  });

  it('reports the problems of several articles together', async () => {
    const dir = await tempEdition({
      'edition.yaml': lines(...BASE, '      - { file: b.md, slot: second }'),
      'a.md': lines('no front matter'),
      'b.md': lines('---', 'deck: x', '---'),
    });
    const errors = await errorsOf(loadEdition(dir));
    expect(errors.map((e) => [e.code, e.where?.file])).toEqual([
      ['FrontMatterInvalid', 'a.md'],
      ['FrontMatterInvalid', 'b.md'],
    ]);
  });
});
