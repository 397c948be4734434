/**
 * `paiban check` proofs the copy of a real unedited text (the seed: about 200 ASCII commas,
 * colons and semicolons between Chinese characters, parentheses around Chinese text) with the
 * line and column of each; `paiban check --fix` corrects it in place, atomically, says what it
 * did, and a second run changes nothing.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../helpers/tools.ts';

// The seed, as a fixture (a copy of ../shared/seed/000_25f8c18ed81e66c8.txt).
const SEED = path.resolve('tests/fixtures/seed/000_25f8c18ed81e66c8.txt');
const seedText = (): string => readFileSync(SEED, 'utf8');

const bin = path.resolve('bin/paiban');
let dir: string;
let original: string;

beforeAll(() => {
  dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'paiban-proof-')), 'seed');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'edition.yaml'), 'title: 种子\npublication: 浙江日报\ndate: 2022-06-15\nlanguage: zh-CN\npaper: a4\npages:\n  - layout: flow\n    articles:\n      - { file: seed.md }\n');
  original = `---\ntitle: 交出守好“红色根脉”的新时代组工答卷\ndeck: ——专访省委组织部常务副部长张学伟\n---\n${seedText()}`;
  writeFileSync(path.join(dir, 'seed.md'), original);
});

/** [line, column] (1-based, characters) of every ASCII , : ; ? ! ( ) next to a Han character or a Chinese mark. */
function asciiInChinese(text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((l, i) => {
    const chars = [...l];
    chars.forEach((c, k) => {
      const cjk = (x: string | undefined) => /[\p{Script=Han}“”‘’\u3000-\u303f\uff00-\uffef]/u.test(x ?? '');
      if (',:;?!()'.includes(c) && (cjk(chars[k - 1]) || cjk(chars[k + 1]))) out.push(`${i + 1}:${k + 1}`);
    });
  });
  return out;
}

describe('paiban check on unedited copy', () => {
  it('reports every ASCII mark between Chinese characters at its line and column, with the fix', () => {
    const r = run('node', [bin, 'check', dir, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { ok: boolean; diagnostics: { file: string; line: number; column: number; rule: string; severity: string; message: string }[] };
    const copy = out.diagnostics.filter((d) => d.rule.startsWith('copy-'));
    const marks = copy.filter((d) => d.rule === 'copy-punctuation' || d.rule === 'copy-bracket');
    expect(marks.length).toBeGreaterThan(200);
    expect(marks.every((d) => d.file === 'seed.md' && d.severity === 'warning' && /use "[，：；？！（）]"/.test(d.message))).toBe(true);
    const expected = asciiInChinese(original);
    expect(expected.length).toBeGreaterThan(200);
    expect(new Set(marks.map((d) => `${d.line}:${d.column}`))).toEqual(new Set(expected));
    // The text form: file:line:column and the fix.
    const text = run('node', [bin, 'check', dir]).stdout;
    expect(text).toMatch(/^seed\/seed\.md:\d+:\d+ warning copy-punctuation: half-width "," between Chinese characters: use "，" \(paiban check --fix corrects it\)$/m);
  });

  it('--fix corrects it in place, says what it did, leaves decimals and the front matter, and a second run changes nothing', () => {
    const first = run('node', [bin, 'check', '--fix', dir]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^fixed seed\.md: (\d+) \(punctuation \d+, brackets \d+\)$/m);
    const fixed = readFileSync(path.join(dir, 'seed.md'), 'utf8');
    expect(asciiInChinese(fixed)).toEqual([]);
    expect(fixed).toContain('从12.23%提高到98.43%');
    expect(fixed).toContain('县（市、区）委书记');
    expect(fixed).toContain('张学伟表示：“我们');
    // Only punctuation changed: the same text once marks are made alike.
    const norm = (s: string) => s.replace(/，/g, ',').replace(/：/g, ':').replace(/；/g, ';').replace(/？/g, '?').replace(/！/g, '!').replace(/（/g, '(').replace(/）/g, ')');
    expect(norm(fixed)).toBe(norm(original));
    expect(readdirSync(dir).sort()).toEqual(['edition.yaml', 'seed.md']);
    const second = run('node', [bin, 'check', '--fix', dir]);
    expect(second.stdout).toMatch(/nothing to fix in 1 article/);
    expect(readFileSync(path.join(dir, 'seed.md'), 'utf8')).toBe(fixed);
  });

  it('--fix on a folder that is not an edition says so and changes nothing', () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'paiban-proof-none-'));
    const r = run('node', [bin, 'check', '--fix', empty]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/edition\.yaml/);
    const copy = path.join(empty, 'x');
    cpSync(dir, copy, { recursive: true });
    expect(readdirSync(copy).length).toBe(2);
  });
});
