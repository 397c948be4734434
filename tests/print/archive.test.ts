/**
 * Outputs tell the truth, and archives move:
 * - a build that writes only some outputs removes the older outputs of the same edition that the
 *   manifest it replaces vouches for, says so, and keeps (with a warning) one it cannot vouch for;
 *   the new manifest lists exactly what sits in the folder for that edition;
 * - `paiban verify` follows an edition and its outputs moved together (the manifest records the
 *   edition relative to itself), takes `--edition DIR` for an edition moved elsewhere, and names
 *   every place it looked when it cannot find it.
 */
import { cpSync, existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/tools.ts';
import { BIN, makeEdition, tempDir } from '../security/helpers.ts';

const manifestOf = (out: string, slug = 'ed') => JSON.parse(readFileSync(path.join(out, `${slug}.manifest.json`), 'utf8')) as { outputs: { path: string }[]; editionDir: string; editionPath?: string };

describe('a build that writes only some outputs', () => {
  it('removes the earlier EPUB the replaced manifest vouches for, and says so', async () => {
    const ed = await makeEdition({});
    const out = await tempDir();
    expect(run('node', [BIN, 'build', ed, '--out', out]).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['ed.epub', 'ed.manifest.json', 'ed.pdf']);
    const r = run('node', [BIN, 'build', ed, '--pdf', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`removed ${path.join(out, 'ed.epub')} (an earlier build's; this build did not make one)\n`);
    expect(readdirSync(out).sort()).toEqual(['ed.manifest.json', 'ed.pdf']);
    expect(manifestOf(out).outputs.map((o) => o.path)).toEqual(['ed.pdf']);
  });

  it('keeps an EPUB it cannot vouch for (changed since), with a warning naming it; --json lists it', async () => {
    const ed = await makeEdition({});
    const out = await tempDir();
    expect(run('node', [BIN, 'build', ed, '--out', out]).code).toBe(0);
    writeFileSync(path.join(out, 'ed.epub'), 'edited by hand');
    const r = run('node', [BIN, 'build', ed, '--pdf', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const epub = path.join(out, 'ed.epub');
    expect(r.stderr).toContain(`${epub} warning stale-output: ${epub} is not from this build (which wrote no EPUB) and the manifest it replaced does not vouch for it, so it was left in place: remove it, or build with --epub to replace it\n`);
    const doc = JSON.parse(r.stdout) as { results: { staleOutputs: { removed: string[]; kept: string[] } }[] };
    expect(doc.results[0]!.staleOutputs).toEqual({ removed: [], kept: [epub] });
    expect(readFileSync(epub, 'utf8')).toBe('edited by hand');
  });

  it('leaves other editions\' outputs alone', async () => {
    const out = await tempDir();
    const other = await makeEdition({}, 'other');
    expect(run('node', [BIN, 'build', other, '--epub', '--out', out]).code).toBe(0);
    expect(run('node', [BIN, 'build', await makeEdition({}), '--pdf', '--out', out]).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['ed.manifest.json', 'ed.pdf', 'other.epub', 'other.manifest.json']);
  });
});

describe('paiban verify after the archive moved', () => {
  it('follows an edition and its outputs moved together; --edition for one moved elsewhere; names what is missing', async () => {
    const root = await tempDir();
    const ed = await makeEdition({});
    const archive = path.join(root, 'archive');
    cpSync(path.dirname(ed), archive, { recursive: true }); // archive/ed
    const out = path.join(archive, 'output');
    expect(run('node', [BIN, 'build', path.join(archive, 'ed'), '--pdf', '--out', out]).code).toBe(0);
    expect(manifestOf(out).editionPath).toBe('../ed');

    // The whole archive moves.
    const moved = path.join(root, 'moved');
    renameSync(archive, moved);
    const manifest = path.join(moved, 'output', 'ed.manifest.json');
    const followed = run('node', [BIN, 'verify', manifest]);
    expect(followed.code, followed.stderr + followed.stdout).toBe(0);
    expect(followed.stdout).toContain(`rebuilt ed from ${path.join(moved, 'ed')} (built at ${path.join(archive, 'ed')}; found where the manifest says, relative to itself)`);
    expect(followed.stdout).toContain('identical: ed.pdf match the manifest byte for byte');

    // The edition moves away from its outputs, under another name.
    const elsewhere = path.join(root, 'renamed');
    renameSync(path.join(moved, 'ed'), elsewhere);
    const lost = run('node', [BIN, 'verify', manifest]);
    expect(lost.code).toBe(1);
    expect(lost.stderr).toBe(
      `${manifest}: error EditionNotFound: the edition folder of ed is not where the manifest says: no edition.yaml at ${path.join(moved, 'ed')}, ${path.join(archive, 'ed')}, ${path.join(moved, 'output', 'ed')}\n` +
        `  → if the edition moved, give its new place: paiban verify ${manifest} --edition DIR\n`,
    );
    const given = run('node', [BIN, 'verify', manifest, '--edition', elsewhere]);
    expect(given.code, given.stdout + given.stderr).toBe(0);
    expect(given.stdout).toContain('found by --edition');
    const wrong = run('node', [BIN, 'verify', manifest, '--edition', root]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`error EditionNotFound: --edition ${root}: no edition.yaml there`);
    expect(existsSync(path.join(moved, 'output', 'ed.pdf'))).toBe(true);
  });
});
