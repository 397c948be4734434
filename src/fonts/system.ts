/**
 * Finding a font face on this machine: a family name resolved through fontconfig (`fc-match`),
 * or an explicit file path (`/path/font.ttf`, `/path/fonts.ttc#2`).
 *
 * fc-match always answers with *some* font (its best fallback), so the answer is only accepted
 * when the requested family is among the returned face's family names.
 */
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import path from 'node:path';

export type FontWeight = 'regular' | 'bold';
export type FontStyle = 'normal' | 'italic';

export interface ResolveOptions {
  weight: FontWeight;
  style?: FontStyle;
}

/** One face of a font file, as fontconfig describes it. */
export interface SystemFace {
  /** Absolute path of the font file. */
  file: string;
  /** Face index inside a collection (.ttc); 0 for single-face files. */
  index: number;
  /** The face's family name (the requested one when fontconfig knows several). */
  family: string;
  /** fontconfig style name, e.g. `Regular`, `Bold`, `Book`, `Bold Italic`. */
  style: string;
  /**
   * Whether the face really has the requested weight and slant. False e.g. for `AR PL UKai CN`
   * asked in bold: the family has only a Book face, and that is what is returned.
   */
  exact: boolean;
}

/** Debian packages that provide well-known families, for "install X" hints. */
const PACKAGE_HINTS: Array<{ re: RegExp; pkg: string; note?: string }> = [
  { re: /^noto (serif|sans) cjk/i, pkg: 'fonts-noto-cjk', note: 'it has Regular and Bold; other weights are in fonts-noto-cjk-extra' },
  { re: /^ar pl ukai/i, pkg: 'fonts-arphic-ukai' },
  { re: /^ar pl uming/i, pkg: 'fonts-arphic-uming' },
  { re: /^liberation (serif|sans|mono)/i, pkg: 'fonts-liberation2' },
  { re: /^wenquanyi zen hei/i, pkg: 'fonts-wqy-zenhei' },
  { re: /^wenquanyi micro hei/i, pkg: 'fonts-wqy-microhei' },
  { re: /^dejavu/i, pkg: 'fonts-dejavu-core' },
];

/** The Debian package that provides `family`, when known. */
export function debianPackageFor(family: string): string | undefined {
  return PACKAGE_HINTS.find((h) => h.re.test(family.trim()))?.pkg;
}

/** fontconfig compares family names ignoring case and spaces; so do we. */
function sameFamily(a: string, b: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/\s+/g, '');
  return norm(a) === norm(b);
}

/** Escape the characters fontconfig's pattern syntax gives a meaning to. */
function escapePattern(family: string): string {
  return family.replace(/[\\\-:,]/g, (c) => `\\${c}`);
}

/** Split a fontconfig list value (`A,B`) on unescaped commas. */
function splitList(value: string): string[] {
  return value
    .split(/(?<!\\),/)
    .map((s) => s.replace(/\\(.)/g, '$1').trim())
    .filter((s) => s.length > 0);
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          reject(
            new Error(
              `${cmd} not found: fonts are looked up through fontconfig. Install it (apt-get install fontconfig) ` +
                `or name the font file explicitly (/path/font.ttf or /path/fonts.ttc#2).`,
            ),
          );
        } else reject(new Error(`${cmd} ${args.join(' ')} failed: ${stderr.trim() || err.message}`));
        return;
      }
      resolve(stdout);
    });
  });
}

/** fontconfig weight numbers: 80 regular, 180 demibold, 200 bold. Ranges are variable fonts. */
function weightMatches(value: string, want: FontWeight): boolean {
  if (value.startsWith('[')) return true;
  const w = Number(value);
  if (!Number.isFinite(w)) return true;
  return want === 'bold' ? w >= 180 : w < 180;
}

/** fontconfig slant numbers: 0 roman, 100 italic, 110 oblique. */
function slantMatches(value: string, want: FontStyle): boolean {
  const s = Number(value);
  if (!Number.isFinite(s)) return true;
  return want === 'italic' ? s >= 100 : s < 100;
}

