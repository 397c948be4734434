/**
 * `paiban worker --redis URL [--concurrency N] [--out DIR]`: a long-running build worker on a
 * BullMQ queue. Chromium starts once and stays warm, with one pool of layout runs sized to the
 * cores (the RunSlots and browser `paiban build A B C` shares between editions), and paiban's
 * stages are loaded once: a job pays neither Chromium's start nor the loading of the code.
 *
 * Reliability, as BullMQ gives it and paiban uses it: each job holds a lock the worker renews; a
 * worker killed with SIGKILL stops renewing, and another worker's stalled-job check moves its job
 * back to the queue after --stall-seconds (a job that stalls three times fails: it may be what
 * kills workers). SIGTERM (or SIGINT) drains: no new job is taken, the jobs in hand finish within
 * --drain-seconds, and those that do not are handed back to the queue for another worker; then
 * Chromium is closed and the worker exits 0. A second signal hands back at once. After SIGKILL,
 * Chromium exits with its pipe (browser.ts).
 */
import os from 'node:os';
import { launchBrowser, type BrowserHandle } from '../paginate/browser.ts';
import { RunSlots, workerCount } from '../paginate/pool.ts';
import { bullmq, connect, DEFAULT_QUEUE, PREFIX, shownUrl } from './connection.ts';
import type { JobData, JobProgress, JobResult } from './job.ts';
import { outRoot, sweepStaging } from './outputs.ts';
import { ContentFailure, runJob, workerId } from './run-job.ts';
import { warmHandle, type WarmHandle } from './spares.ts';
import { sweepSandboxes } from './sandbox.ts';

export interface WorkerFlags {
  redis: string;
  out: string;
  queue?: string;
  concurrency?: number;
  /** A job's lock, renewed at half of it; a killed worker's job is taken up again after about this long. */
  stallSeconds?: number;
  /** How long SIGTERM waits for the jobs in hand before handing them back. */
  drainSeconds?: number;
  debug?: boolean;
}

const log = (s: string) => process.stderr.write(`paiban worker: ${s}\n`);

/** Runs until a signal drains it; the exit code. */
export async function runWorker(flags: WorkerFlags): Promise<number> {
  const queueName = flags.queue ?? DEFAULT_QUEUE;
  const layoutRuns = workerCount();
  const concurrency = flags.concurrency ?? layoutRuns + 1;
  const lockMs = Math.round((flags.stallSeconds ?? 30) * 1000);
  const root = await outRoot(flags.out);
  sweepSandboxes();
  sweepStaging(root);
  const redis = await connect(flags.redis, { name: `paiban-worker-${os.hostname()}-${process.pid}` });
  let browser: WarmHandle;
  try {
    // Chromium, and the stages' code, once for all jobs; renderers started ahead for the next job.
    browser = warmHandle((await Promise.all([warmBrowser(), preload()]))[0]);
    browser.refill();
  } catch (e) {
    redis.disconnect();
    throw e;
  }
  const slots = new RunSlots(layoutRuns);
  const { Worker, WaitingError, UnrecoverableError } = bullmq();
  const active = new Map<string, { token: string; handedBack: boolean; job: { moveToWait(token?: string): Promise<number> } }>();
  const me = workerId();

  const worker = new Worker<JobData, JobResult>(
    queueName,
    async (job, token) => {
      const entry = { token: token ?? '', handedBack: false, job };
      active.set(job.id!, entry);
      const slug = typeof job.data?.slug === 'string' ? job.data.slug : '?';
      log(`job ${job.id} ${slug}: started (attempt ${job.attemptsMade + 1} of ${job.opts.attempts ?? 1})`);
      try {
        const result = await runJob(job.data, {
          redis,
          browser,
          slots,
          root,
          worker: me,
          progress: (p: JobProgress) => void job.updateProgress(p).catch(() => undefined),
          handedBack: () => entry.handedBack,
        });
        log(`job ${job.id} ${slug}: done in ${result.seconds.toFixed(1)} s: ${result.outputs.map((o) => o.path).join(', ')}`);
        return result;
      } catch (e) {
        if (entry.handedBack) throw new WaitingError();
        if (e instanceof ContentFailure) {
          log(`job ${job.id} ${slug}: failed, not retried (the edition's error): ${e.summary}`);
          await job.updateData({ ...job.data, report: e.report }).catch(() => undefined);
          throw new UnrecoverableError(e.summary);
        }
        log(`job ${job.id} ${slug}: attempt ${job.attemptsMade + 1} failed (${(e as Error).message.split('\n')[0]})${flags.debug ? `\n${(e as Error).stack}` : ''}`);
        throw e;
      } finally {
        active.delete(job.id!);
        // Renderers for the next job start now, not while it runs.
        if (!active.size) browser.refill();
      }
    },
    {
      connection: redis,
      prefix: PREFIX,
      name: `${me.host}:${me.pid}`,
      concurrency,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      maxStalledCount: 2,
    },
  );
  worker.on('error', (e) => log(`queue error: ${e.message}`));
  await worker.waitUntilReady();
  log(`ready: queue "${queueName}" on ${shownUrl(flags.redis)}, ${concurrency} job(s) at a time, ${layoutRuns} layout run(s), ${browser.version} warm, writing under ${root}`);

  const stopped = new Promise<string>((resolve) => {
    for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(sig, () => resolve(sig));
  });
  const sig = await stopped;
  const handBack = async () => {
    for (const [id, a] of active) {
      if (a.handedBack) continue;
      a.handedBack = true;
      await a.job.moveToWait(a.token).then(
        () => log(`job ${id}: handed back to the queue`),
        (e: Error) => log(`job ${id}: could not be handed back (${e.message}); the stalled-job check will take it up again`),
      );
    }
    // The builds in hand stop when Chromium goes; their jobs are back in the queue.
    await browser.close();
  };
  const drainMs = Math.round((flags.drainSeconds ?? 20) * 1000);
  log(`${sig}: draining (${active.size} job(s) in hand; what is not done in ${drainMs / 1000} s goes back to the queue)`);
  const timer = setTimeout(() => void handBack(), drainMs);
  for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(s, () => void handBack());
  await worker.close();
  clearTimeout(timer);
  await browser.close();
  await redis.quit().catch(() => redis.disconnect());
  log('stopped');
  return 0;
}

/**
 * Chromium for all jobs. A worker is a service: a Chromium that fails to start (each launch already
 * tries twice) is tried again twice more, 2 and 4 s later, before the worker gives up.
 */
async function warmBrowser(): Promise<BrowserHandle> {
  for (let round = 1; ; round++) {
    try {
      return await launchBrowser();
    } catch (e) {
      if (round === 3) throw e;
      log(`Chromium did not start (${(e as Error).message.split('\n')[0]}); trying again in ${2 * round} s`);
      await new Promise((r) => setTimeout(r, 2000 * round));
    }
  }
}

/** The stages a build loads as it goes, loaded before the first job. */
async function preload(): Promise<void> {
  await Promise.all([import('../build.ts'), import('../pdf/finish.ts'), import('../preflight/preflight.ts'), import('../output/manifest.ts'), import('../output/atomic.ts'), import('../epub/index.ts')]);
}
