/**
 * What a local build may read that a farm job must not: an edition's own template given by a path
 * outside its folder (`template: ../theme`), and font files named by path (`fonts: { body:
 * /somewhere/x.ttf }`, in edition.yaml or an own template). On a worker those would be files of the
 * worker's machine, not of the job. So a job's template must be paiban's own or a folder inside the
 * edition, and a font file must be an installed one, under the system's font folders (a fontconfig
 * family name always works). The rest of what a build reads is already held inside the edition
 * folder by the build itself (articles, images, every file the browser asks for).
 */
import { realpath } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TemplateSchema } from '../compose/template.ts';
import { EditionSchema } from '../config/schema.ts';
import { PaibanError } from '../errors.ts';
import { isFontPath, parseFontPath } from '../fonts/system.ts';
import { isInside, readTextFile } from '../load/files.ts';
import { parseYaml } from '../load/yaml.ts';

/** Where installed fonts live (fontconfig's default folders on Debian). */
export const FONT_DIRS = ['/usr/share/fonts', '/usr/local/share/fonts', path.join(os.homedir(), '.local/share/fonts'), path.join(os.homedir(), '.fonts')];

const within = (dir: string, p: string) => p === dir || isInside(dir, p);

export async function guardEdition(editionDirArg: string): Promise<void> {
  const editionDir = await realpath(editionDirArg);
  let parsed;
  try {
    parsed = parseYaml(await readTextFile(path.join(editionDir, 'edition.yaml'), 'edition.yaml'), EditionSchema, 'edition.yaml', 'EditionInvalid');
  } catch {
    return; // The build reads it the same way and reports what is wrong, with its line.
  }
  const { value: config, locate } = parsed;
  const fonts: { spec: string; file: string; where: { line?: number } }[] = Object.entries(config.fonts ?? {}).map(([role, spec]) => ({ spec: spec!, file: 'edition.yaml', where: locate(['fonts', role]) }));
  const name = config.template;
  if (name.includes('/') || name.startsWith('.')) {
    const dir = path.resolve(editionDir, name);
    const real = await realpath(dir).catch(() => dir);
    if (!within(editionDir, path.resolve(editionDir, name)) || !within(editionDir, real)) {
      throw new PaibanError('PathOutsideEdition', `template "${name}" is outside the edition folder, and a farm job carries only the edition folder`, {
        where: { file: 'edition.yaml', ...locate(['template']) },
        hint: 'move the template folder into the edition folder and name it by a relative path (template: ./theme), or use paiban build on a machine that has it',
      });
    }
    const file = path.join(real, 'template.yaml');
    const shown = path.relative(editionDir, file);
    try {
      const { value: meta, locate: at } = parseYaml(await readTextFile(file, shown), TemplateSchema, shown, 'EditionInvalid');
      for (const [role, spec] of Object.entries(meta.fonts)) fonts.push({ spec, file: shown, where: at(['fonts', role]) });
    } catch {
      // No template.yaml, or a broken one: the build reports it.
    }
  }
  for (const f of fonts) {
    if (!isFontPath(f.spec)) continue;
    const file = parseFontPath(f.spec).file;
    const real = path.isAbsolute(file) ? await realpath(file).catch(() => file) : undefined;
    if (real && FONT_DIRS.some((d) => within(d, real))) continue;
    throw new PaibanError('PathOutsideEdition', `font file "${f.spec}" is ${real ? 'not an installed font' : 'a relative path'}: a farm job may name only fonts installed on the workers`, {
      where: { file: f.file, ...f.where },
      hint: `give a fontconfig family name (fc-list : family lists them), or the absolute path of a font under ${FONT_DIRS[0]} installed on every worker`,
    });
  }
}
