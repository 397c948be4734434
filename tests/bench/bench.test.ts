/**
 * Smoke test of the benchmark harness (`npm run bench`): on the demo only (--quick) it runs paiban,
 * pagedjs-cli and the floor and writes its table. Only the shape is checked: speed is never asserted.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COLUMNS } from '../../bench/run.ts';
import { run } from '../helpers/tools.ts';

describe('npm run bench --quick', () => {
  it('measures paiban, pagedjs-cli and the floor on the demo and writes the table with every column', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'paiban-bench-test-'));
    const md = path.join(dir, 'bench.md');
    const r = run('node', ['--import', 'tsx', 'bench/run.ts', '--quick', '--markdown', md]);
    const table = existsSync(md) ? readFileSync(md, 'utf8') : '';
    rmSync(dir, { recursive: true, force: true });
    expect(r.code, r.stderr).toBe(0);
    const header = r.stdout.split('\n').find((l) => l.startsWith('edition'))!;
    for (const c of COLUMNS) expect(header).toContain(c);
    expect(table).toContain(`| ${COLUMNS.join(' | ')} |`);
    expect(table).toMatch(/^Measured on: .+ cores, .+ GiB; .*Node v\d+.*Chromium/m);
    for (const tool of ['paiban', 'pagedjs-cli', 'floor']) {
      // edition | tool | pages | wall s | pages/s | CPU s | peak MB (PSS) | peak MB (RSS sum) | …
      expect(table).toMatch(new RegExp(`^\\| demo \\| ${tool} \\| 2 \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| \\d+ \\| \\d+ \\|`, 'm'));
    }
    expect(table).toMatch(/^\| demo \| paiban \|.*\| [\d.]+ \| [\d.]+ \|$/m);
    expect(table).toContain('| demo: PDF and EPUB in no more time than pagedjs-cli takes for the PDF |');
  });
});
