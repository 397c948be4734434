/** paibanCommand: the printed next step names paiban as it was run, so it works when pasted. */
import { describe, expect, it } from 'vitest';
import { paibanCommand, shellQuote } from '../../src/invocation.ts';

describe('paibanCommand', () => {
  const env = { PATH: '/usr/local/bin:/usr/bin' };
  it('says bin/paiban in a clone run from its root, a path from elsewhere', () => {
    expect(paibanCommand({ cwd: '/home/u/paiban', env, script: '/home/u/paiban/bin/paiban' })).toBe('bin/paiban');
    expect(paibanCommand({ cwd: '/home/u/paiban/bin', env, script: '/home/u/paiban/bin/paiban' })).toBe('./paiban');
    expect(paibanCommand({ cwd: '/tmp/x', env, script: '/home/u/paiban/bin/paiban' })).toBe('/home/u/paiban/bin/paiban');
    expect(paibanCommand({ cwd: '/tmp', env, script: '/home/u/my tools/paiban/bin/paiban' })).toBe("'/home/u/my tools/paiban/bin/paiban'");
  });
  it('says npx paiban for an installed package, even with node_modules/.bin on the PATH (npx puts it there)', () => {
    expect(paibanCommand({ cwd: '/w/app', env: { PATH: '/w/app/node_modules/.bin:/usr/bin' }, script: '/w/app/node_modules/.bin/paiban' })).toBe('npx paiban');
    expect(paibanCommand({ cwd: '/w/app', env, script: '/w/app/node_modules/paiban/bin/paiban' })).toBe('npx paiban');
  });
  it('says paiban when it was found on the PATH (a global install)', () => {
    expect(paibanCommand({ cwd: '/tmp', env, script: '/usr/local/bin/paiban' })).toBe('paiban');
  });
  it('quotes what a shell would split', () => {
    expect(shellQuote('my-edition')).toBe('my-edition');
    expect(shellQuote('my edition')).toBe("'my edition'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });
});
