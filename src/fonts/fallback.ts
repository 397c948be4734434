/**
 * Faces for characters no face of the font stack has. Chromium would set them in a font it picks
 * on its own through fontconfig, and embed that font as Type 3 when it is CFF (Debian's Noto CJK);
 * paiban picks the font instead, in fontconfig's order for the document's language, and prepares
 * it like every other face (subset, converted to TrueType). Its @font-face rule completes each
 * face of the stack that lacks those characters, with their unicode-range (css.ts), so the
 * browser finds them in a prepared face and never falls back to the system.
 */
import { execFile } from 'node:child_process';
import { coverage } from './cmap.ts';
import type { FaceRequest } from './prepare.ts';
import type { FaceCoverage } from './usage.ts';

export interface FallbackGroup {
  /** A font file spec as fonts: takes it (`/path/font.ttc#2`). */
  spec: string;
  /** fontconfig's family name of it, for messages. */
  family: string;
  /** The characters it is there for. */
  chars: string[];
}

/** Font files fontTools can subset: OpenType/TrueType and their collections (not Type 1, not bitmaps). */
const OUTLINE = /\.(ttf|otf|ttc|otc)$/i;

function fcSort(lang: string): Promise<{ file: string; index: number; family: string }[]> {
  const pattern = `:lang=${lang.replace(/[^A-Za-z0-9-]/g, '')}:weight=regular:slant=roman`;
  return new Promise((resolve) => {
    execFile('fc-match', ['-s', '-f', '%{file}\t%{index}\t%{family[0]}\n', pattern], { encoding: 'utf8', timeout: 30_000, maxBuffer: 16 << 20 }, (err, stdout) => {
      // Without fontconfig the stack's faces still print; the characters are reported missing.
      if (err) return resolve([]);
      resolve(
        stdout
          .split('\n')
          .map((l) => l.split('\t'))
          .filter(([file]) => file && OUTLINE.test(file))
          .map(([file, index, family]) => ({ file: file!, index: Number(index) || 0, family: family ?? file! })),
      );
    });
  });
}

/**
 * For each character, the first font in fontconfig's fallback order for `lang` that has it;
 * grouped by font. Characters no installed font has, and private-use ones, are left out (they are
 * reported as missing).
 */
export async function fallbackGroups(chars: string[], lang: string): Promise<FallbackGroup[]> {
  // A private-use character means what one font says it means: another font's glyph for it is
  // not the author's. It stays missing (reported), never "found".
  chars = chars.filter((ch) => !/\p{Co}/u.test(ch));
  if (!chars.length) return [];
  const fonts = await fcSort(lang);
  const groups = new Map<string, FallbackGroup>();
  for (const ch of chars) {
    const cp = ch.codePointAt(0)!;
    for (const f of fonts) {
      const has = await coverage(f.file, f.index).catch(() => new Set<number>());
      if (!has.has(cp)) continue;
      const spec = `${f.file}#${f.index}`;
      const g = groups.get(spec) ?? { spec, family: f.family, chars: [] };
      g.chars.push(ch);
      groups.set(spec, g);
      break;
    }
  }
  return [...groups.values()];
}

/**
 * The fallback faces' requests: for every face of the stack and every group, a face of the same
 * css family, weight and style whose range is the group's characters that face lacks.
 */
export function fallbackRequests(faces: FaceRequest[], covers: FaceCoverage[], groups: FallbackGroup[]): (FaceRequest & { text: string })[] {
  const out: (FaceRequest & { text: string })[] = [];
  for (const g of groups) {
    const text = [...g.chars].sort().join('');
    faces.forEach((f, i) => {
      const range = g.chars.map((ch) => ch.codePointAt(0)!).filter((cp) => !covers[i]!.has.has(cp));
      if (range.length) out.push({ cssFamily: f.cssFamily, family: g.spec, weight: f.weight, style: f.style ?? 'normal', text, unicodeRange: range.sort((a, b) => a - b) });
    });
  }
  return out;
}
