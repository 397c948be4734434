/**
 * Print downsampling (src/paginate/print-images.ts): which images are scaled and to what, their
 * copies (lossless, cached, inside the edition only), and the demo's photo set in a text column
 * printed at 300 ppi while page 1's, placed below 450 ppi, keep every pixel.
 */
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/build.ts';
import { downsample, printSize } from '../../src/paginate/print-images.ts';
import { run } from '../helpers/tools.ts';
import { factsOf, verifyBuild } from '../helpers/verify.ts';
import { copyEdition, png, tempDir } from './helpers.ts';

const placed = (over: Partial<Parameters<typeof printSize>[0]> = {}) => ({ src: 'images/a.png', width: 227, height: 151, naturalWidth: 3000, naturalHeight: 2000, fit: 'fill', ...over });

describe('printSize', () => {
  it('scales an image placed beyond 1.5 × the target to the target, keeping its proportions', () => {
    // 3000 px over 227 CSS px (60 mm): 1269 ppi.
    expect(printSize(placed(), 300)).toEqual({ width: 709, height: 473 });
    expect(printSize(placed(), 600)).toEqual({ width: 1419, height: 946 });
  });

  it('keeps an image placed at up to 1.5 × the target', () => {
    expect(printSize(placed({ width: 1600, height: 1067 }), 300)).toBeUndefined(); // 180 ppi
    expect(printSize(placed({ width: 640, height: 427 }), 300)).toBeUndefined(); // 450 ppi
    expect(printSize(placed({ width: 630, height: 420 }), 300)).toBeDefined(); // 457 ppi
  });

  it('counts the pixels object-fit shows: cover crops, so it needs more of them than contain', () => {
    const box = { width: 227, height: 300 };
    const cover = printSize(placed({ ...box, fit: 'cover' }), 300)!;
    const contain = printSize(placed({ ...box, fit: 'contain' }), 300)!;
    expect(cover.width).toBeGreaterThan(contain.width);
    expect(printSize(placed({ naturalWidth: 0 }), 300)).toBeUndefined();
  });
});

describe('downsample', () => {
  const dir = tempDir('paiban-print-images-');
  const cache = tempDir('paiban-print-images-cache-');
  const outside = tempDir('paiban-print-images-outside-');
  beforeAll(() => {
    mkdirSync(path.join(dir, 'images'));
    writeFileSync(path.join(dir, 'images', 'a.png'), png(3000, 2000));
    writeFileSync(path.join(dir, 'images', 'b.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]));
    writeFileSync(path.join(outside, 'secret.png'), png(3000, 2000));
    symlinkSync(path.join(outside, 'secret.png'), path.join(dir, 'images', 'link.png'));
  });

  it('makes a PNG of the print size, once: the second time from the cache', async () => {
    const [a] = await downsample([{ ...placed(), dest: 'd1' }], 300, dir, cache);
    expect(a?.to).toEqual({ width: 709, height: 473 });
    expect([...a!.body.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    expect(readdirSync(cache)).toHaveLength(1);
    const [again] = await downsample([{ ...placed(), dest: 'd1' }], 300, dir, cache);
    expect(Buffer.compare(Buffer.from(again!.body), Buffer.from(a!.body))).toBe(0);
  });

  it('leaves JPEGs, files outside the edition (symlinks too) and URLs alone', async () => {
    const none = await downsample(
      ['images/b.jpg', 'images/link.png', '../outside.png', 'https://example.com/a.png', 'file:///etc/passwd'].map((src, i) => ({ ...placed({ src }), dest: `d${i}` })),
      300,
      dir,
      cache,
    );
    expect(none).toEqual([]);
  });
});

describe('the demo, printed', () => {
  let result: BuildResult;
  let off: BuildResult;
  const out = tempDir();
  const outOff = tempDir();
  beforeAll(async () => {
    result = await build(path.resolve('content/zjrb-2022-06-15'), { out, pdf: true });
    const full = copyEdition(path.resolve('content/zjrb-2022-06-15'));
    const yaml = path.join(full, 'edition.yaml');
    writeFileSync(yaml, (await import('node:fs')).readFileSync(yaml, 'utf8').replace('print: { bleed: 3mm, marks: false }', 'print: { bleed: 3mm, marks: false, downsample: false }'));
    off = await build(full, { out: outOff, pdf: true });
  }, 300_000);

  const images = (file: string) =>
    run('pdfimages', ['-list', file])
      .stdout.split('\n')
      .slice(2)
      .filter(Boolean)
      .map((l) => l.trim().split(/\s+/))
      .map((c) => ({ page: Number(c[0]), width: Number(c[3]), ppi: Number(c[12]) }));

  it('prints the photo set in a text column (placed beyond 450 ppi) at 300 ppi and keeps the photos placed under 450 ppi whole', () => {
    const list = images(path.join(out, 'zjrb-2022-06-15.pdf'));
    const ppis = list.map((i) => i.ppi).sort((a, b) => a - b);
    // pdfimages rounds: 300 ppi reads as 299 or 300.
    expect(ppis.filter((p) => Math.abs(p - 300) <= 1)).toHaveLength(1);
    expect(ppis.filter((p) => Math.abs(p - 300) > 1)).toHaveLength(4);
    for (const p of ppis) expect(p).toBeLessThan(450);
    expect(Math.max(...images(path.join(outOff, 'zjrb-2022-06-15.pdf')).map((i) => i.ppi))).toBeGreaterThan(600);
  });

  it('says so per photo, against the article that shows it', () => {
    const said = result.diagnostics.items.filter((d) => d.rule === 'image-downsampled');
    expect(said).toHaveLength(1);
    for (const d of said) {
      expect(d.file).toMatch(/politics\.md$/);
      expect(d.message).toMatch(/3200 × 2134 px, \d+ ppi as placed\) is printed at \d+ × \d+ px, 300 ppi/);
    }
    expect(off.diagnostics.items.filter((d) => d.rule === 'image-downsampled')).toEqual([]);
  });

  it('prints every character of the demo either way (the shared verification)', () => {
    expect(verifyBuild(path.join(out, 'zjrb-2022-06-15.pdf'), path.resolve('content/zjrb-2022-06-15'), factsOf(result))).toEqual([]);
  });

  it('moves nothing: the same text on the same lines as with every pixel', () => {
    const text = (dir: string) => run('pdftotext', ['-layout', path.join(dir, 'zjrb-2022-06-15.pdf'), '-']).stdout;
    expect(text(out)).toBe(text(outOff));
  });

  it('tells preflight the pixels printed', () => {
    const column = result.preflight.images.filter((i) => i.src.includes('tiantai'));
    expect(column.map((i) => i.ppi)).toEqual([300]);
  });
});
