/**
 * The render farm end to end, with a real redis-server and real workers: eight editions (seven
 * small ones and the demo) through two workers, one of them killed with SIGKILL while it has jobs
 * in hand and another started in its place. Every PDF and EPUB must be there, byte-identical to a
 * local `paiban build` of the same editions; no job lost, none left active; nothing of the killed
 * worker's Chromium left running. Then the same edition enqueued twice: one job, the same bytes.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO, paiban, processesWith, sha, tempDir, tinyEdition, until, useFarm } from './helpers.ts';

const farm = useFarm();
/** The workers' --out. */
let root: string;

const started = (log: string) => [...log.matchAll(/job (ed-[0-9a-f]+) \S+: started/g)].map((m) => m[1]!);

describe('eight editions through two workers, one killed with SIGKILL mid-job', () => {
  it('builds every edition byte-identical to paiban build, takes up the killed worker\'s jobs, loses none and leaves no Chromium', { timeout: 600_000 }, async () => {
    const src = tempDir();
    const dirs = [...Array.from({ length: 7 }, (_, i) => tinyEdition(src, `tiny-${i + 1}`)), DEMO];
    const local = tempDir();
    const built = await paiban(['build', ...dirs, '--out', local]);
    expect(built.code, built.stderr).toBe(0);

    const out = (root = tempDir());
    const a = await farm.worker(out);
    const b = await farm.worker(out);
    const enqueued = paiban(['enqueue', '--redis', farm.redis.url, '--wait', '--json', ...dirs]);
    // Killed while it holds jobs: their locks lapse and the stalled-job check hands them to the others.
    expect(await a.waitFor(/: started/)).toBe(true);
    // Mid-job: once the job's sandbox is on disk (so the worker leaves something to sweep).
    expect(await until(() => readdirSync(a.tmp).some((n) => n.startsWith('paiban-job-')), 60_000)).toBe(true);
    a.child.kill('SIGKILL');
    await a.exited;
    const inHand = started(a.log());
    expect(inHand.length).toBeGreaterThan(0);
    // Chromium exits with its pipe.
    expect(await until(() => processesWith(a.tmp).length === 0, 20_000), `left: ${processesWith(a.tmp)}`).toBe(true);
    const leftBehind = readdirSync(a.tmp);
    expect(leftBehind.some((n) => n.startsWith('paiban-job-'))).toBe(true);
    // Another worker in its place (the same TMPDIR: it sweeps what the killed one left).
    const c = await farm.worker(out, [], { tmp: a.tmp });

    const r = await enqueued;
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { ok: boolean; jobs: { id: string; edition: string; state: string; result: { outputs: { name: string; path: string; sha256: string }[] } }[] };
    expect(json.ok).toBe(true);
    expect(json.jobs.map((j) => j.state)).toEqual(dirs.map(() => 'completed'));
    for (const dir of dirs) {
      const slug = path.basename(dir);
      for (const ext of ['pdf', 'epub']) expect(sha(path.join(out, `${slug}.${ext}`)), `${slug}.${ext}`).toBe(sha(path.join(local, `${slug}.${ext}`)));
      const job = json.jobs.find((j) => j.edition === slug)!;
      expect(job.result.outputs.map((o) => o.name)).toEqual([`${slug}.pdf`, `${slug}.epub`, `${slug}.manifest.json`]);
      expect(job.result.outputs[0]!.sha256).toBe(sha(path.join(out, `${slug}.pdf`)));
    }
    // The jobs the killed worker had in hand were finished by the others.
    for (const id of inHand) expect(b.log() + c.log()).toMatch(new RegExp(`job ${id} \\S+: done`));
    expect(await farm.queue.getJobCounts('active', 'wait', 'delayed', 'failed', 'completed')).toEqual({ active: 0, wait: 0, delayed: 0, failed: 0, completed: dirs.length });
    expect(readdirSync(a.tmp).filter((n) => n.startsWith('paiban-job-') || n.startsWith('paiban-chromium-')).every((n) => !n.includes(`-${a.child.pid}-`))).toBe(true);
    expect(readdirSync(path.join(out, '.paiban-farm'))).toEqual([]);
  });

  it('the same edition enqueued twice is one job while it waits, and gives the same bytes when built again', { timeout: 300_000 }, async () => {
    const src = tempDir();
    const dir = tinyEdition(src, 'twice');
    const sub = path.join(root, 'again');
    const [first, second] = await Promise.all([
      paiban(['enqueue', '--redis', farm.redis.url, '--out', sub, '--wait', '--json', dir]),
      paiban(['enqueue', '--redis', farm.redis.url, '--out', sub, '--json', dir]),
    ]);
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    const id = (JSON.parse(first.stdout) as { jobs: { id: string }[] }).jobs[0]!.id;
    expect((JSON.parse(second.stdout) as { jobs: { id: string }[] }).jobs[0]!.id).toBe(id);
    const pdf = sha(path.join(sub, 'twice.pdf'));
    const again = await paiban(['enqueue', '--redis', farm.redis.url, '--out', sub, '--wait', dir]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`wrote ${path.join(sub, 'twice.pdf')}`);
    expect(sha(path.join(sub, 'twice.pdf'))).toBe(pdf);
    // Nothing of it was written beside the subfolder.
    expect(readdirSync(root).filter((n) => n.startsWith('twice'))).toEqual([]);
  });
});
