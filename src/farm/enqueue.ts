/**
 * `paiban enqueue --redis URL [--out DIR] [--wait] [--json] EDITION_DIR…`: submit editions to the
 * farm. Each edition folder is packed (pack.ts), the files Redis does not hold yet are sent
 * (blobs.ts), and one BullMQ job per edition is added under an id derived from its input hash: an
 * edition already waiting or being built is not queued twice, and one built before is built again
 * (the same bytes). Prints the job ids; with --wait, waits for every job and exits as `paiban
 * build` would (0 only when every edition was built), printing outputs and diagnostics.
 */
import os from 'node:os';
import type { Queue, QueueEvents } from 'bullmq';
import path from 'node:path';
import { PaibanError, PaibanErrors } from '../errors.ts';
import { workerCount } from '../paginate/pool.ts';
import { uploadBlobs } from './blobs.ts';
import { bullmq, connect, DEFAULT_QUEUE, PREFIX, shownUrl, type RedisClient } from './connection.ts';
import { inputHash, JOB_NAME, JOB_OPTIONS, jobId, type FailureReport, type JobData, type JobOptions, type JobProgress, type JobResult } from './job.ts';
import { packEdition, type PackedFile } from './pack.ts';
import { outcomesJson, printOutcomes, type JobOutcome } from './report.ts';

export interface EnqueueFlags extends JobOptions {
  redis: string;
  out?: string;
  queue?: string;
  wait?: boolean;
  json?: boolean;
  /** With --wait: each job's stages on stderr as they end. */
  progress?: boolean;
  debug?: boolean;
}

export interface Submitted {
  id: string;
  edition: string;
  dir: string;
  /** The job was already waiting or being built: this enqueue joined it. */
  joined: boolean;
  files: number;
  /** Files and bytes sent (those Redis did not hold yet). */
  sent: { files: number; bytes: number };
}



function errorText(e: unknown, dir: string, debug?: boolean): string {
  const at = (x: PaibanError) => (x.where && !x.where.file.startsWith('/') && x.where.file !== dir ? `${dir.replace(/\/$/, '')}/` : '');
  const text = e instanceof PaibanErrors ? e.errors.map((x) => `${at(x)}${x.format()}`).join('\n') : e instanceof PaibanError ? `${at(e)}${e.format()}` : `paiban: internal error: ${(e as Error).message}`;
  return `${text}${debug && e instanceof Error ? `\n${e.stack}` : ''}\n`;
}

/** An edition's files in memory, from a folder (pack.ts) or an upload (serve.ts). */
export interface EditionFiles {
  slug: string;
  /** Where it comes from: the manifest's editionDir. */
  source: string;
  files: PackedFile[];
}

/** Pack, send and add one edition folder's job. */
export async function submit(queue: Queue, redis: RedisClient, dir: string, opts: { out?: string; options: JobOptions }): Promise<Submitted> {
  const packed = await packEdition(dir);
  return { ...(await submitFiles(queue, redis, { slug: packed.slug, source: packed.dir, files: packed.files }, opts)), dir };
}

/** Send an edition's files and add its job (or join the same job, waiting or in hand). */
export async function submitFiles(queue: Queue, redis: RedisClient, ed: EditionFiles, opts: { out?: string; options: JobOptions }): Promise<Submitted> {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  const data: JobData = {
    v: 1,
    slug: ed.slug,
    files: ed.files.map(({ path: p, sha256, size }) => ({ path: p, sha256, size })),
    options: Object.fromEntries(Object.entries(opts.options).filter(([, v]) => v)) as JobOptions,
    workers: workerCount(),
    ...(epoch && /^\d+$/.test(epoch) ? { sourceDateEpoch: epoch } : {}),
    ...(opts.out ? { out: path.resolve(opts.out) } : {}),
    source: { host: os.hostname(), dir: ed.source },
  };
  const id = jobId(inputHash(data));
  const sent = await uploadBlobs(redis, ed.files);
  const existing = await queue.getJob(id);
  let joined = false;
  if (existing) {
    const state = await existing.getState();
    // Built before (or failed): built again, to the same bytes. Waiting or in hand: joined.
    if (state === 'completed' || state === 'failed') await existing.remove().catch(() => undefined);
    else joined = true;
  }
  if (!joined) await queue.add(JOB_NAME, data, { ...JOB_OPTIONS, jobId: id });
  return { id, edition: ed.slug, dir: ed.source, joined, files: ed.files.length, sent: { files: sent.sent, bytes: sent.bytes } };
}

/** How a finished (or vanished) job ended; undefined while it is still to be done (re-added by another enqueue). */
async function outcome(queue: Queue, s: Submitted): Promise<JobOutcome | undefined> {
  const job = await queue.getJob(s.id);
  const base = { id: s.id, edition: s.edition, dir: s.dir };
  if (!job) return { ...base, state: 'lost', attempts: 0, error: { reason: 'the job was removed from the queue before it finished' } };
  const state = await job.getState();
  if (state === 'completed') return { ...base, state, attempts: job.attemptsMade, result: job.returnvalue as JobResult };
  if (state !== 'failed') return undefined;
  const report = (job.data as JobData).report as FailureReport | undefined;
  return { ...base, state: 'failed', attempts: job.attemptsMade, error: { reason: job.failedReason ?? state, ...(report ? { report } : {}) } };
}

