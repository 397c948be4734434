/** Real tools on real outputs: poppler, qpdf, epubcheck. */
import { execFileSync, spawnSync } from 'node:child_process';

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
