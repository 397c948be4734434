/**
 * Reproducible builds and the manifest: the demo built twice into two folders gives byte-identical
 * PDF and EPUB; the manifest lists every input (articles, images, template, styles) and output;
 * `paiban verify` on a fresh build says identical (exit 0), and after an article changes it names
 * the article and the outputs that differ (exit 1).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build.ts';
import type { Manifest } from '../../src/output/manifest.ts';
import { launchBrowser, type BrowserHandle } from '../../src/paginate/browser.ts';
import { run } from '../helpers/tools.ts';
import { verifyBuild } from '../helpers/verify.ts';
import { copyEdition, tempDir } from './helpers.ts';

const EDITION = path.resolve('content/zjrb-2022-06-15');
const SLUG = 'zjrb-2022-06-15';
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
const outs = [tempDir(), tempDir()];
let browser: BrowserHandle;

beforeAll(async () => {
  browser = await launchBrowser();
  // The first build starts its own Chromium, the second reuses one: like two separate runs.
  for (const [i, out] of outs.entries()) {
    const r = await build(EDITION, { out, browser: i === 0 ? undefined : browser });
    expect(r.diagnostics.errors).toEqual([]);
  }
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

describe('two builds of the demo', () => {
  it('pass the shared verification', () => {
    expect(verifyBuild(path.join(outs[0]!, `${SLUG}.pdf`), EDITION)).toEqual([]);
  });

  it('give byte-identical PDF and EPUB', () => {
    for (const ext of ['pdf', 'epub']) {
      const [a, b] = outs.map((o) => sha(path.join(o, `${SLUG}.${ext}`)));
      expect(a, ext).toBe(b);
    }
  });
});

describe('the manifest', () => {
  const manifest = () => JSON.parse(readFileSync(path.join(outs[0]!, `${SLUG}.manifest.json`), 'utf8')) as Manifest;

  it('lists every input: edition.yaml, the articles, the images they use, the template and its styles', () => {
    const m = manifest();
    const kinds = new Map<string, string[]>();
    for (const i of m.inputs) kinds.set(i.kind, [...(kinds.get(i.kind) ?? []), i.path]);
    expect(kinds.get('edition')).toEqual(['edition.yaml']);
    expect(kinds.get('article')).toEqual(expect.arrayContaining(['interview.md', 'politics.md', 'talent.md', 'reform.md']));
    expect(kinds.get('image')!.length).toBeGreaterThanOrEqual(5);
    expect(kinds.get('image')!.every((p) => p.startsWith('images/'))).toBe(true);
    expect(kinds.get('template')).toEqual(expect.arrayContaining(['paiban:templates/newspaper/template.yaml', 'paiban:templates/newspaper/document.hbs']));
    expect(kinds.get('style')).toEqual(expect.arrayContaining(['paiban:styles/newspaper.css']));
    for (const i of m.inputs) {
      const abs = i.path.startsWith('paiban:') ? path.resolve(i.path.slice(7)) : path.join(EDITION, i.path);
      expect(sha(abs), i.path).toBe(i.sha256);
      expect(readFileSync(abs).length).toBe(i.size);
    }
  });

  it('lists every output with sha256, size and pages; tools, fonts, options and the timestamp', () => {
    const m = manifest();
    const pdf = m.outputs.find((o) => o.path === `${SLUG}.pdf`)!;
    expect(pdf.sha256).toBe(sha(path.join(outs[0]!, `${SLUG}.pdf`)));
    expect(pdf.size).toBe(readFileSync(path.join(outs[0]!, `${SLUG}.pdf`)).length);
    expect(pdf.pages).toBeGreaterThanOrEqual(2);
    expect(m.outputs.find((o) => o.path === `${SLUG}.epub`)!.sha256).toBe(sha(path.join(outs[0]!, `${SLUG}.epub`)));
    expect(m.tools.paiban).toMatch(/^\d+\.\d+\.\d+/);
    expect(m.tools.node).toBe(process.version);
    expect(m.tools.chromium).toMatch(/Chrom/);
    expect(m.fonts.length).toBeGreaterThan(0);
    for (const f of m.fonts) {
      expect(f.family).toBeTruthy();
      expect(f.file).toMatch(/^\//);
      expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(m.options).toMatchObject({ pdf: true, epub: true, marks: false, tagged: false, pdfx: false, pdfa: false });
    expect(m.timestamp).toBe(process.env.SOURCE_DATE_EPOCH ? new Date(Number(process.env.SOURCE_DATE_EPOCH) * 1000).toISOString() : '2022-06-15T00:00:00.000Z');
  });
});

describe('paiban verify', () => {
  it('says identical for a fresh build (exit 0), and names a changed article and the outputs (exit 1)', async () => {
    const edition = copyEdition(EDITION, 'verify-me');
    const out = tempDir();
    const r = await build(edition, { out, browser });
    expect(r.ok).toBe(true);
    const manifest = path.join(out, 'verify-me.manifest.json');

    const same = run('node', ['bin/paiban', 'verify', manifest]);
    expect(same.stdout).toMatch(/^identical: verify-me\.pdf, verify-me\.epub match/m);
    expect(same.code).toBe(0);

    const article = path.join(edition, 'politics.md');
    writeFileSync(article, readFileSync(article, 'utf8').replace(/。/, '，再加一句。'));
    const changed = run('node', ['bin/paiban', 'verify', manifest]);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/^differs:/m);
    expect(changed.stdout).toMatch(/input changed: politics\.md \(sha256 /);
    expect(changed.stdout).not.toMatch(/input changed: (talent|reform|interview)\.md/);
    expect(changed.stdout).toMatch(/output differs: verify-me\.pdf/);
    expect(changed.stdout).toMatch(/output differs: verify-me\.epub/);
  }, 300_000);

  it('says what is wrong with a file that is not a manifest (exit 2)', () => {
    const bad = path.join(tempDir(), 'x.json');
    writeFileSync(bad, '{"hello": 1}');
    const r = run('node', ['bin/paiban', 'verify', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a paiban manifest/);
  });
});
