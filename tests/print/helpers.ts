/** Helpers for the print tests: small editions made on the fly, pixels of rendered PDF regions. */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { encodePng } from '../helpers/png.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A fresh temporary folder, removed after the test file. */
export function tempDir(prefix = 'paiban-print-'): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
}

/** A copy of an edition folder in a temporary folder (so a test may change it). */
export function copyEdition(src: string, name = path.basename(src)): string {
  const dir = path.join(tempDir(), name);
  cpSync(src, dir, { recursive: true });
  return dir;
}

/** A minimal RGB PNG of one colour. */
export function png(width: number, height: number, rgb: [number, number, number] = [90, 120, 160]): Buffer {
  return encodePng({ width, height, colour: 'rgb', pixels: Buffer.from(Array.from({ length: width }, () => rgb).flat()), rows: height });
}

/**
 * A one-page tabloid edition with one article holding a photo of `imagePx` pixels (placed at the
 * column's width) and `extraText` in its body.
 */
export function smallEdition(opts: { imagePx: [number, number]; extraText?: string; name?: string }): string {
  const dir = path.join(tempDir(), opts.name ?? 'small');
  mkdirSync(path.join(dir, 'images'), { recursive: true });
  writeFileSync(path.join(dir, 'images', 'photo.png'), png(...opts.imagePx));
  writeFileSync(
    path.join(dir, 'edition.yaml'),
    ['title: 小样', 'publication: 测试报', 'date: 2022-06-15', 'language: zh-CN', 'paper: a4', 'pages:', '  - layout: flow', '    section: 测试', '    articles:', '      - { file: a.md }', ''].join('\n'),
  );
  const body = ['---', 'title: 图片分辨率', '---', '', `这是一篇测试文章。${opts.extraText ?? ''}`, '', '![图为测试图片](images/photo.png)', '', '文章到此结束。', ''];
  writeFileSync(path.join(dir, 'a.md'), body.join('\n'));
  return dir;
}

export interface Pixels {
  width: number;
  height: number;
  /** RGB of the pixel at (x, y). */
  at(x: number, y: number): [number, number, number];
}

/** Renders a region of a page (in points from the top-left corner) at `scale` pixels per point. */
export function renderRegion(pdf: string, page: number, region: { x: number; y: number; w: number; h: number }, scale = 4): Pixels {
  const r = (v: number) => String(Math.round(v * scale));
  const ppm = execFileSync('pdftoppm', ['-r', String(72 * scale), '-f', String(page), '-l', String(page), '-x', r(region.x), '-y', r(region.y), '-W', r(region.w), '-H', r(region.h), pdf], { maxBuffer: 256 << 20 });
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString('latin1'))!;
  const [width, height] = [Number(header[1]), Number(header[2])];
  const offset = header[0].length;
  return {
    width,
    height,
    at: (x, y) => {
      const i = offset + (Math.round(y) * width + Math.round(x)) * 3;
      return [ppm[i]!, ppm[i + 1]!, ppm[i + 2]!];
    },
  };
}

/** How many pixels of a rendered region are dark (all channels under 100). */
export function darkPixels(p: Pixels): number {
  let n = 0;
  for (let y = 0; y < p.height; y++) for (let x = 0; x < p.width; x++) if (p.at(x, y).every((c) => c < 100)) n++;
  return n;
}

/** `work()` with PAIBAN_PAGINATOR set to `paginator` (`auto`: Chromium's own print layout where it can), restored after. */
export async function withPaginator<T>(paginator: 'auto' | 'pagedjs', work: () => Promise<T>): Promise<T> {
  const before = process.env.PAIBAN_PAGINATOR;
  process.env.PAIBAN_PAGINATOR = paginator;
  try {
    return await work();
  } finally {
    if (before === undefined) delete process.env.PAIBAN_PAGINATOR;
    else process.env.PAIBAN_PAGINATOR = before;
  }
}
