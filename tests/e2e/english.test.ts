/**
 * The English edition: the engine is not CJK-only. Hyphenated, justified columns whose words
 * stay whole in the PDF's text (no soft hyphens; a real hyphen only where a line breaks), Latin
 * fonts embedded as real fonts, an EPUB in English that passes epubcheck.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/build.ts';
import { epubcheck, pdffonts, pdftotext, requireTools } from '../helpers/tools.ts';
import { verifyBuild } from '../helpers/verify.ts';

requireTools('epubcheck', 'poppler');

const EDITION = path.resolve('tests/fixtures/english');
const out = mkdtempSync(path.join(os.tmpdir(), 'paiban-en-'));
const pdf = path.join(out, 'english.pdf');
let result: BuildResult;

beforeAll(async () => {
  result = await build(EDITION, { out });
}, 300_000);

describe('the English edition', () => {
  it('builds without overset or lost text (copyfit takes the long article in)', () => {
    expect(result.ok).toBe(true);
    expect(result.diagnostics.items.filter((d) => ['overset', 'content-lost', 'missing-glyph'].includes(d.rule))).toEqual([]);
    expect(result.diagnostics.items.find((d) => d.rule === 'copyfit')?.file).toBe('library.md');
  });

  it('passes the shared verification: fonts with ToUnicode, every character of every article in order', () => {
    expect(verifyBuild(pdf, EDITION)).toEqual([]);
  });

  it('embeds Liberation faces as real fonts', () => {
    const fonts = pdffonts(pdf);
    expect(fonts.some((f) => /LiberationSerif/.test(f.name))).toBe(true);
    for (const f of fonts) expect(f.type, f.name).not.toBe('Type 3');
  });

  // -raw keeps the content stream's order (line after line within a column).
  it('hyphenates: some lines end with a hyphen that splits a word of the source', () => {
    const text = pdftotext(pdf, '-raw');
    const words = new Set(sourceText().match(/[A-Za-z]{6,}/g) ?? []);
    const splits = [...text.matchAll(/([A-Za-z]+)\u2010\n\s*([a-z]+)/g)].filter((m) => words.has(m[1]! + m[2]!));
    expect(splits.length).toBeGreaterThanOrEqual(5);
  });

  it('keeps every word whole: no soft hyphen, and each word is there whole or split at a line end', () => {
    const text = pdftotext(pdf, '-raw');
    expect(text).not.toContain('\u00ad');
    // paiban's hyphens (U+2010) stand only at line ends, never inside a word on a line.
    expect(text).not.toMatch(/\p{L}\u2010\p{L}/u);
    const joined = text.replace(/([A-Za-z])\u2010\n\s*([a-z])/g, '$1$2');
    const missing = [...new Set(sourceText().match(/[A-Za-z]{4,}/g) ?? [])].filter((w) => !joined.includes(w));
    expect(missing).toEqual([]);
  });

  it('writes an English EPUB that passes epubcheck', () => {
    const r = epubcheck(path.join(out, 'english.epub'));
    expect(r.summary, r.output).toBe('Messages: 0 fatals / 0 errors / 0 warnings / 0 infos');
  });
});

function sourceText(): string {
  return readdirSync(EDITION)
    .filter((f) => f.endsWith('.md'))
    .map((f) => readFileSync(path.join(EDITION, f), 'utf8').replace(/^---[\s\S]*?\n---\n/, ''))
    .join('\n')
    .replace(/^:::.*$/gm, '');
}
