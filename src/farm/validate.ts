/**
 * A worker trusts nothing in a job: anyone who can write to the farm's Redis can put one there.
 * The job's data is parsed by a strict schema, every path of the edition must be a plain relative
 * path (no `..`, no absolute path, no empty or dot segment, no control character), the edition
 * folder's name a plain name, the sizes within FARM_LIMITS. A job that fails here fails once
 * (JobInvalid), with what is wrong.
 */
import { z } from 'zod';
import { PaibanError } from '../errors.ts';
import { formatBytes } from '../limits.ts';
import { FARM_LIMITS, type JobData } from './job.ts';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** Why `segment` cannot be a file or folder name, or undefined when it can. */
function badSegment(segment: string): string | undefined {
  if (segment === '') return 'an empty segment (//, or a / at either end)';
  if (segment === '.' || segment === '..') return `a "${segment}" segment`;
  if (bytes(segment) > 255) return 'a name longer than 255 bytes';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(segment)) return 'a control character or a backslash';
  return undefined;
}

/** Why `p` is not a plain path inside the edition folder, or undefined when it is. */
export function badPath(p: string): string | undefined {
  if (bytes(p) > FARM_LIMITS.pathBytes) return `it is longer than ${FARM_LIMITS.pathBytes} bytes`;
  if (p.startsWith('/')) return 'it is absolute';
  for (const s of p.split('/')) {
    const bad = badSegment(s);
    if (bad) return `it has ${bad}`;
  }
  return undefined;
}

/** Why `slug` cannot name the edition folder and its outputs, or undefined when it can. */
export function badSlug(slug: string): string | undefined {
  if (slug.includes('/')) return 'it has a / in it';
  if (slug.startsWith('.')) return 'it starts with a dot (hidden files, and paiban\'s temporary ones, start so)';
  const bad = badSegment(slug);
  return bad && `it is not a plain name (${bad})`;
}

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in hex');
const File = z.strictObject({
  path: z.string().min(1),
  sha256: Sha256,
  size: z.number().int().min(0).max(FARM_LIMITS.fileBytes),
});
const Schema = z.strictObject({
  v: z.literal(1),
  slug: z.string().min(1),
  files: z.array(File).min(1).max(FARM_LIMITS.files),
  options: z.strictObject({
    pdf: z.boolean().optional(),
    epub: z.boolean().optional(),
    strict: z.boolean().optional(),
    marks: z.boolean().optional(),
    tagged: z.boolean().optional(),
    pdfx: z.boolean().optional(),
    pdfa: z.boolean().optional(),
  }),
  workers: z.number().int().min(1).max(64),
  sourceDateEpoch: z.string().regex(/^\d{1,12}$/).optional(),
  out: z.string().min(1).max(4096).optional(),
  source: z.strictObject({ host: z.string().max(255), dir: z.string().max(4096) }),
  report: z.unknown().optional(),
});

const invalid = (what: string) =>
  new PaibanError('JobInvalid', `the job is not one paiban enqueue makes: ${what}`, {
    hint: 'submit editions with paiban enqueue (or paiban serve); a job written into Redis by hand is refused',
  });

/** The job's data, checked; JobInvalid saying what is wrong. */
export function parseJobData(data: unknown): JobData {
  const r = Schema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw invalid(`${issue.path.join('.') || 'data'}: ${issue.message}`);
  }
  const d = r.data as JobData;
  const slugProblem = badSlug(d.slug);
  if (slugProblem) throw invalid(`the edition's name "${d.slug.slice(0, 80)}" cannot name files: ${slugProblem}`);
  checkFiles(d.files);
  return d;
}

/** Every path plain, none twice, none both a file and a folder; edition.yaml at the top; sizes within the limits. */
export function checkFiles(files: { path: string; size: number }[]): void {
  const seen = new Set<string>();
  let total = 0;
  for (const f of files) {
    const problem = badPath(f.path);
    if (problem) throw invalid(`"${f.path.slice(0, 200)}" is not a plain path inside the edition folder: ${problem}`);
    if (seen.has(f.path)) throw invalid(`"${f.path}" is listed twice`);
    seen.add(f.path);
    total += f.size;
  }
  for (const p of seen) {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (seen.has(dir)) throw invalid(`"${dir}" is both a file and the folder of "${p}"`);
    }
  }
  if (!seen.has('edition.yaml')) throw invalid('it has no edition.yaml at the top of the edition folder');
  if (total > FARM_LIMITS.bytes) throw invalid(`its files add up to ${formatBytes(total)}, more than the ${formatBytes(FARM_LIMITS.bytes)} a job may carry`);
}
