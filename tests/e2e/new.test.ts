/** `paiban new DIR` scaffolds an edition that builds as it is, and never overwrites. */
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/tools.ts';
import { verifyBuild } from '../helpers/verify.ts';

const BIN = path.resolve('bin/paiban');

describe('paiban new', () => {
  for (const lang of ['zh-CN', 'en']) {
    it(`scaffolds a ${lang} edition that builds without errors`, () => {
      const root = mkdtempSync(path.join(os.tmpdir(), 'paiban-new-'));
      const dir = path.join(root, 'edition');
      const made = run('node', [BIN, 'new', dir, '--lang', lang]);
      expect(made.code, made.stderr).toBe(0);
      for (const f of ['edition.yaml', 'lead.md', 'feature.md']) expect(existsSync(path.join(dir, f))).toBe(true);
      const built = run('node', [BIN, 'build', dir, '--out', path.join(root, 'out'), '--pdf']);
      expect(built.code, built.stderr).toBe(0);
      expect(built.stderr).not.toMatch(/ error /);
      expect(existsSync(path.join(root, 'out', 'edition.pdf'))).toBe(true);
      // What the scaffold's articles say is printed, whole and in order (kinsoku too for zh-CN).
      expect(verifyBuild(path.join(root, 'out', 'edition.pdf'), dir)).toEqual([]);
      const again = run('node', [BIN, 'new', dir]);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/already exists and is not empty/);
    });
  }
});
