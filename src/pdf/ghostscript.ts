/**
 * PDF/X and PDF/A through Ghostscript's pdfwrite (Debian package `ghostscript`, only needed for
 * --pdfx and --pdfa): colours converted (CMYK for PDF/X-3, sRGB for PDF/A-2b), an output intent
 * with its ICC profile embedded, fonts re-embedded as subsets (CID TrueType stays CID TrueType).
 * paiban then writes the boxes, metadata, outline and /ID again (postprocess with `conformance`).
 *
 * ICC profiles: Debian ships no press CMYK profile in a package (icc-profiles-free has only the
 * FOGRA/TR measurement data, colord-data only RGB profiles), so PDF/X uses Ghostscript's own
 * "Artifex CMYK SWOP Profile" (default_cmyk.icc) under the registered condition `CGATS TR 001`
 * (SWOP coated). A press's own profile is given with PAIBAN_PDFX_PROFILE (a CMYK .icc file) and
 * PAIBAN_PDFX_CONDITION (its identifier in the ICC registry, e.g. `FOGRA39` or `IFRA26`).
 * PDF/A uses Ghostscript's srgb.icc.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PaibanError } from '../errors.ts';
import { smallerImages } from './image-pick.ts';
import type { PdfConformance } from './xmp.ts';

export interface GhostscriptResult {
  pdf: Uint8Array;
  /** What Ghostscript printed (conformance warnings), one line each; empty when clean. */
  messages: string[];
  /** e.g. `GPL Ghostscript 10.00.0`. */
  version: string;
}

export interface IccChoice {
  file: string;
  /** OutputConditionIdentifier of the output intent. */
  condition: string;
  /** Human-readable /OutputCondition. */
  description: string;
}

const GS_SHARE = ['/usr/share/color/icc/ghostscript', ...ghostscriptShareDirs()];

function ghostscriptShareDirs(): string[] {
  try {
    return readdirSync('/usr/share/ghostscript').map((v) => path.join('/usr/share/ghostscript', v, 'iccprofiles'));
  } catch {
    return [];
  }
}

/** The output profile for a standard: PAIBAN_PDFX_PROFILE, else Ghostscript's own. */
export function iccFor(standard: PdfConformance, env = process.env): IccChoice {
  if (standard === 'pdfx' && env.PAIBAN_PDFX_PROFILE) {
    if (!existsSync(env.PAIBAN_PDFX_PROFILE)) {
      throw new PaibanError('OutputFailed', `PAIBAN_PDFX_PROFILE names ${env.PAIBAN_PDFX_PROFILE}, which does not exist`, { hint: 'give the path of a CMYK output profile (.icc), or unset PAIBAN_PDFX_PROFILE to use Ghostscript\'s SWOP profile' });
    }
    const condition = env.PAIBAN_PDFX_CONDITION ?? path.basename(env.PAIBAN_PDFX_PROFILE, path.extname(env.PAIBAN_PDFX_PROFILE));
    return { file: env.PAIBAN_PDFX_PROFILE, condition, description: condition };
  }
  const name = standard === 'pdfx' ? 'default_cmyk.icc' : 'srgb.icc';
  const file = GS_SHARE.map((d) => path.join(d, name)).find((f) => existsSync(f));
  if (!file) {
    throw new PaibanError('OutputFailed', `Ghostscript's ICC profile ${name} is not installed`, { hint: 'install Ghostscript: apt-get install ghostscript' });
  }
  return standard === 'pdfx'
    ? { file, condition: 'CGATS TR 001', description: 'SWOP coated (Artifex CMYK SWOP Profile)' }
    : { file, condition: 'sRGB IEC61966-2.1', description: 'sRGB' };
}

/** The Ghostscript executable: PAIBAN_GS, else `gs` on the PATH. */
export function ghostscriptBinary(env = process.env): string {
  return env.PAIBAN_GS ?? 'gs';
}

/**
 * Converts `pdf` (a PDF without Info strings Ghostscript cannot carry: see finish.ts) to PDF/X-3
 * or PDF/A-2b. `date` becomes SOURCE_DATE_EPOCH for Ghostscript, whose dates are otherwise the clock.
 */
