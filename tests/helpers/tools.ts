/** Real tools on real outputs: poppler, qpdf, epubcheck. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...opts.env } });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

export function pdftotext(pdf: string, ...flags: string[]): string {
  return execFileSync('pdftotext', [...flags, pdf, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

export interface FontRow {
  name: string;
  type: string;
  emb: string;
}

export function pdffonts(pdf: string): FontRow[] {
  const lines = execFileSync('pdffonts', [pdf], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
  // Columns are fixed-width: name (37), type (18), encoding (17), emb …
  return lines.map((l) => ({ name: l.slice(0, 37).trim(), type: l.slice(37, 55).trim(), emb: l.slice(72, 76).trim() }));
}

export function pdfBoxes(pdf: string): { page: number; box: string; rect: number[] }[] {
  const out = execFileSync('pdfinfo', ['-box', '-f', '1', '-l', '9999', pdf], { encoding: 'utf8' });
  return [...out.matchAll(/^Page\s+(\d+)\s+(\w+Box):\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)/gm)].map((m) => ({
    page: Number(m[1]),
    box: m[2]!,
    rect: [m[3], m[4], m[5], m[6]].map(Number),
  }));
}

export function epubcheck(epub: string): { summary: string; output: string } {
  const r = run('java', ['-jar', '/usr/share/java/epubcheck.jar', epub]);
  const output = r.stdout + r.stderr;
  return { summary: /Messages: .*/.exec(output)?.[0] ?? output, output };
}

/** Han characters and their counts. */
export function hanCounts(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of text.match(/\p{Script=Han}/gu) ?? []) m.set(c, (m.get(c) ?? 0) + 1);
  return m;
}

/**
 * The printed lines of a PDF from `pdftotext -bbox-layout`. Where two full-width marks meet (”；),
 * text-spacing-trim sets them in 1.5 em and poppler, taking each glyph's width from the font, sees
 * the second overlap the first and starts a new "line" mid-line: pieces on one baseline that touch
 * are joined before line starts and ends are judged.
 */
export function printedLines(pdf: string): string[] {
  const xml = pdftotext(pdf, '-bbox-layout');
  const unescape = (t: string) => t.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"');
  const raw = [...xml.matchAll(/<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([\s\S]*?)<\/line>/g)].map((m) => ({
    x0: Number(m[1]),
    y0: Number(m[2]),
    x1: Number(m[3]),
    text: [...m[4]!.matchAll(/<word[^>]*>([^<]*)<\/word>/g)].map((w) => unescape(w[1]!)).join(''),
  }));
  const lines: string[] = [];
  raw.forEach((l, i) => {
    const prev = raw[i - 1];
    if (prev && Math.abs(l.y0 - prev.y0) < 1 && l.x0 < prev.x1 + 2 && l.x0 > prev.x0) lines[lines.length - 1] += l.text;
    else lines.push(l.text);
  });
  return lines;
}

/**
 * The tools `node scripts/setup.mjs --test` installs (`npm test` runs it first). A test that needs
 * one calls this at its top: a missing tool fails the file with what to install, never skips it.
 */
const TOOLS = {
  epubcheck: { pkg: 'epubcheck', ok: () => existsSync('/usr/share/java/epubcheck.jar') && run('java', ['-version']).code === 0 },
  python3: { pkg: 'python3-fonttools', ok: () => run(process.env.PAIBAN_PYTHON || '/usr/bin/python3', ['-c', 'import xml.dom.minidom, fontTools']).code === 0 },
  ace: { pkg: 'the npm devDependency @daisy/ace-cli (npm ci) and chromium', ok: () => existsSync(path.resolve('node_modules/@daisy/ace-cli/bin/ace.js')) && existsSync(process.env.PAIBAN_CHROME ?? '/usr/bin/chromium') },
  qpdf: { pkg: 'qpdf', ok: () => run('qpdf', ['--version']).code === 0 },
  ghostscript: { pkg: 'ghostscript', ok: () => run(process.env.PAIBAN_GS ?? 'gs', ['--version']).code === 0 },
  poppler: { pkg: 'poppler-utils', ok: () => ['pdftotext', 'pdffonts', 'pdfinfo', 'pdfimages', 'pdftoppm'].every((t) => run(t, ['-v']).code === 0) },
} as const;

export type Tool = keyof typeof TOOLS;

export function requireTools(...names: Tool[]): void {
  const missing = names.filter((n) => !TOOLS[n].ok());
  if (missing.length) {
    throw new Error(
      `these tests need ${missing.join(', ')}, which the set-up installs and this machine lacks: run \`node scripts/setup.mjs --test\` as root (it installs ${missing.map((n) => TOOLS[n].pkg).join(', ')}), or \`npm test\`, which runs it first`,
    );
  }
}
