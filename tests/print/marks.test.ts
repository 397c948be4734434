/**
 * Crop and cross marks on the real demo PDF: the MediaBox holds the marks outside the bleed,
 * BleedBox = trim + bleed, TrimBox = the trimmed page, on every page; the marks are drawn in the
 * margin and stop at the bleed; content that bleeds is clipped at the bleed edge.
 */
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/build.ts';
import { PAPERS, toPoints } from '../../src/config/schema.ts';
import { marksMargin } from '../../src/pdf/marks.ts';
import { pdfBoxes, run } from '../helpers/tools.ts';
import { factsOf, verifyBuild } from '../helpers/verify.ts';
import { renderRegion, tempDir, withPaginator, type Pixels } from './helpers.ts';

const EDITION = path.resolve('content/zjrb-2022-06-15');
const MM = 72 / 25.4;
const TRIM = { width: PAPERS.broadsheet.width * MM, height: PAPERS.broadsheet.height * MM };
const BLEED = toPoints('3mm');
const MARGIN = marksMargin(BLEED);
const INSET = BLEED + MARGIN;

/**
 * A red square over the top-left corner of page 1, 20 mm out: of Paged.js's page box (the trim),
 * into the bleed and beyond; or of the first page's area in Chromium's own print layout.
 */
async function bleedSomething(page: Page): Promise<void> {
  await page.evaluate(() => {
    const red = document.createElement('div');
    const box = document.querySelector('.pagedjs_pagebox');
    red.style.cssText = box
      ? 'position:absolute;left:-20mm;top:-20mm;width:60mm;height:60mm;background:#f00;z-index:1'
      : 'position:absolute;left:-20mm;top:-20mm;width:60mm;height:60mm;background:#f00;z-index:1';
    (box ?? document.body).appendChild(red);
  });
}

function buildWith(paginator: 'auto' | 'pagedjs', out: string): Promise<BuildResult> {
  return withPaginator(paginator, () => build(EDITION, { out, pdf: true, marks: true, inspect: bleedSomething }));
}