export async function runEnqueue(dirs: string[], flags: EnqueueFlags): Promise<number> {
  const t0 = performance.now();
  if (flags.pdfx && flags.pdfa) {
    process.stderr.write('paiban: --pdfx and --pdfa cannot be combined\n  → PDF/X (press, CMYK) and PDF/A (archive, RGB) are separate files: enqueue twice into different --out folders\n');
    return 2;
  }
  const queueName = flags.queue ?? DEFAULT_QUEUE;
  let redis: RedisClient;
  try {
    redis = await connect(flags.redis, { name: 'paiban-enqueue' });
  } catch (e) {
    process.stderr.write(errorText(e, 'paiban', flags.debug));
    return e instanceof PaibanError ? e.exitCode : 1;
  }
  const Bull = bullmq();
  const queue = new Bull.Queue(queueName, { connection: redis, prefix: PREFIX });
  // Listening before anything is added: no job can finish unseen.
  const eventsConn = flags.wait ? redis.duplicate() : undefined;
  const events = eventsConn && new Bull.QueueEvents(queueName, { connection: eventsConn, prefix: PREFIX });
  const submitted: Submitted[] = [];
  // Editions that could not be submitted (no edition folder, over a limit …): reported like failed jobs.
  const refused: JobOutcome[] = [];
  const onSignal = () => {
    process.stderr.write(`paiban: stopped waiting; the jobs stay in the queue: ${submitted.map((s) => s.id).join(' ')}\n`);
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  try {
    await events?.waitUntilReady();
    const options: JobOptions = { pdf: flags.pdf, epub: flags.epub, strict: flags.strict, marks: flags.marks, tagged: flags.tagged, pdfx: flags.pdfx, pdfa: flags.pdfa };
    for (const dir of dirs) {
      try {
        submitted.push(await submit(queue, redis, dir, { out: flags.out, options }));
      } catch (e) {
        if (!(e instanceof PaibanError || e instanceof PaibanErrors)) throw e;
        if (!flags.json) process.stderr.write(errorText(e, dir, flags.debug));
        refused.push({ id: '', edition: path.basename(path.resolve(dir)), dir, state: 'failed', attempts: 0, error: { reason: errorText(e, dir).trim() } });
      }
    }
    if (!flags.wait) {
      if (flags.json) process.stdout.write(`${JSON.stringify({ ok: !refused.length, jobs: [...submitted, ...refused] }, null, 2)}\n`);
      else for (const s of submitted) process.stdout.write(`${s.id}  ${s.dir}${s.joined ? '  (already queued)' : ''}\n`);
      return refused.length ? 1 : 0;
    }
    if ((await queue.getWorkersCount()) === 0) process.stderr.write(`paiban: no worker takes jobs from queue "${queueName}" yet: they wait until one does (paiban worker --redis ${shownUrl(flags.redis)} --out DIR)\n`);
    const outcomes = [...(await waitFor(queue, events!, submitted, flags.progress)), ...refused];
    if (flags.json) process.stdout.write(outcomesJson(outcomes, Math.round(performance.now() - t0) / 1000));
    else printOutcomes(outcomes, { seconds: (performance.now() - t0) / 1000, queue: queueName, debug: flags.debug });
    return outcomes.some((o) => o.state !== 'completed') ? 1 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    await events?.close().catch(() => undefined);
    eventsConn?.disconnect();
    await queue.close().catch(() => undefined);
    await redis.quit().catch(() => redis.disconnect());
  }
}

/** Wait until every job completed, failed for good, or vanished; their outcomes in order. */
async function waitFor(queue: Queue, events: QueueEvents, jobs: Submitted[], progress?: boolean): Promise<JobOutcome[]> {
  const pending = new Map(jobs.map((s) => [s.id, s]));
  const settled = new Map<string, JobOutcome>();
  let wake: () => void = () => undefined;
  const settle = (id: string) => {
    const s = pending.get(id);
    if (!s || settled.has(id)) return;
    void outcome(queue, s).then(
      (o) => {
        if (o && !settled.has(id)) settled.set(id, o);
        wake();
      },
      () => wake(),
    );
  };
  events.on('completed', ({ jobId }) => settle(jobId));
  events.on('failed', ({ jobId }) => settle(jobId));
  events.on('removed', ({ jobId }) => settle(jobId));
  if (progress) {
    events.on('progress', ({ jobId, data }) => {
      const s = pending.get(jobId);
      const p = data as JobProgress;
      if (s && p && typeof p === 'object') process.stderr.write(`paiban: ${s.edition} (job ${jobId}): ${p.stage}${p.ms !== undefined ? ` ${p.ms} ms` : ''}\n`);
    });
  }
  // Those that ended before we listened (an edition joined after it was built).
  for (const s of jobs) settle(s.id);
  while (settled.size < pending.size) await new Promise<void>((resolve) => (wake = resolve));
  return jobs.map((s) => settled.get(s.id)!);
}
