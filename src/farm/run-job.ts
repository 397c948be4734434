/**
 * One farm job on a worker: check its data, write its files into a sandbox, refuse what a job may
 * not read, build it with the worker's warm Chromium and pool (the same `build` as `paiban build`,
 * so the same bytes), and publish the outputs into the job's out folder. Failures are sorted: the
 * edition's own (content errors, a build with errors, an invalid job) fail the job once, with a
 * report of every error and diagnostic; the rest (Chromium crashed twice, Redis or the disk gone
 * for a moment) are thrown as they are, for BullMQ to retry with backoff.
 */
import os from 'node:os';
import type { BuildResult } from '../build.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { PaibanError, PaibanErrors } from '../errors.ts';
import type { BrowserHandle } from '../paginate/browser.ts';
import type { RunSlots } from '../paginate/pool.ts';
import { fetchBlobs } from './blobs.ts';
import type { RedisClient } from './connection.ts';
import { guardEdition } from './guard.ts';
import type { FailureReport, JobData, JobProgress, JobResult, ReportedError, WorkerId } from './job.ts';
import { jobOut, publish, stagingFolder } from './outputs.ts';
import { makeSandbox } from './sandbox.ts';
import { parseJobData } from './validate.ts';

/** Errors of the edition or the job itself: the same again gives the same error, so no retry. */
const CONTENT = new Set(['EditionNotFound', 'EditionInvalid', 'FrontMatterInvalid', 'InvalidUtf8', 'ArticleMissing', 'PathOutsideEdition', 'TemplateNotFound', 'TemplateInvalid', 'LayoutUnknown', 'SlotUnknown', 'FontsFailed', 'ContentLost', 'LimitExceeded', 'JobInvalid', 'Usage']);

export function isContentError(e: unknown): boolean {
  if (e instanceof PaibanErrors) return e.errors.every((x) => CONTENT.has(x.code));
  return e instanceof PaibanError && CONTENT.has(e.code);
}

/** The job failed for its content: `report` goes into the job, `summary` is its failed reason. */
export class ContentFailure extends Error {
  constructor(readonly report: FailureReport, readonly summary: string) {
    super(summary);
    this.name = 'ContentFailure';
  }
}

export interface RunContext {
  redis: RedisClient;
  browser: BrowserHandle;
  slots: RunSlots;
  /** The worker's --out, a real path. */
  root: string;
  worker: WorkerId;
  progress: (p: JobProgress) => void;
  /** True once the job was handed back (SIGTERM): nothing is published then. */
  handedBack: () => boolean;
}

export const workerId = (): WorkerId => ({ host: os.hostname(), pid: process.pid });

export async function runJob(raw: unknown, ctx: RunContext): Promise<JobResult> {
  const t0 = performance.now();
  let data: JobData;
  try {
    data = parseJobData(raw);
  } catch (e) {
    throw failure(e, [], ctx.worker, (s) => s);
  }
  // Messages name the edition where it was enqueued from, never the worker's sandbox.
  let sandboxDir = '';
  const scrub = (s: string) => (sandboxDir ? s.split(sandboxDir).join(data.source.dir) : s);
  let result: BuildResult | undefined;
  try {
    const out = await jobOut(ctx.root, data.out);
    const sandbox = await makeSandbox(data.slug);
    sandboxDir = sandbox.edition;
    try {
      await fetchBlobs(ctx.redis, data.files, (f, bytes) => sandbox.write(f, bytes));
      ctx.progress({ stage: 'files', ms: Math.round(performance.now() - t0) });
      await guardEdition(sandbox.edition);
      const staging = await stagingFolder(ctx.root);
      try {
        const { build } = await import('../build.ts');
        result = await build(sandbox.edition, {
          out: staging.dir,
          ...data.options,
          workers: data.workers,
          browser: ctx.browser,
          slots: ctx.slots,
          // The job's own timestamp source (or none): never the worker's environment.
          sourceDateEpoch: data.sourceDateEpoch ?? '',
          onStage: (stage, ms) => ctx.progress({ stage, ms }),
        });
        if (!result.ok) throw new PaibanErrors([]);
        if (ctx.handedBack()) throw new Error('handed back');
        const outputs = await publish(result.outputs.map((o) => ({ path: o.path, pages: o.pages })), out, data.source.dir);
        ctx.progress({ stage: 'publish', ms: Math.round(performance.now() - t0) });
        return {
          slug: result.slug,
          ok: true,
          pages: result.pages,
          outputs,
          diagnostics: result.diagnostics.items.map((d) => ({ ...d, message: scrub(d.message) })),
          timings: result.timings,
          paginators: result.paginators,
          preflight: result.preflight,
          worker: ctx.worker,
          seconds: Math.round(performance.now() - t0) / 1000,
        };
      } finally {
        await staging.remove();
      }
    } finally {
      await sandbox.remove();
    }
  } catch (e) {
    if (ctx.handedBack() || !(isContentError(e) || (result && !result.ok))) throw e;
    throw failure(e, result?.diagnostics.items ?? [], ctx.worker, scrub);
  }
}

function reported(e: PaibanError, scrub: (s: string) => string): ReportedError {
  return { code: e.code, message: scrub(e.message), ...(e.hint ? { hint: scrub(e.hint) } : {}), ...(e.where ? { file: scrub(e.where.file), line: e.where.line, column: e.where.column } : {}) };
}

/** The report and the one-line reason of a job that failed for its content. */
export function failure(e: unknown, diagnostics: Diagnostic[], worker: WorkerId, scrub: (s: string) => string): ContentFailure {
  const errors = e instanceof PaibanErrors ? e.errors.map((x) => reported(x, scrub)) : e instanceof PaibanError ? [reported(e, scrub)] : [];
  const diags = diagnostics.map((d) => ({ ...d, message: scrub(d.message) }));
  const first = errors[0] ? `${[errors[0].file, errors[0].line].filter((x) => x !== undefined).join(':')}${errors[0].file ? ': ' : ''}error ${errors[0].code}: ${errors[0].message}` : undefined;
  const firstDiag = diags.find((d) => d.severity === 'error');
  const count = errors.length + diags.filter((d) => d.severity === 'error').length;
  const head = first ?? (firstDiag ? `${[firstDiag.file, firstDiag.line].filter((x) => x !== undefined).join(':')}: error ${firstDiag.rule}: ${firstDiag.message}` : 'the build failed');
  return new ContentFailure({ errors, diagnostics: diags, worker }, `${head}${count > 1 ? ` (and ${count - 1} more error${count > 2 ? 's' : ''})` : ''}`);
}