export async function ghostscript(pdf: Uint8Array, standard: PdfConformance, date: Date, env = process.env): Promise<GhostscriptResult> {
  const gs = ghostscriptBinary(env);
  const version = await gsVersion(gs);
  const icc = iccFor(standard, env);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'paiban-gs-'));
  try {
    const input = path.join(dir, 'in.pdf');
    const def = path.join(dir, 'def.ps');
    await writeFile(input, pdf);
    await writeFile(def, standard === 'pdfx' ? `${pdfxDef(icc)}${JPEG_QUALITY}` : pdfaDef(icc));
    const convert = async (filter: 'jpeg' | 'lossless') => {
      const output = path.join(dir, `out-${filter}.pdf`);
      const args = [
        '-q', '-dBATCH', '-dNOPAUSE', '-dSAFER', `--permit-file-read=${icc.file}`, '-sDEVICE=pdfwrite',
        // The PDF interpreter of Ghostscript 10.0 writes wrong ToUnicode maps for Chromium's CID
        // TrueType subsets (copied or searched text comes out as 闪亮<浙=…); the earlier one keeps them.
        ...(legacyInterpreter(version) ? ['-dNEWPDF=false'] : []),
        // Images keep their resolution (print.downsample already chose it), and their compression
        // as far as the standard allows (see imageArgs).
        '-dDownsampleColorImages=false', '-dDownsampleGrayImages=false', '-dDownsampleMonoImages=false',
        '-dEmbedAllFonts=true', '-dSubsetFonts=true',
        ...imageArgs(standard, filter),
        ...(standard === 'pdfx'
          ? ['-dPDFX', '-sColorConversionStrategy=CMYK', '-sProcessColorModel=DeviceCMYK']
          : ['-dPDFA=2', '-dPDFACompatibilityPolicy=1', '-sColorConversionStrategy=UseDeviceIndependentColor']),
        '-o', output, def, input,
      ];
      const epoch = String(Math.floor(date.getTime() / 1000));
      const { stdout, stderr } = await run(gs, args, { ...env, SOURCE_DATE_EPOCH: epoch });
      const messages = `${stdout}\n${stderr}`.split('\n').map((l) => l.trim()).filter((l) => l && !LEGACY_NOTICE.test(l));
      if (!existsSync(output)) throw new PaibanError('OutputFailed', `Ghostscript wrote no PDF: ${messages.slice(0, 3).join(' / ')}`);
      return { pdf: new Uint8Array(await readFile(output)), messages };
    };
    if (standard === 'pdfa') return { ...(await convert('lossless')), version };
    // PDF/X: every image is encoded again (CMYK); each gets the smaller of JPEG and lossless.
    const [jpeg, lossless] = await Promise.all([convert('jpeg'), convert('lossless')]);
    const picked = await smallerImages(jpeg.pdf, lossless.pdf);
    return { pdf: picked ?? jpeg.pdf, messages: jpeg.messages, version };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** What Ghostscript says of -dNEWPDF=false, each run: not a problem with the file. */
const LEGACY_NOTICE = /legacy PDF interpreter \(-dNEWPDF=false\)/;

/**
 * Whether to run the earlier PDF interpreter: Ghostscript 10.0x (the new interpreter loses the
 * ToUnicode maps of CID TrueType fonts there); later versions drop the earlier one.
 */
export function legacyInterpreter(version: string): boolean {
  const m = /(\d+)\.(\d+)/.exec(version);
  return !!m && Number(m[1]) === 10 && Number(m[2]) < 2;
}

/**
 * Fails early (before the browser runs) when Ghostscript or its profile is missing.
 * Returns the version, e.g. `GPL Ghostscript 10.00.0`.
 */
export async function checkGhostscript(standard: PdfConformance, env = process.env): Promise<string> {
  const version = await gsVersion(ghostscriptBinary(env));
  iccFor(standard, env);
  return version;
}

async function gsVersion(gs: string): Promise<string> {
  try {
    const { stdout } = await run(gs, ['--version'], process.env);
    return `GPL Ghostscript ${stdout.trim()}`;
  } catch (cause) {
    throw new PaibanError('OutputFailed', `--pdfx and --pdfa need Ghostscript, and ${gs} cannot be run`, {
      hint: 'install it (as root: node scripts/setup.mjs --print, or apt-get install ghostscript), or point PAIBAN_GS at a gs executable',
      cause,
    });
  }
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env, maxBuffer: 16 << 20, timeout: 300_000 }, (error, stdout, stderr) => {
      if (error) {
        const e = error as NodeJS.ErrnoException;
        if (e.code === 'ENOENT') return reject(error);
        return reject(new PaibanError('OutputFailed', `Ghostscript failed (${e.code ?? 'error'}): ${String(stderr || stdout).trim().split('\n').slice(0, 5).join(' / ')}`, { hint: 'run with --debug; the PDF without --pdfx/--pdfa is still right', cause: error }));
      }
      resolve({ stdout, stderr });
    });
  });
}

