/** What the build says about its fonts: characters no font has, and each face's warnings. */
import type { Diagnostics } from '../diagnostics.ts';
import type { RenderedArticle } from '../model.ts';
import type { PreparedFonts } from './prepare.ts';

export function reportFonts(fonts: PreparedFonts, articles: RenderedArticle[], diagnostics: Diagnostics): void {
  for (const ch of fonts.uncovered) {
    const where = articles.find((a) => a.text.includes(ch) || a.front.title.includes(ch));
    diagnostics.warn(where?.file ?? 'edition.yaml', 'missing-glyph', `no font has "${ch}" (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}): it would print as an empty box; add a font that has it under fonts: in edition.yaml`);
  }
  for (const f of fonts.faces) for (const w of f.warnings) diagnostics.info('edition.yaml', 'font', `${f.cssFamily}: ${w}`);
}
