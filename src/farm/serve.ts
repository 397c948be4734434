/**
 * `paiban serve --redis URL --out DIR [--host H] [--port N] [--token T]`: the farm over HTTP, for a
 * CMS. It listens on 127.0.0.1 unless told otherwise, and then only with a token (--token or
 * PAIBAN_SERVE_TOKEN), which every request must bring as `Authorization: Bearer <token>`.
 *
 *   POST /v1/editions       an edition: a ZIP of its folder (?slug=NAME), or JSON
 *                           { slug, files: { path: base64 }, options?, out? }; answers 202 with the job
 *   GET  /v1/jobs/ID        the job: state, progress, attempts, outputs and diagnostics, or its errors
 *   GET  /v1/jobs/ID/files/NAME   one of its outputs (PDF, EPUB, manifest), read from --out
 *   GET  /v1/health         the queue and how many workers take jobs from it
 *
 * Uploads are checked as `paiban enqueue` checks a folder: plain paths, FARM_LIMITS; the workers
 * check them again. `out` (optional) is a folder inside --out, as a relative path.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import type { Queue } from 'bullmq';
import { PaibanError } from '../errors.ts';
import { isInside } from '../load/files.ts';
import { bullmq, connect, DEFAULT_QUEUE, PREFIX, shownUrl, type RedisClient } from './connection.ts';
import { submitFiles } from './enqueue.ts';
import { FARM_LIMITS, type FailureReport, type JobData, type JobOptions, type JobResult } from './job.ts';
import type { PackedFile } from './pack.ts';
import { badPath, badSlug, checkFiles } from './validate.ts';

export interface ServeFlags {
  redis: string;
  out: string;
  host: string;
  port: number;
  token?: string;
  queue?: string;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const OPTIONS = ['pdf', 'epub', 'strict', 'marks', 'tagged', 'pdfx', 'pdfa'] as const;

class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly hint?: string) {
    super(message);
  }
}

const bad = (e: PaibanError) => new HttpError(e.code === 'LimitExceeded' ? 413 : 400, `${e.code}: ${e.message}`, e.hint);

/** The request body, refused past `limit` bytes without reading the rest. */
async function body(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > limit) throw new HttpError(413, `the upload is larger than ${limit} bytes`, 'an edition carries at most 256 MB of files (FARM_LIMITS in src/farm/job.ts)');
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

