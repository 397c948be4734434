/**
 * --tagged: the structure tree a screen reader follows, walked element by element (helpers/
 * structure.ts): a Document of one Art per article, each headline an H1, each subhead an H2, each
 * paragraph a P holding exactly that paragraph's text, each photo a Figure with its caption as Alt
 * text, and the tree's order the articles' reading order. The file stays clean and reproducible;
 * the size cost is logged (and written in the docs), not asserted.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build.ts';
import { launchBrowser, type BrowserHandle } from '../../src/paginate/browser.ts';
import { normalize, readEdition } from '../helpers/source.ts';
import { flatten, readStructure, textOf, type StructNode } from '../helpers/structure.ts';
import { requireTools, run } from '../helpers/tools.ts';
import { textProblems, verifyBuild } from '../helpers/verify.ts';
import { tempDir } from './helpers.ts';

requireTools('qpdf', 'poppler');

const EDITION = path.resolve('content/zjrb-2022-06-15');
const PDF = 'zjrb-2022-06-15.pdf';
const outs = { plain: tempDir(), tagged: tempDir(), again: tempDir() };
const edition = readEdition(EDITION);
let browser: BrowserHandle;
let tree: StructNode | undefined;
let all: StructNode[];

beforeAll(async () => {
  browser = await launchBrowser();
  await build(EDITION, { out: outs.plain, pdf: true, browser });
  await build(EDITION, { out: outs.tagged, pdf: true, tagged: true, browser });
  await build(EDITION, { out: outs.again, pdf: true, tagged: true, browser });
  tree = await readStructure(path.join(outs.tagged, PDF));
  all = tree ? flatten(tree) : [];
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

describe('--tagged', () => {
  it('is a tagged PDF: pdfinfo says so, the catalog has a structure tree, MarkInfo and the language', () => {
    const pdf = path.join(outs.tagged, PDF);
    expect(run('pdfinfo', [pdf]).stdout).toMatch(/Tagged:\s+yes/);
    const root = run('qpdf', ['--show-object=trailer', pdf]).stdout;
    const catalogRef = /\/Root (\d+ \d+) R/.exec(root)![1]!.replace(' ', ',');
    const catalog = run('qpdf', [`--show-object=${catalogRef}`, pdf]).stdout;
    expect(catalog).toMatch(/\/StructTreeRoot \d+ 0 R/);
    expect(catalog).toMatch(/\/MarkInfo/);
    expect(catalog).toMatch(/\/Lang/);
    expect(run('qpdf', ['--check', pdf]).code).toBe(0);
    expect(verifyBuild(pdf, EDITION)).toEqual([]);
  });

  it('has a Document of one Art per article, each opening with its headline as an H1', () => {
    expect(tree?.kids.map((k) => k.role)).toEqual(['Document']);
    const arts = all.filter((n) => n.role === 'Art');
    expect(arts).toHaveLength(edition.articles.length);
    const h1 = arts.map((a) => flatten(a).find((n) => n.role === 'H1'));
    expect(h1.map((h) => normalize(h ? textOf(h) : ''))).toEqual(edition.articles.map((a) => normalize(a.head.title)));
  });

  it('tags each paragraph as a P and each subhead as an H2, holding exactly its text', () => {
    const texts = (role: RegExp) => new Set(all.filter((n) => role.test(n.role)).map((n) => normalize(textOf(n))));
    const [ps, heads] = [texts(/^P$/), texts(/^H[2-6]$/)];
    const subheads = (file: string) => [...readFileSync(path.join(EDITION, file), 'utf8').matchAll(/^#{2,6}\s+(.*)$/gm)].map((m) => normalize(m[1]!));
    for (const a of edition.articles) {
      const subs = subheads(a.file);
      for (const b of a.body.map(normalize)) expect(subs.includes(b) ? heads.has(b) : ps.has(b), `${a.file}: "${b.slice(0, 16)}…" as ${subs.includes(b) ? 'an H2' : 'a P'}`).toBe(true);
    }
    expect(heads.size).toBeGreaterThan(0);
  });

  it('gives every photo a Figure with its caption as Alt text', () => {
    const alts = all.filter((n) => n.role === 'Figure' && n.alt !== undefined).map((n) => normalize(n.alt!));
    const captions = edition.articles.flatMap((a) => a.captions).map(normalize);
    expect(captions.length).toBeGreaterThan(0);
    expect(alts.filter((a) => !a)).toEqual([]);
    expect([...alts].sort()).toEqual([...captions].sort());
  });

  it('reads each article whole and in order: headline, deck, byline, then its paragraphs', () => {
    const arts = all.filter((n) => n.role === 'Art');
    for (const a of edition.articles) {
      const art = arts.find((n) => normalize(textOf(n)).includes(normalize(a.head.title)));
      expect(art, a.file).toBeDefined();
      expect(textProblems(textOf(art!), a)).toEqual([]);
    }
  });

  it('the plain build is not tagged', () => {
    expect(run('pdfinfo', [path.join(outs.plain, PDF)]).stdout).toMatch(/Tagged:\s+no/);
  });

  it('is reproducible, and costs a few percent in size (logged)', () => {
    expect(readFileSync(path.join(outs.again, PDF)).equals(readFileSync(path.join(outs.tagged, PDF)))).toBe(true);
    const plain = statSync(path.join(outs.plain, PDF)).size;
    const tagged = statSync(path.join(outs.tagged, PDF)).size;
    console.log(`tagged PDF: ${plain} → ${tagged} bytes (+${tagged - plain}, +${(((tagged - plain) / plain) * 100).toFixed(1)}%)`);
    expect(tagged).toBeGreaterThan(plain);
  });
});