/** `true` when `spec` names a file rather than a family: contains a slash or ends like a font file. */
export function isFontPath(spec: string): boolean {
  return spec.includes('/') || /\.(ttf|otf|ttc|otc)(#\d+)?$/i.test(spec);
}

/** Split `file.ttc#2` into file and face index. */
export function parseFontPath(spec: string): { file: string; index: number } {
  const m = /^(.*)#(\d+)$/.exec(spec);
  return m ? { file: m[1]!, index: Number(m[2]) } : { file: spec, index: 0 };
}

async function resolvePath(spec: string, opts: ResolveOptions): Promise<SystemFace> {
  const { file: rel, index } = parseFontPath(spec);
  const file = path.resolve(rel);
  try {
    const st = await stat(file);
    if (!st.isFile()) throw new Error('not a file');
  } catch {
    throw new Error(`Font file ${file} (from "${spec}") does not exist or is not a file: check the path in the edition's font settings.`);
  }
  let family = path.basename(file).replace(/\.[^.]+$/, '');
  let style = '';
  let exact = true;
  try {
    const out = await run('fc-query', ['-i', String(index), '-f', '%{family}\t%{style}\t%{weight}\t%{slant}\n', file]);
    const [fam = '', sty = '', weight = '', slant = ''] = (out.split('\n')[0] ?? '').split('\t');
    if (!fam) throw new Error(`no face ${index} in ${file}`);
    family = splitList(fam)[0] ?? family;
    style = splitList(sty)[0] ?? '';
    exact = weightMatches(weight, opts.weight) && slantMatches(slant, opts.style ?? 'normal');
  } catch (e) {
    // fontconfig is only used for names here; a file it cannot describe is still tried.
    if (/no face|can't query face/i.test((e as Error).message)) {
      throw new Error(`Font file ${file} has no face number ${index}: use a smaller #index (fc-query ${file} lists them).`);
    }
  }
  return { file, index, family, style, exact };
}

/** fontconfig's answers, asked once per process: the face plan and the font stage ask for the same faces, a farm worker for every job. */
const answers = new Map<string, Promise<SystemFace>>();

/**
 * Resolve a family name (or explicit font path) to a face file. Throws when the family is not
 * installed, naming it and the Debian package that provides it when known.
 */
export async function resolveFamily(family: string, opts: ResolveOptions): Promise<SystemFace> {
  if (isFontPath(family)) return resolvePath(family, opts);
  const key = `${family}\0${opts.weight}\0${opts.style ?? 'normal'}`;
  let answer = answers.get(key);
  if (!answer) {
    answer = matchFamily(family, opts);
    answer.catch(() => answers.delete(key));
    answers.set(key, answer);
  }
  return { ...(await answer) };
}

async function matchFamily(family: string, opts: ResolveOptions): Promise<SystemFace> {
  const style = opts.style ?? 'normal';
  const pattern = `${escapePattern(family)}:weight=${opts.weight}${style === 'italic' ? ':slant=italic' : ''}`;
  // embolden/matrix are set when fontconfig would *synthesize* the weight or slant.
  const format = '%{file}\t%{index}\t%{family}\t%{style}\t%{weight}\t%{slant}\t%{embolden}\t%{matrix}';
  const out = await run('fc-match', ['-f', format, pattern]);
  const [file = '', index = '0', families = '', styles = '', weight = '', slant = '', embolden = '', matrix = ''] =
    out.split('\t');
  const names = splitList(families);
  const found = names.find((n) => sameFamily(n, family));
  if (!file || !found) {
    const hint = PACKAGE_HINTS.find((h) => h.re.test(family.trim()));
    throw new Error(
      `Font family "${family}" is not installed (fontconfig would substitute "${names[0] ?? 'nothing'}"). ` +
        (hint
          ? `Install it: apt-get install ${hint.pkg}${hint.note ? ` (${hint.note})` : ''}.`
          : `Install a package that provides it, check the spelling (fc-list : family lists installed families), or give a font file path.`),
    );
  }
  return {
    file,
    index: Number(index) || 0,
    family: found,
    style: splitList(styles)[0] ?? '',
    exact:
      !/true/i.test(embolden) && matrix.trim() === '' && weightMatches(weight, opts.weight) && slantMatches(slant, style),
  };
}
