/**
 * DAISY Ace on every EPUB the tests build: the demo edition (built twice by build(), which also
 * shows that the EPUB, its Chromium-rendered JPEG cover included, is byte-identical across
 * builds), the hand-made Chinese book, the hostile English book and the English edition from
 * Markdown. Done when: no critical or serious violations.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strFromU8, strToU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/build.ts';
import { Diagnostics } from '../../src/diagnostics.ts';
import { writeEpub, type EpubInput } from '../../src/epub/index.ts';
import { SCREEN_PIXELS } from '../../src/epub/images.ts';
import { deterministicZip } from '../../src/epub/zip.ts';
import { requireTools } from '../helpers/tools.ts';
import { ace, editionInput, englishInput, hostileInput, type AceResult } from './fixtures.ts';

const EDITION = path.resolve('content/zjrb-2022-06-15');
const A11Y = ['schema:accessMode', 'schema:accessModeSufficient', 'schema:accessibilityFeature', 'schema:accessibilityHazard', 'schema:accessibilitySummary'];

requireTools('ace');

/** What Ace must not find: the bar is no critical or serious violation. */
function serious(r: AceResult) {
  return r.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious');
}

/** Width and height from a PNG's header. */
function pngSize(b: Uint8Array): [number, number] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return [v.getUint32(16), v.getUint32(20)];
}

/** Width and height from a JPEG's start-of-frame marker. */
function jpegSize(b: Uint8Array): { width: number; height: number } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let p = 2; p + 9 < b.length; ) {
    if (b[p] !== 0xff) throw new Error(`not a JPEG marker at ${p}`);
    const marker = b[p + 1]!;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return { height: v.getUint16(p + 5), width: v.getUint16(p + 7) };
    p += 2 + v.getUint16(p + 2);
  }
  throw new Error('no start-of-frame marker');
}

describe('the demo edition as an EPUB', () => {
  let first: BuildResult;
  let second: BuildResult;
  let epub: Uint8Array;
  let files: Record<string, Uint8Array>;

  beforeAll(async () => {
    const out = (n: number) => mkdtempSync(path.join(os.tmpdir(), `paiban-epub-demo-${n}-`));
    first = await build(EDITION, { out: out(1), epub: true });
    second = await build(EDITION, { out: out(2), epub: true });
    epub = readFileSync(first.outputs.find((o) => o.path.endsWith('.epub'))!.path);
    files = unzipSync(epub);
  }, 300_000);

  it('is byte-identical across two builds, cover included', () => {
    expect(first.diagnostics.errors).toEqual([]);
    const sums = [first, second].map((r) => r.outputs.find((o) => o.path.endsWith('.epub'))!.sha256);
    expect(sums[0]).toBe(createHash('sha256').update(epub).digest('hex'));
    expect(sums[1]).toBe(sums[0]);
  });

  it('carries the front page as a JPEG cover about 1600 px tall, and stays small', () => {
    const opf = strFromU8(files['OEBPS/content.opf']!);
    expect(opf).toContain('<item id="img-cover" href="images/cover.jpg" media-type="image/jpeg" properties="cover-image" />');
    const cover = files['OEBPS/images/cover.jpg']!;
    const { width, height } = jpegSize(cover);
    expect(height).toBeGreaterThanOrEqual(1500);
    expect(height).toBeLessThanOrEqual(1600);
    expect(width).toBeGreaterThan(height * 0.6); // a broadsheet page: 390 × 540 mm
    expect(cover.length).toBeLessThan(350_000);
    // The photos, made for print at 3200 px, are scaled for screens.
    const photos = Object.keys(files).filter((n) => n.startsWith('OEBPS/images/') && n.endsWith('.png'));
    expect(photos).toHaveLength(5);
    for (const n of photos) expect(Math.max(...pngSize(files[n]!)), n).toBeLessThanOrEqual(SCREEN_PIXELS);
    expect(first.diagnostics.items.find((d) => d.rule === 'epub-image')?.message).toMatch(/^5 images of up to \d+ px scaled to at most 1600 px for the EPUB/);
    // The cover and the photos are most of it; the text is a few KB.
    expect(epub.length).toBeLessThan(800_000);
    const info = first.diagnostics.items.find((d) => d.rule === 'epub-size');
    expect(info?.message).toMatch(/^\d+ bytes \([\d.]+ KiB\): 4 articles, 5 images and a cover$/);
  });

  it('passes DAISY Ace: no critical or serious violations, accessibility metadata present', async () => {
    const r = await ace(epub, 'zjrb-2022-06-15.epub');
    expect(serious(r), JSON.stringify(r.violations, null, 2)).toEqual([]);
    expect(r.metadata.present).toEqual(expect.arrayContaining(A11Y));
  }, 180_000);
});

describe('DAISY Ace on the test books', () => {
  const books: [string, () => Promise<EpubInput>][] = [
    ['the Chinese book with a cover, notes and a figure', editionInput],
    ['the hostile English book without a cover', hostileInput],
    ['the English edition from Markdown', async () => (await englishInput()).input],
  ];
  for (const [name, make] of books) {
    it(`finds no critical or serious violations in ${name}`, async () => {
      const input = await make();
      const r = await ace(await writeEpub(input, new Diagnostics()), `${input.slug}.epub`);
      expect(serious(r), JSON.stringify(r.violations, null, 2)).toEqual([]);
      expect(r.metadata.present).toEqual(expect.arrayContaining(A11Y));
    }, 180_000);
  }

  it('does report a figure without alt text (the check is not vacuous)', async () => {
    const entries = new Map(Object.entries(unzipSync(await writeEpub(await editionInput(), new Diagnostics()))));
    const name = 'OEBPS/article-interview.xhtml';
    entries.set(name, strToU8(strFromU8(entries.get(name)!).replace(/(<img src="images\/photo.png") alt="[^"]*"/, '$1')));
    const r = await ace(deterministicZip(entries, new Date(0)), 'no-alt.epub');
    expect(serious(r).map((v) => [v.file, v.rule])).toContainEqual(['article-interview.xhtml', 'image-alt']);
  }, 180_000);
});
