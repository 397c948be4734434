/**
 * Which CJK language systems of a font no text of a document can select, so that the subset may
 * leave them out (subset.py `dropLanguages`). A CJK font's `locl` feature maps each character to
 * its Japanese, Korean, Traditional or Hong Kong form under those systems: kept, they double the
 * glyphs of a Noto CJK subset (8,820 instead of 4,351 glyphs, 3.8 MB instead of 1.7 MB for the
 * bench's 24-page newspaper), and every page load in Chromium pays for the bytes.
 *
 * Chromium hands HarfBuzz the language of the text (its `lang`; for Han characters in text of a
 * non-CJK language, the browser's default locale, which comes from the environment). Only systems
 * that none of those languages maps to are dropped; a language this module cannot place keeps
 * them all. The default language system, and every non-CJK one, always stays.
 */

/** The CJK language systems that may be dropped (OpenType tags, without padding). */
export const CJK_LANGSYS = ['JAN', 'KOR', 'ZHS', 'ZHT', 'ZHH', 'ZHTM'] as const;
type CjkTag = (typeof CJK_LANGSYS)[number];

/** Chinese languages HarfBuzz maps to a ZH* system (other than `zh` itself, handled by region). */
const CHINESE = new Set(['cmn', 'lzh', 'yue', 'cdo', 'cjy', 'cnp', 'cpx', 'csp', 'czh', 'czo', 'gan', 'hak', 'hsn', 'mnp', 'nan', 'wuu', 'zhx']);
const ALL_ZH: CjkTag[] = ['ZHS', 'ZHT', 'ZHH', 'ZHTM'];

/** The CJK systems one BCP 47 tag may select; `undefined`: unknown, keep everything. */
export function cjkSystemsOf(tag: string): CjkTag[] | undefined {
  const parts = tag.trim().replace(/_/g, '-').split('-');
  const primary = parts[0]!.toLowerCase();
  if (!/^[a-z]{2,3}$/.test(primary) || primary === 'und') return undefined;
  if (primary === 'ja') return ['JAN'];
  if (primary === 'ko') return ['KOR'];
  if (CHINESE.has(primary)) return ALL_ZH;
  if (primary !== 'zh') return [];
  const rest = parts.slice(1).map((p) => p.toLowerCase());
  const script = rest.find((p) => /^[a-z]{4}$/.test(p));
  const region = rest.find((p) => /^([a-z]{2}|\d{3})$/.test(p));
  const variants = rest.filter((p) => p !== script && p !== region);
  if (variants.length) return ALL_ZH;
  if (script === 'hans' || (!script && (!region || ['cn', 'sg', 'my'].includes(region)))) return ['ZHS'];
  if ((script === 'hant' || !script) && region === 'tw') return ['ZHT'];
  if (script === 'hant' && !region) return ['ZHT'];
  return ALL_ZH;
}

/** Every language the document names: `lang` and `xml:lang` attributes. */
export function documentLanguages(html: string): string[] {
  const found = new Set<string>();
  for (const m of html.matchAll(/\s(?:xml:)?lang\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)) found.add((m[1] ?? m[2] ?? m[3] ?? '').trim());
  return [...found].sort();
}

/** The browser's default locale as Chromium reads it from the environment (`zh_TW.UTF-8` → `zh-TW`). */
export function environmentLanguages(env: NodeJS.ProcessEnv = process.env): string[] {
  const raw = [...(env.LANGUAGE ?? '').split(':'), env.LC_ALL, env.LC_MESSAGES, env.LANG];
  return raw
    .map((v) => (v ?? '').split('.')[0]!.split('@')[0]!.trim())
    .filter((v) => v && v !== 'C' && v !== 'POSIX')
    .map((v) => v.replace(/_/g, '-'));
}

/**
 * The CJK language systems no language of the document (or of the environment) selects, sorted.
 * Empty when any language is one this module cannot place.
 */
export function unusedCjkSystems(html: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const used = new Set<string>();
  for (const lang of [...documentLanguages(html), ...environmentLanguages(env)]) {
    const systems = cjkSystemsOf(lang);
    if (!systems) return [];
    for (const s of systems) used.add(s);
  }
  return CJK_LANGSYS.filter((t) => !used.has(t));
}
