/**
 * Smoke test of the farm's part of `npm run bench` (bench/farm.ts): one latency run (a cold build
 * and a warm worker's job) and a batch of two editions through one worker and through two, on a
 * redis-server of the bench's own. Only the tables' shape is checked: speed is never asserted.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/tools.ts';

describe('npm run bench -- --only farm', () => {
  it('reports a warm job against a cold build, and throughput with one and two workers', { timeout: 600_000 }, () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'paiban-bench-farm-'));
    const md = path.join(dir, 'bench.md');
    const r = run('node', ['--import', 'tsx', 'bench/run.ts', '--only', 'farm', '--runs', '1', '--farm-editions', '2', '--markdown', md]);
    const table = existsSync(md) ? readFileSync(md, 'utf8') : '';
    rmSync(dir, { recursive: true, force: true });
    expect(r.code, r.stderr).toBe(0);
    expect(table).toMatch(/^farm \(\d+ cores; two workers on one machine share its cores\):$/m);
    expect(table).toMatch(/^\| cold: paiban build \| [\d.]+ \| [\d.]+ \| [\d.]+ \| {2}\|$/m);
    expect(table).toMatch(/^\| warm worker: paiban enqueue --wait \| [\d.]+ \| [\d.]+ \| [\d.]+ \+ worker [\d.]+ \| [\d.]+ \|$/m);
    for (const w of [1, 2]) expect(table).toMatch(new RegExp(`^\\| ${w} \\| 2 \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\|$`, 'm'));
    expect(table).toMatch(/^\| farm: a warm job for the demo with changed text \(enqueue --wait\) in ≤ 0\.6 of a cold paiban build \| (yes|\*\*no\*\*) \| warm [\d.]+ s, cold [\d.]+ s: [\d.]+ \|$/m);
    expect(table).toMatch(/load average [\d.]+ → [\d.]+/);
  });
});
