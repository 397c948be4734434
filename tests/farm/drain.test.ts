/**
 * SIGTERM drains a worker: it takes no new job, finishes the ones in hand (or, past
 * --drain-seconds, hands them back to the queue for another worker), closes Chromium and exits 0.
 * Nothing of its Chromium, its profile folder or its job sandboxes is left.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { paiban, processesWith, tempDir, tinyEdition, until, useFarm } from './helpers.ts';

const farm = useFarm();

/** What a worker leaves in its TMPDIR: Chromium profile folders and job sandboxes. */
const leftovers = (tmp: string) => readdirSync(tmp).filter((n) => n.startsWith('paiban-chromium-') || n.startsWith('paiban-job-'));

function longEdition(slug: string): string {
  return tinyEdition(tempDir(), slug, { 'story.md': ['---', 'title: Long', '---', '', ...Array.from({ length: 300 }, (_, i) => `Paragraph ${i} of ${slug}, long enough to keep a worker busy for a moment.`)].join('\n\n') });
}

describe('SIGTERM drains a worker', () => {
  it('finishes the job in hand, then closes Chromium and exits 0', async () => {
    const out = tempDir();
    const w = await farm.worker(out);
    const dir = longEdition('finish-me');
    const waiting = paiban(['enqueue', '--redis', farm.redis.url, '--wait', dir]);
    expect(await w.waitFor(/finish-me: started/)).toBe(true);
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
    expect(w.log()).toMatch(/SIGTERM: draining \(1 job\(s\) in hand/);
    expect(w.log()).toMatch(/finish-me: done in [\d.]+ s[\s\S]*stopped/);
    expect(w.log()).not.toMatch(/handed back/);
    const r = await waiting;
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(out, 'finish-me.pdf'))).toBe(true);
    expect(await until(() => processesWith(w.tmp).length === 0, 10_000), `left: ${processesWith(w.tmp)}`).toBe(true);
    expect(leftovers(w.tmp)).toEqual([]);
  });

  it('past --drain-seconds, hands the job back to the queue unpublished; another worker builds it', async () => {
    const out = tempDir();
    const w = await farm.worker(out, ['--drain-seconds', '0']);
    const dir = longEdition('hand-me-back');
    const waiting = paiban(['enqueue', '--redis', farm.redis.url, '--wait', '--json', dir]);
    expect(await w.waitFor(/hand-me-back: started/)).toBe(true);
    const id = /job (ed-[0-9a-f]+) hand-me-back: started/.exec(w.log())![1]!;
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
    expect(w.log()).toMatch(new RegExp(`job ${id}: handed back to the queue[\\s\\S]*stopped`));
    expect(await until(() => processesWith(w.tmp).length === 0, 10_000), `left: ${processesWith(w.tmp)}`).toBe(true);
    expect(leftovers(w.tmp)).toEqual([]);
    expect(await farm.queue.getJobState(id), w.log()).toBe('waiting');
    expect((await farm.queue.getJob(id))!.attemptsMade).toBe(0);
    expect(readdirSync(out).filter((n) => n.startsWith('hand-me-back'))).toEqual([]);
    const next = await farm.worker(out);
    const r = await waiting;
    expect(r.code, r.stderr).toBe(0);
    expect(next.log()).toMatch(new RegExp(`job ${id} hand-me-back: done`));
    expect(existsSync(path.join(out, 'hand-me-back.pdf'))).toBe(true);
  });
});
