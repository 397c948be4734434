/**
 * @font-face rules for prepared fonts: exactly one rule per face. Paged.js re-resolves every
 * rule for each page, and stalls with hundreds of them (e.g. unicode-range slices), so the
 * subset is one TrueType file per face.
 */
import type { PreparedFace, PreparedFonts } from './prepare.ts';

const CSS_WEIGHT = { regular: 400, bold: 700 } as const;

/** A CSS string literal in double quotes. */
function cssString(s: string): string {
  return `"${s.replace(/[\\"\n\r\f]/g, (c) => (c === '\\' || c === '"' ? `\\${c}` : `\\${c.charCodeAt(0).toString(16)} `))}"`;
}

/** The rule for one face. */
export function fontFaceRule(face: PreparedFace, url: string): string {
  return [
    '@font-face {',
    `  font-family: ${cssString(face.cssFamily)};`,
    `  src: url(${cssString(url)}) format("truetype");`,
    `  font-weight: ${CSS_WEIGHT[face.weight]};`,
    `  font-style: ${face.style};`,
    // block: never paint fallback glyphs into a page that is being measured.
    '  font-display: block;',
    '}',
  ].join('\n');
}

/**
 * CSS for all faces, in the order given. `urlFor` maps a face to the URL the page loads it from
 * (e.g. a `file://` URL of `face.file`, or a path relative to the HTML).
 */
export function fontFaceCss(fonts: PreparedFonts, urlFor: (face: PreparedFace) => string): string {
  return fonts.faces.map((f) => fontFaceRule(f, urlFor(f))).join('\n\n') + (fonts.faces.length ? '\n' : '');
}
