/** `--html`: the composed print document as one file another paginator can take. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ComposedDocument } from '../compose/compose.ts';
import type { PreparedFonts } from '../fonts/prepare.ts';
import type { LoadedEdition } from '../load/edition.ts';

/** The composed print document without scripts, for another paginator: styles inlined, fonts and images by file URL. */
export async function standaloneHtml(composed: ComposedDocument, fontsCss: string, fonts: PreparedFonts, edition: LoadedEdition, out: string): Promise<string> {
  const fontUrls = new Map(fonts.faces.map((f) => [`/_paiban/font-${f.sha256.slice(0, 16)}.ttf`, `file://${f.file}`]));
  const css = [fontsCss.replace(/\/_paiban\/font-[0-9a-f]+\.ttf/g, (u) => fontUrls.get(u) ?? u), composed.pageCss];
  for (const s of composed.stylesheets) css.push(await readFile(s.file, 'utf8'));
  const base = path.relative(path.resolve(out), edition.dir).split(path.sep).join('/') + '/';
  return composed.html
    .replace(/<base href="[^"]*" \/>/, `<base href="${base}" />`)
    .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\n?/, '')
    .replace(/(<link rel="stylesheet" href="[^"]*" \/>\n?)+/, `<style>\n${css.join('\n').replace(/<\/style/gi, '<\\/style')}\n</style>\n`);
}
