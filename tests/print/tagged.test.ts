/**
 * --tagged: Chromium's structure tree survives post-processing (pdfinfo says Tagged, the catalog
 * keeps /StructTreeRoot and /MarkInfo), the file stays clean and reproducible. The size cost is
 * logged (and written in docs/print.md), not asserted.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build.ts';
import { launchBrowser, type BrowserHandle } from '../../src/paginate/browser.ts';
import { run } from '../helpers/tools.ts';
import { tempDir } from './helpers.ts';

const EDITION = path.resolve('content/zjrb-2022-06-15');
const PDF = 'zjrb-2022-06-15.pdf';
const outs = { plain: tempDir(), tagged: tempDir(), again: tempDir() };
let browser: BrowserHandle;

beforeAll(async () => {
  browser = await launchBrowser();
  await build(EDITION, { out: outs.plain, pdf: true, browser });
  await build(EDITION, { out: outs.tagged, pdf: true, tagged: true, browser });
  await build(EDITION, { out: outs.again, pdf: true, tagged: true, browser });
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

describe('--tagged', () => {
  it('is a tagged PDF: pdfinfo says so, the catalog has a structure tree and MarkInfo', () => {
    const pdf = path.join(outs.tagged, PDF);
    expect(run('pdfinfo', [pdf]).stdout).toMatch(/Tagged:\s+yes/);
    const root = run('qpdf', ['--show-object=trailer', pdf]).stdout;
    const catalogRef = /\/Root (\d+ \d+) R/.exec(root)![1]!.replace(' ', ',');
    const catalog = run('qpdf', [`--show-object=${catalogRef}`, pdf]).stdout;
    expect(catalog).toMatch(/\/StructTreeRoot \d+ 0 R/);
    expect(catalog).toMatch(/\/MarkInfo/);
    expect(catalog).toMatch(/\/Lang/);
    expect(run('qpdf', ['--check', pdf]).code).toBe(0);
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