function file(p: string, bytes: Uint8Array): PackedFile {
  return { path: p, bytes, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** An uploaded edition: its files, checked; hidden files and folders left out, as enqueue does. */
async function upload(req: IncomingMessage, url: URL): Promise<{ slug: string; files: PackedFile[]; options: JobOptions; out?: string }> {
  const type = req.headers['content-type'] ?? '';
  let slug: string | undefined = url.searchParams.get('slug') ?? undefined;
  let out: string | undefined = url.searchParams.get('out') ?? undefined;
  const options: JobOptions = Object.fromEntries(OPTIONS.filter((o) => ['1', 'true'].includes(url.searchParams.get(o) ?? '')).map((o) => [o, true]));
  let entries: [string, Uint8Array][];
  if (type.startsWith('application/zip')) {
    const { unzipSync } = await import('fflate');
    let total = 0;
    const zip = await body(req, FARM_LIMITS.bytes);
    let unzipped: Record<string, Uint8Array>;
    try {
      // Declared sizes first: a small archive that inflates to gigabytes is refused before it is inflated.
      unzipped = unzipSync(zip, { filter: (f) => !f.name.endsWith('/') && (total += f.originalSize) <= FARM_LIMITS.bytes && f.originalSize <= FARM_LIMITS.fileBytes });
    } catch (e) {
      throw new HttpError(400, `the body is not a ZIP archive (${(e as Error).message})`);
    }
    if (total > FARM_LIMITS.bytes) throw new HttpError(413, 'the archive inflates to more than 256 MB', 'an edition carries at most 256 MB of files');
    entries = Object.entries(unzipped);
    // An archive of the folder itself (slug/edition.yaml …): its top folder is the slug.
    const tops = new Set(entries.map(([n]) => n.split('/')[0]));
    if (!entries.some(([n]) => n === 'edition.yaml') && tops.size === 1) {
      const top = [...tops][0]!;
      slug ??= top;
      entries = entries.map(([n, b]) => [n.slice(top.length + 1), b]);
    }
  } else if (type.startsWith('application/json')) {
    let doc: { slug?: unknown; files?: unknown; options?: unknown; out?: unknown };
    try {
      doc = JSON.parse((await body(req, Math.ceil(FARM_LIMITS.bytes * 1.37))).toString('utf8')) as typeof doc;
    } catch {
      throw new HttpError(400, 'the body is not JSON');
    }
    if (typeof doc.files !== 'object' || !doc.files) throw new HttpError(400, 'no "files": give { "slug": NAME, "files": { "edition.yaml": BASE64, … } }');
    slug = typeof doc.slug === 'string' ? doc.slug : slug;
    out = typeof doc.out === 'string' ? doc.out : out;
    for (const o of OPTIONS) if ((doc.options as Record<string, unknown> | undefined)?.[o] === true) options[o] = true;
    entries = Object.entries(doc.files as Record<string, unknown>).map(([n, v]) => {
      if (typeof v !== 'string') throw new HttpError(400, `files["${n}"] is not a base64 string`);
      return [n, Buffer.from(v, 'base64')];
    });
  } else throw new HttpError(415, `send the edition as application/zip or application/json, not ${type || 'nothing'}`);
  if (!slug) throw new HttpError(400, 'no slug: name the edition (?slug=NAME, or "slug" in the JSON); its outputs are NAME.pdf, NAME.epub …');
  const problem = badSlug(slug);
  if (problem) throw new HttpError(400, `the slug "${slug}" cannot name files: ${problem}`);
  try {
    // Every path plain (a "../" is refused, not left out), then hidden files and folders left out.
    checkFiles([...entries.map(([n, b]) => ({ path: n, size: b.length })), ...(entries.some(([n]) => n === 'edition.yaml') ? [] : [{ path: 'edition.yaml', size: 0 }])]);
    const files = entries.filter(([n]) => !n.split('/').some((s) => s.startsWith('.') || s === '__MACOSX')).map(([n, b]) => file(n, b));
    checkFiles(files);
    return { slug, files, options, out };
  } catch (e) {
    if (e instanceof PaibanError) throw bad(e);
    throw e;
  }
}

/** A job as the HTTP API shows it. */
async function jobView(queue: Queue, id: string) {
  const job = await queue.getJob(id);
  if (!job) throw new HttpError(404, `no job ${id}`, 'jobs are kept a week after they are done, failed ones a month');
  const state = await job.getState();
  const data = job.data as JobData;
  const view = { id, edition: data.slug, state, progress: job.progress, attempts: job.attemptsMade };
  if (state === 'completed') {
    const r = job.returnvalue as JobResult;
    return { ...view, result: { ...r, outputs: r.outputs.map((o) => ({ ...o, url: `/v1/jobs/${id}/files/${encodeURIComponent(o.name)}` })) } };
  }
  if (state === 'failed') return { ...view, error: { reason: job.failedReason, report: data.report as FailureReport | undefined } };
  return view;
}

export async function runServe(flags: ServeFlags): Promise<number> {
  const token = flags.token ?? process.env.PAIBAN_SERVE_TOKEN;
  if (!LOOPBACK.has(flags.host) && !token) {
    throw new PaibanError('Usage', `paiban serve listens on ${flags.host} only with a token`, { hint: 'give --token (or PAIBAN_SERVE_TOKEN), which clients send as Authorization: Bearer TOKEN; or listen on 127.0.0.1' });
  }
  const root = await realpath(flags.out).catch(() => {
    throw new PaibanError('Usage', `--out ${flags.out} is not a folder`, { hint: "give the farm's shared folder, where the workers write (paiban worker --out)" });
  });
  const queueName = flags.queue ?? DEFAULT_QUEUE;
  const redis: RedisClient = await connect(flags.redis, { name: 'paiban-serve' });
  const queue = new (bullmq().Queue)(queueName, { connection: redis, prefix: PREFIX });
  const authorized = (req: IncomingMessage) => {
    if (!token) return true;
    const given = Buffer.from(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
    const want = Buffer.from(token);
    return given.length === want.length && timingSafeEqual(given, want);
  };
  const send = (res: ServerResponse, status: number, doc: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }).end(`${JSON.stringify(doc, null, 2)}\n`);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://paiban.invalid');
    if (!authorized(req)) throw new HttpError(401, 'a token is needed', 'send Authorization: Bearer TOKEN');
    const parts = url.pathname.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
    if (req.method === 'GET' && url.pathname === '/v1/health') return send(res, 200, { ok: true, queue: queueName, workers: await queue.getWorkersCount() });
    if (req.method === 'POST' && url.pathname === '/v1/editions') {
      const up = await upload(req, url);
      if (up.out !== undefined && badPath(up.out)) throw new HttpError(400, `out "${up.out}" is not a plain relative path inside ${root}: ${badPath(up.out)}`);
      const s = await submitFiles(queue, redis, { slug: up.slug, source: `upload:${up.slug}`, files: up.files }, { out: up.out ? path.join(root, up.out) : undefined, options: up.options });
      return send(res, 202, { id: s.id, edition: s.edition, joined: s.joined, files: s.files, url: `/v1/jobs/${s.id}` });
    }
    if (req.method === 'GET' && parts[0] === 'v1' && parts[1] === 'jobs' && parts.length === 3) return send(res, 200, await jobView(queue, parts[2]!));
    if (req.method === 'GET' && parts[0] === 'v1' && parts[1] === 'jobs' && parts[3] === 'files' && parts.length === 5) {
      const view = await jobView(queue, parts[2]!);
      const o = 'result' in view ? view.result?.outputs.find((x) => x.name === parts[4]) : undefined;
      if (!o) throw new HttpError(404, `job ${parts[2]} has no output ${parts[4]} (yet)`);
      const real = await realpath(o.path).catch(() => undefined);
      if (!real || !isInside(root, real) || !(await stat(real)).isFile()) throw new HttpError(404, `${o.name} is not in ${root} any more`);
      const type = o.name.endsWith('.pdf') ? 'application/pdf' : o.name.endsWith('.epub') ? 'application/epub+zip' : 'application/json';
      res.writeHead(200, { 'Content-Type': type, 'Content-Length': String((await stat(real)).size), 'Content-Disposition': `attachment; filename="${o.name.replace(/"/g, '')}"` });
      createReadStream(real).pipe(res);
      return;
    }
    throw new HttpError(404, `no ${req.method} ${url.pathname}`, 'POST /v1/editions, GET /v1/jobs/ID, GET /v1/jobs/ID/files/NAME, GET /v1/health');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const h = e instanceof HttpError ? e : new HttpError(500, `internal error: ${(e as Error).message}`);
      if (!res.headersSent) send(res, h.status, { error: { message: h.message, ...(h.hint ? { hint: h.hint } : {}) } });
      else res.destroy();
      req.resume();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(flags.port, flags.host, resolve);
  });
  process.stderr.write(`paiban serve: http://${flags.host.includes(':') ? `[${flags.host}]` : flags.host}:${flags.port}/v1/ (queue "${queueName}" on ${shownUrl(flags.redis)}, outputs read from ${root}${token ? ', token required' : ''})\n`);
  const sig = await new Promise<string>((resolve) => ['SIGTERM', 'SIGINT', 'SIGHUP'].forEach((s) => process.on(s, () => resolve(s))));
  process.stderr.write(`paiban serve: ${sig}: stopped\n`);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await queue.close();
  await redis.quit().catch(() => redis.disconnect());
  return 0;
}
