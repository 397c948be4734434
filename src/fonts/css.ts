/**
 * @font-face rules for prepared fonts: exactly one rule per face. Paged.js re-resolves every
 * rule for each page, and stalls with hundreds of them (e.g. unicode-range slices), so the
 * subset is one TrueType file per face. A fallback face (fallback.ts) carries a unicode-range of
 * the few characters it is there for.
 */
import type { PreparedFace, PreparedFonts } from './prepare.ts';

const CSS_WEIGHT = { regular: 400, bold: 700 } as const;

/**
 * paiban's own text rules, served before the template's stylesheets (which may restyle code, but
 * in the prepared families): code is set in the template's `mono` face, never in the browser's own
 * monospace, whose fontconfig pick for Han (a CFF face) Chromium embeds as Type 3; code is never
 * hyphenated (compose/hyphenate.ts leaves it alone too), a code block wraps inside its column
 * rather than running out of it, and in CJK text code breaks anywhere, as the Han around it does.
 */
export const CODE_CSS = [
  'code, kbd, samp, pre, tt, var { font-family: "pb-mono", "pb-fallback"; hyphens: none; -webkit-hyphens: none; }',
  'pre { white-space: pre-wrap; overflow-wrap: anywhere; }',
  // In a Chinese column of 12 characters an unbreakable code span leaves the line before it loose.
  ':lang(zh) code, :lang(ja) code, :lang(ko) code { word-break: break-all; }',
  '',
].join('\n');

/** A CSS string literal in double quotes. */
function cssString(s: string): string {
  return `"${s.replace(/[\\"\n\r\f]/g, (c) => (c === '\\' || c === '"' ? `\\${c}` : `\\${c.charCodeAt(0).toString(16)} `))}"`;
}

/** `U+4E00, U+4E8C-4E8D`: code points as a unicode-range value, consecutive ones joined. */
export function unicodeRange(codepoints: number[]): string {
  const cps = [...new Set(codepoints)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < cps.length; i++) {
    let j = i;
    while (j + 1 < cps.length && cps[j + 1] === cps[j]! + 1) j++;
    const hex = (n: number) => n.toString(16).toUpperCase();
    parts.push(j > i ? `U+${hex(cps[i]!)}-${hex(cps[j]!)}` : `U+${hex(cps[i]!)}`);
    i = j;
  }
  return parts.join(', ');
}

/** The rule for one face. */
export function fontFaceRule(face: PreparedFace, url: string): string {
  return [
    '@font-face {',
    `  font-family: ${cssString(face.cssFamily)};`,
    `  src: url(${cssString(url)}) format("truetype");`,
    `  font-weight: ${CSS_WEIGHT[face.weight]};`,
    `  font-style: ${face.style};`,
    ...(face.unicodeRange?.length ? [`  unicode-range: ${unicodeRange(face.unicodeRange)};`] : []),
    // block: never paint fallback glyphs into a page that is being measured.
    '  font-display: block;',
    '}',
  ].join('\n');
}

/**
 * CSS for all faces, in the order given (a fallback face after the face it completes: the later
 * rule is tried first for the characters of its range), then paiban's text rules. `urlFor` maps a
 * face to the URL the page loads it from (e.g. a `file://` URL of `face.file`, or a path relative
 * to the HTML).
 */
export function fontFaceCss(fonts: PreparedFonts, urlFor: (face: PreparedFace) => string): string {
  return [...fonts.faces.map((f) => fontFaceRule(f, urlFor(f))), CODE_CSS].join('\n\n');
}
