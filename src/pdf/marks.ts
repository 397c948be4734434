/**
 * Printer's marks (crop and cross/registration marks) outside the bleed: their geometry. They are
 * drawn into the printed PDF by postprocess (draw-marks.ts), whichever paginator laid the pages
 * out; the sheet grows by the marks margin on every side (native.ts for Chromium's print layout,
 * marksCss below for Paged.js).
 *
 * What Paged.js 0.4.3 does with `@page { marks: crop cross }` (src/modules/paged-media/atpage.js,
 * src/polisher/base.js): the page does NOT grow. Each sheet is `size + bleed` (6 mm of bleed is
 * made up only when none is given) and the marks are drawn INSIDE the bleed band: crop marks run
 * from the sheet edge to `--pagedjs-crop-offset` (2 mm) from the trim, the cross is centred in the
 * band. With a 3 mm bleed that gives 1 mm crop marks lying on top of the bleed: useless to a printer,
 * and the MediaBox would equal the BleedBox with no room for marks.
 *
 * So with marks paiban tells Paged.js a bleed of `bleed + margin` and no marks of its own: the
 * sheet grows by the marks margin on every side, and the page box is clipped to trim + bleed, so
 * that nothing bleeds into the marks area. The crop marks start at the outer edge of the real bleed
 * (crop offset = bleed, at least 3 mm) and run to the sheet edge; the cross sits in the middle of
 * the band, clear of the bleed. The PDF boxes follow (postprocess): MediaBox = trim + 2·(bleed +
 * margin), BleedBox = trim + 2·bleed, TrimBox = trim.
 */

const MM = 72 / 25.4;

/** Size of a cross mark (Paged.js's default size), which the margin below holds. */
export const CROSS_SIZE = 5 * MM;

/**
 * The marks margin outside the bleed, in points: 10 mm, more for bleeds over 4 mm, so that the
 * cross (5 mm, centred in the bleed + margin band) never reaches into the bleed.
 */
export function marksMargin(bleed: number): number {
  return round3(Math.max(10 * MM, bleed + CROSS_SIZE + 1 * MM));
}

/** Where the crop marks start, measured from the trim: at the edge of the bleed, at least 3 mm. */
export function cropOffset(bleed: number): number {
  return round3(Math.max(bleed, 3 * MM));
}

/**
 * CSS appended after the generated page CSS when marks are on, for Paged.js: later `@page`
 * declarations win in Paged.js, so this overrides the bleed the template's page rule gave.
 * (Chromium's print layout knows no `bleed` and ignores it: native.ts grows its sheet itself.)
 */
export function marksCss(bleed: number): string {
  const pt = (n: number) => `${round3(n)}pt`;
  return [
    '/* paiban print marks (src/pdf/marks.ts): a margin outside the bleed, where postprocess draws the marks. */',
    `@page { bleed: ${pt(bleed + marksMargin(bleed))}; }`,
    // Content that bleeds stops at the bleed edge: the marks area stays clean.
    `.pagedjs_pagebox { clip-path: inset(${pt(-bleed)}); }`,
    '',
  ].join('\n');
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
