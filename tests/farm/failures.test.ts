/**
 * How farm jobs fail. The edition's own errors (front matter, a photo too coarse to print) fail the
 * job once, with every diagnostic, and no retry; a job's failure that is not the edition's (Chromium
 * crashing while it lays out the pages) is retried with backoff and then succeeds; a hostile job
 * written into Redis by hand (paths out of its sandbox, an output folder elsewhere, files that do not
 * match their hashes) and an edition naming a template or font file outside its folder fail once,
 * writing nothing; a Redis that cannot be reached is a clear error, at once.
 */
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/redis.ts';
import { JOB_OPTIONS } from '../../src/farm/job.ts';
import { encodePng } from '../helpers/png.ts';
import { paiban, processesWith, tempDir, tinyEdition, useFarm, type WorkerProcess } from './helpers.ts';

const farm = useFarm();
let worker: WorkerProcess;
let root: string;
let src: string;

beforeAll(async () => {
  root = tempDir();
  src = tempDir();
  worker = await farm.worker(root);
});

const idOf = (stderr: string, slug: string) => new RegExp(`paiban: \\S*${slug} \\(job (ed-[0-9a-f]+)\\)`).exec(stderr)?.[1];

async function settled(id: string, ms = 120_000): Promise<string> {
  let state = 'unknown';
  const end = Date.now() + ms;
  while (Date.now() < end) {
    state = await farm.queue.getJobState(id);
    if (state === 'completed' || state === 'failed') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return state;
}

describe("the edition's own errors", () => {
  it('fail the job once, with every diagnostic, as paiban build reports them; nothing is written; the failed job stays visible', async () => {
    const fine = tinyEdition(src, 'fine');
    const badFront = tinyEdition(src, 'bad-front', { 'story.md': '---\nkicker: "a kicker, but no title"\n---\n\nText.\n' });
    // 40 × 30 pixels across a column: far under 100 ppi, an error of preflight (the build goes on, then fails).
    const lowRes = tinyEdition(src, 'low-res', { 'images/harbour.png': encodePng({ width: 40, height: 30, colour: 'grey', pixels: Buffer.alloc(40, 0x80), rows: 30 }) });
    const r = await paiban(['enqueue', '--redis', farm.redis.url, '--wait', fine, badFront, lowRes]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain(`wrote ${path.join(root, 'fine.pdf')}`);
    expect(r.stdout).toMatch(/paiban: 1 of 3 edition\(s\) built in [\d.]+ s by the farm/);
    expect(r.stderr).toMatch(/bad-front\/story\.md:2(:\d+)?: error FrontMatterInvalid: .*title/);
    expect(r.stderr).toMatch(/^\s+→ /m);
    expect(r.stderr).toMatch(/low-res\/story\.md(:\d+)? error image-resolution: .*ppi/);
    expect(r.stderr).not.toMatch(/sandbox|paiban-job-/);
    for (const slug of ['bad-front', 'low-res']) {
      expect(r.stderr).toMatch(new RegExp(`paiban: \\S*${slug} \\(job ed-[0-9a-f]+\\): \\d error\\(s\\); nothing was written`));
      const id = idOf(r.stderr, slug)!;
      const job = (await farm.queue.getJob(id))!;
      expect(await job.getState()).toBe('failed');
      expect(job.attemptsMade).toBe(1);
      expect(job.failedReason).toMatch(slug === 'bad-front' ? /story\.md:2: error FrontMatterInvalid/ : /story\.md(:\d+)?: error image-resolution/);
      // The whole report stays with the failed job: the errors that stopped the build, or the diagnostics.
      const report = (job.data as { report?: { errors: { code: string }[]; diagnostics: { severity: string; rule: string }[] } }).report!;
      if (slug === 'bad-front') expect(report.errors.map((e) => e.code)).toEqual(['FrontMatterInvalid']);
      else expect(report.diagnostics.filter((d) => d.severity === 'error').map((d) => d.rule)).toEqual(['image-resolution']);
      expect(worker.log().match(new RegExp(`job ${id} ${slug}: failed, not retried`, 'g'))).toHaveLength(1);
      expect(worker.log()).not.toMatch(new RegExp(`job ${id} \\S+: started \\(attempt 2`));
      for (const ext of ['pdf', 'epub', 'manifest.json']) expect(existsSync(path.join(root, `${slug}.${ext}`))).toBe(false);
    }
    // As JSON: the failed job's report, error by error (enqueued again: the same failure, once more).
    const j = await paiban(['enqueue', '--redis', farm.redis.url, '--wait', '--json', badFront]);
    expect(j.code).toBe(1);
    const doc = JSON.parse(j.stdout) as { ok: boolean; jobs: { state: string; attempts: number; error: { report: { errors: { code: string; file: string; line: number }[] } } }[] };
    expect(doc.ok).toBe(false);
    expect(doc.jobs[0]).toMatchObject({ state: 'failed', attempts: 1, error: { report: { errors: [{ code: 'FrontMatterInvalid', file: 'story.md', line: 2 }] } } });
  });

  it('a template or font file outside the edition folder is refused on the worker, with the line that names it', async () => {
    const theme = tempDir();
    const outsideTheme = tinyEdition(src, 'outside-theme', { 'edition.yaml': readFileSync(path.join(tinyEdition(src, 'x1'), 'edition.yaml'), 'utf8').replace('paper: a4', `paper: a4\ntemplate: ${path.relative(path.join(src, 'outside-theme'), theme)}`) });
    const fontFile = tinyEdition(src, 'font-file', { 'edition.yaml': readFileSync(path.join(src, 'x1', 'edition.yaml'), 'utf8').replace('paper: a4', 'paper: a4\nfonts: { body: /etc/passwd }') });
    const r = await paiban(['enqueue', '--redis', farm.redis.url, '--wait', outsideTheme, fontFile]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/outside-theme\/edition\.yaml:6(:\d+)?: error PathOutsideEdition: template "\.\.\/.*" is outside the edition folder/);
    expect(r.stderr).toMatch(/font-file\/edition\.yaml:6(:\d+)?: error PathOutsideEdition: font file "\/etc\/passwd" is not an installed font/);
  });
});

describe('a failure that is not the edition\'s', () => {
  it('Chromium crashing during the job: the attempt fails, the job is retried after a backoff and built', async () => {
    const out = tempDir();
    const w = await farm.worker(out, ['--queue', 'crashy']);
    const dir = tinyEdition(src, 'crashy', { 'story.md': ['---', 'title: Long', '---', '', ...Array.from({ length: 400 }, (_, i) => `Paragraph ${i} of a long story that keeps Chromium busy for a while.`)].join('\n\n') });
    const waiting = paiban(['enqueue', '--redis', farm.redis.url, '--queue', 'crashy', '--wait', '--json', dir]);
    expect(await w.waitFor(/crashy: started/)).toBe(true);
    // Every Chromium of that worker killed as soon as it runs, until the attempt gives up.
    const cmdline = (pid: number) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'latin1');
      } catch {
        return '';
      }
    };
    const chromium = () => processesWith(w.tmp).filter((pid) => pid !== w.child.pid && cmdline(pid).includes('chromium'));
    const killer = setInterval(() => {
      for (const pid of chromium()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
    }, 100);
    const failedOnce = await w.waitFor(/crashy: attempt 1 failed/, 150_000);
    clearInterval(killer);
    expect(failedOnce, w.log()).toBe(true);
    const r = await waiting;
    expect(r.code, `${r.stderr}\n${w.log()}`).toBe(0);
    const doc = JSON.parse(r.stdout) as { jobs: { state: string; attempts: number }[] };
    expect(doc.jobs[0]!.state).toBe('completed');
    expect(doc.jobs[0]!.attempts).toBeGreaterThanOrEqual(2);
    expect(w.log()).toMatch(/attempt 1 failed \(.*Chromium/);
    expect(w.log()).toMatch(/crashy: started \(attempt 2 of 4\)/);
    expect(existsSync(path.join(out, 'crashy.pdf'))).toBe(true);
  });
});

describe('hostile jobs written into Redis by hand', () => {
  it('fail once with JobInvalid and write nothing outside their sandbox or the output folder', async () => {
    const client = new Redis(farm.redis.url);
    const put = async (bytes: Buffer) => {
      const sha = createHash('sha256').update(bytes).digest('hex');
      await client.set(`paiban:blob:${sha}`, bytes);
      return { sha256: sha, size: bytes.length };
    };
    const yaml = await put(readFileSync(path.join(tinyEdition(src, 'x2'), 'edition.yaml')));
    const story = await put(readFileSync(path.join(src, 'x2', 'story.md')));
    const escape = path.join(src, 'escaped.txt');
    const outside = tempDir();
    symlinkSync(outside, path.join(root, 'link-out'));
    mkdirSync(path.join(root, 'ok'), { recursive: true });
    const base = { v: 1, slug: 'hostile', options: {}, workers: 1, source: { host: 'test', dir: '/nowhere' } };
    const files = [{ path: 'edition.yaml', ...yaml }, { path: 'story.md', ...story }];
    // The blob stored under story.md's hash holds edition.yaml's bytes: a mismatch.
    const forged = createHash('sha256').update('forged').digest('hex');
    await client.set(`paiban:blob:${forged}`, readFileSync(path.join(src, 'x2', 'edition.yaml')));
    const cases: [string, object, RegExp][] = [
      ['dotdot', { ...base, files: [...files, { path: `../../${path.relative('/', escape)}`, ...story }] }, /not a plain path inside the edition folder: it has a "\.\." segment/],
      ['absolute', { ...base, files: [...files, { path: escape, ...story }] }, /it is absolute/],
      ['slug', { ...base, slug: '../evil', files }, /the edition's name "\.\.\/evil" cannot name files/],
      ['out', { ...base, files, out: '/etc' }, /output folder \/etc is not inside/],
      ['link', { ...base, files, out: path.join(root, 'link-out', 'x') }, /leads out of .* through a link/],
      ['forged', { ...base, files: [files[0], { path: 'story.md', sha256: forged, size: story.size }] }, /does not match its sha256/],
      ['schema', { ...base, files, extra: 'field' }, /the job is not one paiban enqueue makes/],
    ];
    for (const [name, data, reason] of cases) {
      const job = await farm.queue.add('build', data, { ...JOB_OPTIONS, jobId: `hostile-${name}` });
      expect(await settled(job.id!), name).toBe('failed');
      const done = (await farm.queue.getJob(job.id!))!;
      expect(done.attemptsMade, name).toBe(1);
      expect(done.failedReason, name).toMatch(/error JobInvalid: /);
      expect(done.failedReason, name).toMatch(reason);
    }
    expect(existsSync(escape)).toBe(false);
    expect(existsSync('/etc/hostile.pdf')).toBe(false);
    expect(existsSync(path.join(outside, 'x'))).toBe(false);
    expect(existsSync(path.join(path.dirname(root), 'evil.pdf'))).toBe(false);
    client.disconnect();
  });
});

describe('a Redis that cannot be reached', () => {
  it('enqueue and worker say so at once, with what to do, and exit 1', async () => {
    const port = await freePort();
    const dir = tinyEdition(src, 'nowhere');
    for (const args of [['enqueue', '--redis', `redis://127.0.0.1:${port}`, dir], ['worker', '--redis', `redis://127.0.0.1:${port}`, '--out', tempDir()]]) {
      const r = await paiban(args);
      expect(r.code, args[0]).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`error FarmUnavailable: cannot reach Redis at redis://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
      expect(r.stderr).toMatch(/→ start redis-server there/);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
    const bad = await paiban(['enqueue', '--redis', 'http://127.0.0.1:1', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/the scheme must be redis:\/\/ or rediss:\/\//);
  });
});
