/**
 * Test helpers: PDFs made with pdf-lib that look like Chromium's (a MediaBox per page, classic
 * xref table, some Helvetica text), and runners for the real checkers (qpdf, pdfinfo, pdftotext).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { PDFDict, PDFDocument, PDFName, StandardFonts } from 'pdf-lib';

export const MM = 72 / 25.4;

export interface FakePrint {
  /** MediaBox size of every page, in points. */
  width: number;
  height: number;
  pages: number;
  /** Text drawn on page i (default `Page i+1`). */
  text?: (i: number) => string;
  /** Put the MediaBox on the page tree root only, as some writers do. */
  inheritMediaBox?: boolean;
  /** Last changes before saving (e.g. a catalog /Dests, link annotations). */
  edit?: (doc: PDFDocument) => void;
}

/** A PDF "as printed": the Info dictionary carries pdf-lib's clock-stamped dates, as Chromium's does. */
export async function fakePrint(p: FakePrint): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < p.pages; i++) {
    const page = doc.addPage([p.width, p.height]);
    page.drawText(p.text ? p.text(i) : `Page ${i + 1}`, { x: 40, y: p.height - 60, size: 24, font });
    page.drawRectangle({ x: 0, y: 0, width: p.width, height: p.height, borderWidth: 1 });
  }
  if (p.inheritMediaBox) {
    const root = doc.catalog.lookup(PDFName.of('Pages'), PDFDict);
    root.set(PDFName.of('MediaBox'), doc.context.obj([0, 0, p.width, p.height]));
    for (const page of doc.getPages()) page.node.delete(PDFName.of('MediaBox'));
  }
  p.edit?.(doc);
  return doc.save({ useObjectStreams: false });
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Writes `bytes` to a fresh temporary file and returns its path. */
export async function tempPdf(bytes: Uint8Array, name = 'out.pdf'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'paiban-pdf-test-'));
  dirs.push(dir);
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return file;
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a tool in UTC (pdfinfo prints dates in the local time zone). */
export function run(cmd: string, args: string[]): Run {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `qpdf --check`: exit 0 (3 means warnings) and not a single WARNING line. */
export function qpdfCheck(file: string): Run {
  return run('qpdf', ['--check', file]);
}

/** pdfinfo's `Key: value` lines as a map. */
export function pdfinfo(file: string, ...args: string[]): Map<string, string> {
  const r = run('pdfinfo', [...args, file]);
  if (r.status !== 0) throw new Error(`pdfinfo failed: ${r.stderr}`);
  const map = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m) map.set(m[1]!.trim(), m[2]!.trim());
  }
  return map;
}

/** `pdfinfo -box`: box name → [x1, y1, x2, y2] for each page (index 0 = page 1). */
export function pageBoxes(file: string, pages: number): Array<Record<string, number[]>> {
  const r = run('pdfinfo', ['-box', '-f', '1', '-l', String(pages), file]);
  const out: Array<Record<string, number[]>> = [];
  for (const m of r.stdout.matchAll(/^Page\s+(\d+)\s+(\w+Box):\s+(.*)$/gm)) {
    const page = (out[Number(m[1]) - 1] ??= {});
    page[m[2]!] = m[3]!.trim().split(/\s+/).map(Number);
  }
  return out;
}

/** Outline as qpdf reads it: title, 1-based target page, children. */
export interface ReadOutline {
  title: string;
  page: number;
  dest: unknown[];
  open: boolean;
  kids: ReadOutline[];
}

export function qpdfOutline(file: string): ReadOutline[] {
  const r = run('qpdf', ['--json', '--json-key=outlines', file]);
  if (r.status !== 0) throw new Error(`qpdf --json failed: ${r.stderr}`);
  type Raw = { title: string; destpageposfrom1: number; dest: unknown[]; open: boolean; kids: Raw[] };
  const conv = (o: Raw): ReadOutline => ({ title: o.title, page: o.destpageposfrom1, dest: o.dest, open: o.open, kids: o.kids.map(conv) });
  return (JSON.parse(r.stdout) as { outlines: Raw[] }).outlines.map(conv);
}

/** The trailer /ID strings, lower-case hex. */
export function trailerId(file: string): string[] {
  const r = run('qpdf', ['--show-object=trailer', file]);
  const m = /\/ID \[ <([0-9a-f]*)> <([0-9a-f]*)> \]/.exec(r.stdout);
  return m ? [m[1]!, m[2]!] : [];
}

/** Text of each page, by pdftotext. */
export function pageTexts(file: string, pages: number): string[] {
  return Array.from({ length: pages }, (_, i) => run('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), file, '-']).stdout.trim());
}
