/**
 * Unit-test helpers: throwaway editions in a temp folder, the demo edition's path, and a way to
 * collect the PaibanErrors a stage throws (one PaibanError or several in a PaibanErrors).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect } from 'vitest';
import { PaibanError, PaibanErrors } from '../../src/errors.ts';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const DEMO = path.join(REPO, 'content', 'zjrb-2022-06-15');
export const FIXTURES = path.join(REPO, 'tests', 'fixtures');

/** A 1×1 PNG, enough for an image that exists. */
export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

const made: string[] = [];
afterAll(async () => {
  await Promise.all(made.map((d) => rm(d, { recursive: true, force: true })));
});

/**
 * Write an edition into a fresh temp folder (`<tmp>/<slug>/`) and return its path. Keys are paths
 * relative to the edition; values are text (written as UTF-8) or raw bytes.
 */
export async function tempEdition(files: Record<string, string | Uint8Array>, slug = 'edition'): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'paiban-unit-'));
  made.push(root);
  const dir = path.join(root, slug);
  await mkdir(dir, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, content);
  }
  return dir;
}

/** Lines joined with \n, so a test can count them: lines(a, b)[line 2] is b. */
export function lines(...ls: string[]): string {
  return ls.join('\n') + '\n';
}

/** An article file with front matter. */
export function article(front: Record<string, string>, body: string): string {
  const fm = Object.entries(front).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  return ['---', ...fm, '---', '', body].join('\n') + '\n';
}

/** Await `p`, which must reject with PaibanError(s); return them flattened. */
export async function errorsOf(p: Promise<unknown>): Promise<PaibanError[]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PaibanErrors) return e.errors;
    if (e instanceof PaibanError) return [e];
    throw e;
  }
  throw new Error('expected the call to fail with PaibanError(s), but it succeeded');
}

/** Same for a synchronous call. */
export function errorsOfSync(f: () => unknown): PaibanError[] {
  try {
    f();
  } catch (e) {
    if (e instanceof PaibanErrors) return e.errors;
    if (e instanceof PaibanError) return [e];
    throw e;
  }
  throw new Error('expected the call to fail with PaibanError(s), but it succeeded');
}

/** The one error with `code`, with the shape every user-facing error must have. */
export function theError(errors: PaibanError[], code: string): PaibanError {
  const hits = errors.filter((e) => e.code === code);
  expect(hits.map((e) => e.format()), `one ${code} among: ${errors.map((e) => e.format()).join(' | ')}`).toHaveLength(1);
  const e = hits[0]!;
  expectWellFormatted(e);
  return e;
}

/** format(): `file:line: error Code: message` + a hint line with →, and no stack trace. */
export function expectWellFormatted(e: PaibanError): void {
  const f = e.format();
  expect(f).toContain(`error ${e.code}:`);
  expect(f).toContain('→');
  expect(f).not.toMatch(/^\s+at /m);
  expect(f).not.toMatch(/\.ts:\d+:\d+\)?$/m);
  expect(f).not.toContain('Error:');
  if (e.where) expect(f.startsWith(`${e.where.file}${e.where.line !== undefined ? `:${e.where.line}` : ''}`)).toBe(true);
}
