/**
 * What a farm job is: the edition's files (by path, sha256 and size; the bytes travel beside the
 * job, content-addressed, see blobs.ts), the build options, and where the outputs go. The job's id
 * is derived from all of that (the input hash), so the same edition enqueued twice is one job while
 * it waits, and gives the same bytes when it is built again. A worker trusts nothing in a job: the
 * data is parsed by the schema below, and every path is checked again where it is used.
 */
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../diagnostics.ts';
import type { PreflightReport } from '../preflight/preflight.ts';

/** Limits on what one job carries (the build's own limits, src/limits.ts, apply on the worker too). */
export const FARM_LIMITS = {
  /** Files in the edition folder. */
  files: 5000,
  /** All of them together. */
  bytes: 256 * 1024 * 1024,
  /** One file (as large as the largest image a build reads, limits.imageBytes). */
  fileBytes: 64 * 1024 * 1024,
  /** A path inside the edition, in bytes of UTF-8. */
  pathBytes: 1024,
  /** How long the files of a job wait in Redis for a worker (refreshed by every enqueue). */
  blobSeconds: 7 * 24 * 3600,
} as const;

/** Build options a job carries: those of `paiban build` that shape the outputs. */
export interface JobOptions {
  pdf?: boolean;
  epub?: boolean;
  strict?: boolean;
  marks?: boolean;
  tagged?: boolean;
  pdfx?: boolean;
  pdfa?: boolean;
}

/** One file of the edition folder: its path inside it, and its bytes' sha256 and size. */
export interface JobFile {
  path: string;
  sha256: string;
  size: number;
}

/** A job's data (checked on the worker by validate.ts). */
export interface JobData {
  v: 1;
  /** The edition folder's name: the outputs' names (<slug>.pdf …). */
  slug: string;
  files: JobFile[];
  options: JobOptions;
  /** Layout runs per edition, as a local build on the enqueuing machine would use (the PDF's bytes depend on it). */
  workers: number;
  sourceDateEpoch?: string;
  /** Where the outputs go (an absolute path inside the worker's --out); none: the worker's --out. */
  out?: string;
  /** Where the edition was enqueued from: the manifest's editionDir, so that `paiban verify` finds it. */
  source: { host: string; dir: string };
  /** Set by the worker that failed the job for its content. */
  report?: FailureReport;
}

/** One output as written, on the worker's (shared) file system. */
export interface JobOutput {
  name: string;
  path: string;
  bytes: number;
  sha256: string;
  pages?: number;
}

export interface WorkerId {
  host: string;
  pid: number;
}

/** A completed job's return value. */
export interface JobResult {
  slug: string;
  ok: true;
  pages: number;
  outputs: JobOutput[];
  diagnostics: Diagnostic[];
  timings: Record<string, number>;
  paginators: string[];
  preflight: PreflightReport;
  worker: WorkerId;
  /** Seconds the worker spent on the job (fetching the files, building, publishing). */
  seconds: number;
}

/** An error that stopped a build, as the CLI prints it. */
export interface ReportedError {
  code: string;
  message: string;
  hint?: string;
  file?: string;
  line?: number;
  column?: number;
}

/** Why a job failed for its content (no retry): kept in the failed job's data. */
export interface FailureReport {
  errors: ReportedError[];
  diagnostics: Diagnostic[];
  worker: WorkerId;
}

/** A job's progress: the stage that ended (a build stage, or the farm's own: files, publish). */
export interface JobProgress {
  stage: string;
  ms?: number;
}

/** How a job is retried: failures that are not the content's get three more tries, 2, 4 and 8 s later. */
export const JOB_OPTIONS = {
  attempts: 4,
  backoff: { type: 'exponential' as const, delay: 2000 },
  // Completed jobs are kept a week, failed ones (with their diagnostics) a month.
  removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
  removeOnFail: { age: 30 * 24 * 3600, count: 100_000 },
};

/** The job's name in BullMQ. */
export const JOB_NAME = 'build';

/** The input hash: everything that decides what a job writes. */
export function inputHash(d: Pick<JobData, 'slug' | 'files' | 'options' | 'workers' | 'sourceDateEpoch' | 'out'>): string {
  const files = [...d.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((f) => [f.path, f.sha256]);
  const options = Object.fromEntries(Object.entries(d.options).filter(([, v]) => v).sort());
  return createHash('sha256')
    .update(JSON.stringify({ v: 1, slug: d.slug, files, options, workers: d.workers, epoch: d.sourceDateEpoch ?? null, out: d.out ?? null }))
    .digest('hex');
}

/** A job's id from its input hash (BullMQ: never all digits, no colon). */
export function jobId(hash: string): string {
  return `ed-${hash.slice(0, 40)}`;
}
