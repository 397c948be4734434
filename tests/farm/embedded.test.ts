/**
 * The embedded default: nothing needs Redis unless a farm command runs. With BullMQ and ioredis made
 * impossible to load (tests/farm/no-redis.mjs), `paiban build` still builds and `paiban --help`
 * still lists every command, while `paiban enqueue` (which does need them) fails: the block holds.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, cleanup, tempDir, tinyEdition } from './helpers.ts';
import { run } from '../helpers/tools.ts';

afterAll(cleanup);

const HOOK = path.resolve('tests/farm/no-redis.mjs');

describe('without Redis, BullMQ or ioredis', () => {
  it('paiban build works; only the farm commands load them', () => {
    const dir = tinyEdition(tempDir(), 'embedded');
    const out = tempDir();
    const built = run('node', ['--import', HOOK, BIN, 'build', dir, '--out', out]);
    expect(built.code, built.stderr).toBe(0);
    expect(existsSync(path.join(out, 'embedded.pdf'))).toBe(true);
    expect(existsSync(path.join(out, 'embedded.epub'))).toBe(true);
    const help = run('node', ['--import', HOOK, BIN, '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^\s+worker \[options\]/m);
    expect(help.stdout).toMatch(/^\s+enqueue \[options\] <editions\.\.\.>/m);
    const farm = run('node', ['--import', HOOK, BIN, 'enqueue', '--redis', 'redis://127.0.0.1:1', dir]);
    expect(farm.code).toBe(1);
    expect(farm.stderr).toMatch(/blocked for the test: (ioredis|bullmq)/);
  });
});
