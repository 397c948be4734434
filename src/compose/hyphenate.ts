/**
 * Latin hyphenation for print. Debian's Chromium has no hyphenation dictionaries offline, so
 * `hyphens: auto` does nothing: paiban inserts soft hyphens (U+00AD) with Liang's patterns from
 * the `hyphen` package. After layout, the browser turns the soft hyphens where lines broke into
 * real hyphens and drops the rest (src/paginate/hyphens.ts), so no soft hyphen reaches the PDF's
 * text. The EPUB gets the text unhyphenated: reading systems hyphenate themselves.
 */
import { createRequire } from 'node:module';
import { LIMITS } from '../limits.ts';

export type Hyphenator = (html: string) => string;

/** Pattern modules of the `hyphen` package by BCP 47 language (primary subtag or full tag). */
const PATTERNS: Record<string, string> = {
  en: 'hyphen/en-us',
  'en-us': 'hyphen/en-us',
  'en-gb': 'hyphen/en-gb',
  de: 'hyphen/de',
  fr: 'hyphen/fr',
  es: 'hyphen/es',
  it: 'hyphen/it',
  nl: 'hyphen/nl',
  pt: 'hyphen/pt',
  sv: 'hyphen/sv',
  da: 'hyphen/da',
  nb: 'hyphen/nb',
  pl: 'hyphen/pl',
  cs: 'hyphen/cs',
  fi: 'hyphen/fi',
};

export function patternsFor(language: string): string | undefined {
  const l = language.toLowerCase();
  return PATTERNS[l] ?? PATTERNS[l.split('-')[0]!];
}

/** Load one hyphenator per language that has patterns; CJK and unknown languages get none. */
export async function loadHyphenators(languages: Iterable<string>): Promise<Map<string, Hyphenator>> {
  const out = new Map<string, Hyphenator>();
  for (const lang of new Set(languages)) {
    const mod = patternsFor(lang);
    if (!mod) continue;
    type Patterns = { hyphenateSync: (t: string, o: object) => string };
    // A CommonJS package whose pattern modules are folders (hyphen/en/index.js): require finds
    // them, Node's ES module resolver does not (ERR_UNSUPPORTED_DIR_IMPORT from compiled code).
    const { hyphenateSync } = createRequire(import.meta.url)(mod) as Patterns;
    out.set(lang, (html) => skippingCode(html, (h) => skippingLongWords(h, (x) => hyphenateSync(x, { html: true, minWordLength: 6, hyphenChar: '\u00ad' }))));
  }
  return out;
}

/**
 * Code (code, kbd, samp, pre, tt, var) is never hyphenated: a soft hyphen in an identifier could
 * break it at a hyphen that is not in the code. Set aside behind placeholders, like long words.
 */
function skippingCode(html: string, hyphenate: (html: string) => string): string {
  const kept: string[] = [];
  const marked = html.replace(/<(code|kbd|samp|pre|tt|var)\b[^>]*>[\s\S]*?<\/\1>/gi, (m) => `\uE002${kept.push(m) - 1}\uE003`);
  if (!kept.length) return hyphenate(html);
  return hyphenate(marked).replace(/\uE002(\d+)\uE003/g, (_, i: string) => kept[Number(i)]!);
}

/**
 * Words longer than LIMITS.hyphenateWordChars are not hyphenated (the patterns take quadratic time
 * on them: a 100,000-letter word took minutes); they are set aside behind placeholders that hold
 * no letters, and the stylesheet's overflow-wrap breaks them anywhere.
 */
function skippingLongWords(html: string, hyphenate: (html: string) => string): string {
  const long = new RegExp(`[\\p{L}\\p{M}]{${LIMITS.hyphenateWordChars + 1},}`, 'gu');
  const kept: string[] = [];
  const marked = html.replace(long, (w) => `\uE000${kept.push(w) - 1}\uE001`);
  if (!kept.length) return hyphenate(html);
  return hyphenate(marked).replace(/\uE000(\d+)\uE001/g, (_, i: string) => kept[Number(i)]!);
}