// The marks are drawn by postprocess whichever paginator laid the pages out.
describe.each([['auto', 'chromium'], ['pagedjs', 'pagedjs']] as const)('--marks on the demo, PAIBAN_PAGINATOR=%s', (paginator, laidOutBy) => {
  let result: BuildResult;
  let pdf: string;

  beforeAll(async () => {
    const out = tempDir();
    result = await buildWith(paginator, out);
    pdf = path.join(out, 'zjrb-2022-06-15.pdf');
  }, 300_000);

  it('builds without errors, passes qpdf --check and the shared verification', () => {
    expect(result.diagnostics.errors).toEqual([]);
    expect(result.paginators).toEqual([laidOutBy]);
    expect(run('qpdf', ['--check', pdf]).code).toBe(0);
    expect(verifyBuild(pdf, EDITION, factsOf(result))).toEqual([]);
  });

  it('has MediaBox = trim + bleed + marks margin, BleedBox = trim + bleed, TrimBox = trim on every page', () => {
    const boxes = pdfBoxes(pdf);
    const pages = result.pages;
    expect(pages).toBeGreaterThanOrEqual(2);
    for (let p = 1; p <= pages; p++) {
      const get = (name: string) => boxes.find((b) => b.page === p && b.box === name)!.rect;
      const [mx1, my1, mx2, my2] = get('MediaBox') as [number, number, number, number];
      const [tx1, ty1, tx2, ty2] = get('TrimBox') as [number, number, number, number];
      const [bx1, by1, bx2, by2] = get('BleedBox') as [number, number, number, number];
      expect(mx2 - mx1).toBeCloseTo(TRIM.width + 2 * INSET, -0.5); // within 1 pt: Chromium rounds the page
      expect(my2 - my1).toBeCloseTo(TRIM.height + 2 * INSET, -0.5);
      expect(tx2 - tx1).toBeCloseTo(TRIM.width, 1);
      expect(ty2 - ty1).toBeCloseTo(TRIM.height, 1);
      expect(tx1 - mx1).toBeCloseTo(INSET, 1);
      expect(my2 - ty2).toBeCloseTo(INSET, 1);
      expect(tx1 - bx1).toBeCloseTo(BLEED, 1);
      expect(bx2 - tx2).toBeCloseTo(BLEED, 1);
      expect(ty1 - by1).toBeCloseTo(BLEED, 1);
      expect(by2 - ty2).toBeCloseTo(BLEED, 1);
      // The marks margin is outside the BleedBox.
      expect(bx1 - mx1).toBeCloseTo(MARGIN, 1);
    }
  });

  /** Dark pixels of a region (points from the page's top-left corner) of a page rendered once at 2 px/pt. */
  const pages = new Map<number, Pixels>();
  const dark = (page: number, r: { x: number; y: number; w: number; h: number }) => {
    if (!pages.has(page)) pages.set(page, renderRegion(pdf, page, { x: 0, y: 0, w: TRIM.width + 2 * INSET, h: TRIM.height + 2 * INSET }, 2));
    const px = pages.get(page)!;
    let n = 0;
    for (let y = Math.round(r.y * 2); y < Math.round((r.y + r.h) * 2); y++) for (let x = Math.round(r.x * 2); x < Math.round((r.x + r.w) * 2); x++) if (px.at(x, y).every((c) => c < 100)) n++;
    return n;
  };
  const left = INSET;
  const right = INSET + TRIM.width;
  const top = INSET;
  const bottom = INSET + TRIM.height;
  const far = TRIM.height + 2 * INSET;
  const wide = TRIM.width + 2 * INSET;

  it('draws two crop marks at each corner of every page, in the margin, and nothing in the bleed', () => {
    for (let p = 1; p <= result.pages; p++) {
      for (const x of [left, right]) {
        // A vertical mark above and below each trim edge…
        expect(dark(p, { x: x - 3, y: 0, w: 6, h: MARGIN - 0.5 }), `page ${p}: mark above x=${x}`).toBeGreaterThan(20);
        expect(dark(p, { x: x - 3, y: bottom + BLEED + 0.5, w: 6, h: MARGIN - 1 }), `page ${p}: mark below x=${x}`).toBeGreaterThan(20);
      }
      for (const y of [top, bottom]) {
        // …and a horizontal one left and right of each.
        expect(dark(p, { x: 0, y: y - 3, w: MARGIN - 0.5, h: 6 }), `page ${p}: mark left of y=${y}`).toBeGreaterThan(20);
        expect(dark(p, { x: right + BLEED + 0.5, y: y - 3, w: MARGIN - 1, h: 6 }), `page ${p}: mark right of y=${y}`).toBeGreaterThan(20);
      }
    }
    // Page 2 has nothing bleeding: where the marks would run on into the bleed, it is empty.
    expect(dark(2, { x: left - 3, y: MARGIN + 0.5, w: 6, h: BLEED - 1 })).toBe(0);
    expect(dark(2, { x: MARGIN + 0.5, y: top - 3, w: BLEED - 1, h: 6 })).toBe(0);
    expect(dark(2, { x: right - 3, y: bottom + 0.5, w: 6, h: BLEED - 1 })).toBe(0);
  });

  it('draws a cross (registration) mark in the middle of each edge of every page, clear of the bleed', () => {
    const [midX, midY] = [INSET + TRIM.width / 2, INSET + TRIM.height / 2];
    for (let p = 1; p <= result.pages; p++) {
      expect(dark(p, { x: midX - 10 * MM, y: 0, w: 20 * MM, h: MARGIN - 0.5 }), `page ${p}: top`).toBeGreaterThan(50);
      expect(dark(p, { x: midX - 10 * MM, y: bottom + BLEED + 0.5, w: 20 * MM, h: far - bottom - BLEED - 0.5 }), `page ${p}: bottom`).toBeGreaterThan(50);
      expect(dark(p, { x: 0, y: midY - 10 * MM, w: MARGIN - 0.5, h: 20 * MM }), `page ${p}: left`).toBeGreaterThan(50);
      expect(dark(p, { x: right + BLEED + 0.5, y: midY - 10 * MM, w: wide - right - BLEED - 0.5, h: 20 * MM }), `page ${p}: right`).toBeGreaterThan(50);
    }
  });

  it('clips what bleeds at the bleed edge (Chromium: at the page area): the marks margin stays clean', () => {
    const p = renderRegion(pdf, 1, { x: 0, y: 0, w: INSET + 25 * MM, h: INSET + 25 * MM }, 2);
    const red = (x: number, y: number) => {
      const [r, g, b] = p.at(x * 2, y * 2);
      return r > 200 && g < 80 && b < 80;
    };
    if (laidOutBy === 'pagedjs') {
      const y = INSET + 15 * MM; // on the page, well below the corner's crop mark
      expect(red(INSET + 5 * MM, y)).toBe(true); // on the page
      expect(red(INSET - BLEED / 2, y)).toBe(true); // in the bleed
      expect(red(INSET - BLEED - 2 * MM, y)).toBe(false); // in the marks margin
      expect(red(2 * MM, y)).toBe(false);
    } else {
      // Chromium paints nothing outside the page area: the square shows from the area's corner
      // (the template's margins, 18 mm and 20 mm, inside the trim) and nowhere in the bleed.
      const y = INSET + 22 * MM;
      expect(red(INSET + 20 * MM, y)).toBe(true); // on the page area
      expect(red(INSET + 10 * MM, y)).toBe(false); // in the page margin
      expect(red(INSET - BLEED / 2, y)).toBe(false); // in the bleed
      expect(red(2 * MM, y)).toBe(false); // in the marks margin
    }
  });
});