/**
 * How images are written. The printed PDF holds JPEG photos as their own bytes (DCT) and every
 * other image losslessly (Flate).
 *
 * - PDF/A (the archive): colours stay device-independent (ICC-based, as Chromium wrote them), so
 *   Ghostscript needs to decode no image: JPEG data passes through byte for byte, the rest stays
 *   lossless. The file is about the plain PDF's size, and nothing is compressed twice.
 * - PDF/X (the press): everything becomes CMYK, so every image is decoded and written again.
 *   Ghostscript runs twice, side by side: once writing images as JPEG at "high" quality without
 *   chroma subsampling (QFactor 0.4, 1:1: Ghostscript's /printer and what press presets default
 *   to), once losslessly (Flate); each image keeps the smaller (image-pick.ts). A photo comes out
 *   as JPEG (its pixels under Flate take ten to fifteen times as much: that was the PDF/X file
 *   ten times the plain one), flat art and smooth drawings losslessly. Ghostscript's own automatic
 *   choice judges by content and took a grainy photo for flat art. Ghostscript 10.0's PDF
 *   interpreter resets the JPEG settings after the first page, so they are set again at the start
 *   of every page (BeginPage).
 *
 * Sizes against the plain PDF are in docs/print-standards.md.
 */
function imageArgs(standard: PdfConformance, filter: 'jpeg' | 'lossless'): string[] {
  const lossless = ['-dAutoFilterColorImages=false', '-dAutoFilterGrayImages=false', '-sColorImageFilter=FlateEncode', '-sGrayImageFilter=FlateEncode'];
  if (standard === 'pdfa') return ['-dPassThroughJPEGImages=true', '-dPassThroughJPXImages=true', ...lossless];
  return filter === 'lossless' ? lossless : ['-dAutoFilterColorImages=false', '-dAutoFilterGrayImages=false', '-sColorImageFilter=DCTEncode', '-sGrayImageFilter=DCTEncode'];
}

/** JPEG written by Ghostscript (PDF/X's colour conversion), set again on every page (see imageArgs). */
const JPEG_QUALITY = `
% paiban: JPEG at high quality (QFactor 0.4, no chroma subsampling) where images are encoded again,
% on every page: Ghostscript 10.0 forgets distiller parameters after the first.
/paibanJpeg {
  << /ColorImageDict << /QFactor 0.4 /Blend 1 /HSamples [1 1 1 1] /VSamples [1 1 1 1] >>
     /GrayImageDict << /QFactor 0.4 /Blend 1 /HSamples [1 1 1 1] /VSamples [1 1 1 1] >> >> setdistillerparams
} bind def
paibanJpeg
<< /BeginPage { pop paibanJpeg } bind >> setpagedevice
`;

/** A PostScript string literal: ASCII only, with \, ( and ) escaped. */
function ps(s: string): string {
  return `(${s.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?')})`;
}

/** The output intent of a PDF/X-3 file (cf. Ghostscript's lib/PDFX_def.ps), with no DOCINFO of its own. */
function pdfxDef(icc: IccChoice): string {
  return `%!
% paiban: PDF/X-3 output intent. ColorConversionStrategy is CMYK (set on the command line).
[/_objdef {icc_PDFX} /type /stream /OBJ pdfmark
[{icc_PDFX} << /N 4 >> /PUT pdfmark
[{icc_PDFX} ${ps(icc.file)} (r) file /PUT pdfmark
[/_objdef {OutputIntent_PDFX} /type /dict /OBJ pdfmark
[{OutputIntent_PDFX} <<
  /Type /OutputIntent
  /S /GTS_PDFX
  /OutputCondition ${ps(icc.description)}
  /Info ${ps(icc.description)}
  /OutputConditionIdentifier ${ps(icc.condition)}
  /RegistryName (http://www.color.org)
  /DestOutputProfile {icc_PDFX}
>> /PUT pdfmark
[{Catalog} << /OutputIntents [ {OutputIntent_PDFX} ] >> /PUT pdfmark
`;
}

/** The output intent of a PDF/A-2b file (cf. Ghostscript's lib/PDFA_def.ps). */
function pdfaDef(icc: IccChoice): string {
  return `%!
% paiban: PDF/A-2b output intent. ColorConversionStrategy is RGB (set on the command line).
[/_objdef {icc_PDFA} /type /stream /OBJ pdfmark
[{icc_PDFA} << /N 3 >> /PUT pdfmark
[{icc_PDFA} ${ps(icc.file)} (r) file /PUT pdfmark
[/_objdef {OutputIntent_PDFA} /type /dict /OBJ pdfmark
[{OutputIntent_PDFA} <<
  /Type /OutputIntent
  /S /GTS_PDFA1
  /DestOutputProfile {icc_PDFA}
  /OutputConditionIdentifier ${ps(icc.condition)}
  /Info ${ps(icc.description)}
>> /PUT pdfmark
[{Catalog} << /OutputIntents [ {OutputIntent_PDFA} ] >> /PUT pdfmark
`;
}
