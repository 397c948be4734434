/**
 * `paiban serve`, the farm over HTTP for a CMS, on loopback with a token: an edition uploaded as a
 * ZIP is built by a worker and its outputs download byte for byte; uploads with paths out of the
 * edition, requests without the token and unknown jobs are refused; and it will not listen on
 * another address without a token (refused before it binds anything).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/redis.ts';
import { BIN, paiban, sha, tempDir, tinyEdition, until, useFarm } from './helpers.ts';

const farm = useFarm();
let serve: ChildProcess;
let base: string;
let root: string;
let log = '';
const TOKEN = 'test-token-1234';

beforeAll(async () => {
  root = tempDir();
  await farm.worker(root);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  serve = spawn(process.execPath, [BIN, 'serve', '--redis', farm.redis.url, '--out', root, '--port', String(port), '--token', TOKEN], { stdio: ['ignore', 'ignore', 'pipe'] });
  serve.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  expect(await until(() => /paiban serve: http:/.test(log) || serve.exitCode !== null, 60_000), log).toBe(true);
});

afterAll(() => {
  serve?.kill('SIGTERM');
});

const auth = { Authorization: `Bearer ${TOKEN}` };

/** The edition folder as a ZIP: `slug/…` entries. */
function zipOf(dir: string): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else files[`${path.basename(dir)}/${p}`] = readFileSync(path.join(dir, p));
    }
  };
  walk('');
  return zipSync(files);
}

describe('paiban serve', () => {
  it('takes an edition as a ZIP, reports the job, and serves its outputs as written', async () => {
    const dir = tinyEdition(tempDir(), 'from-cms');
    const posted = await fetch(`${base}/v1/editions?out=cms&pdf=1&epub=1`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/zip' }, body: Buffer.from(zipOf(dir)) });
    expect(posted.status).toBe(202);
    const { id, edition } = (await posted.json()) as { id: string; edition: string };
    expect(edition).toBe('from-cms');
    let job: { state: string; result?: { outputs: { name: string; url: string; sha256: string }[] } } = { state: '' };
    for (let i = 0; i < 600 && job.state !== 'completed' && job.state !== 'failed'; i++) {
      job = (await (await fetch(`${base}/v1/jobs/${id}`, { headers: auth })).json()) as typeof job;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(job.state).toBe('completed');
    expect(job.result!.outputs.map((o) => o.name)).toEqual(['from-cms.pdf', 'from-cms.epub', 'from-cms.manifest.json']);
    const pdf = await fetch(`${base}${job.result!.outputs[0]!.url}`, { headers: auth });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(sha(path.join(root, 'cms', 'from-cms.pdf'))).toBe(job.result!.outputs[0]!.sha256);
    expect(Buffer.compare(bytes, readFileSync(path.join(root, 'cms', 'from-cms.pdf')))).toBe(0);
  });

  it('refuses what it must: no token, paths out of the edition, unknown jobs and outputs', async () => {
    expect((await fetch(`${base}/v1/health`)).status).toBe(401);
    expect((await fetch(`${base}/v1/health`, { headers: { Authorization: 'Bearer wrong-token-123' } })).status).toBe(401);
    const health = (await (await fetch(`${base}/v1/health`, { headers: auth })).json()) as { ok: boolean; workers: number };
    expect(health).toMatchObject({ ok: true, workers: 1 });
    const hostile = await fetch(`${base}/v1/editions`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ slug: 'evil', files: { 'edition.yaml': Buffer.from('title: x').toString('base64'), '../../escape.md': 'eA==' } }),
    });
    expect(hostile.status).toBe(400);
    expect(((await hostile.json()) as { error: { message: string } }).error.message).toMatch(/JobInvalid: .*"\.\.\/\.\.\/escape\.md" is not a plain path/);
    const outside = await fetch(`${base}/v1/editions?slug=x&out=../elsewhere`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/zip' }, body: Buffer.from(zipOf(tinyEdition(tempDir(), 'x'))) });
    expect(outside.status).toBe(400);
    expect((await fetch(`${base}/v1/jobs/ed-nope`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${base}/v1/jobs/ed-nope/files/x.pdf`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${base}/v1/editions`, { method: 'POST', headers: { ...auth, 'Content-Type': 'text/plain' }, body: 'x' })).status).toBe(415);
  });

  it('listens on another address than loopback only with a token', async () => {
    const r = await paiban(['serve', '--redis', farm.redis.url, '--out', root, '--host', '0.0.0.0', '--port', String(await freePort())], { PAIBAN_SERVE_TOKEN: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error Usage: paiban serve listens on 0\.0\.0\.0 only with a token\n\s+→ give --token/);
  });
});
