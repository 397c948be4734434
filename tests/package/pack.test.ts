/**
 * The installable package: `npm pack` gives a tarball that installs into an empty folder and runs
 * on plain Node, as `npx paiban` and as `import { build } from 'paiban'`, with type declarations;
 * the same bytes as a build from the clone's sources.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installInto, pack, ROOT, sh, type Packed } from './helpers.ts';

const DEMO = path.join(ROOT, 'content', 'zjrb-2022-06-15');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'paiban-pack-'));
const app = path.join(tmp, 'app');
let packed: Packed;

beforeAll(() => {
  packed = pack(tmp);
  const installed = installInto(app, packed.tarball);
  if (installed.code !== 0) throw new Error(`npm ci of the tarball failed (${installed.code}):\n${installed.stderr}`);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sha = (f: string) => readFileSync(f).toString('base64');

describe('npm pack', () => {
  it('ships compiled code with declarations, the templates, styles and the subsetter; no sources or tests', () => {
    for (const f of ['bin/paiban', 'dist/index.js', 'dist/index.d.ts', 'dist/cli.js', 'dist/build.d.ts', 'dist/fonts/subset.py', 'templates/newspaper/template.yaml', 'styles/newspaper.css', 'styles/epub.css', 'package.json', 'README.md']) {
      expect(packed.files, f).toContain(f);
    }
    expect(packed.files.filter((f) => /^(src|tests|content|bench|node_modules|scripts)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    // Declarations import their neighbours as .js, which resolves to the .d.ts beside them.
    expect(readFileSync(path.join(app, 'node_modules/paiban/dist/index.d.ts'), 'utf8')).toMatch(/from '\.\/build\.js'/);
  });

  it('installs no dependency that only the tests, the docs or a clone need', () => {
    for (const dev of ['vitest', 'typescript', 'tsx', 'esbuild', '@daisy/ace-cli', 'pagedjs-cli']) {
      expect(existsSync(path.join(app, 'node_modules', dev)), dev).toBe(false);
    }
    for (const dep of ['puppeteer-core', 'pagedjs', 'pdf-lib', 'sharp']) expect(existsSync(path.join(app, 'node_modules', dep)), dep).toBe(true);
  });
});

describe('the installed package', () => {
  it('builds the demo with npx paiban, byte for byte as the clone does', () => {
    const r = sh('npx', ['paiban', 'build', DEMO, '--out', 'out'], app);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/wrote .*zjrb-2022-06-15\.pdf \(\d+ KB, 2 pages\)/);
    const clone = sh(process.execPath, [path.join(ROOT, 'bin/paiban'), 'build', DEMO, '--out', path.join(tmp, 'clone')], ROOT);
    expect(clone.code, clone.stderr).toBe(0);
    for (const ext of ['pdf', 'epub']) {
      expect(sha(path.join(app, 'out', `zjrb-2022-06-15.${ext}`)), ext).toBe(sha(path.join(tmp, 'clone', `zjrb-2022-06-15.${ext}`)));
    }
  });

  it('builds the demo through the API from plain Node', () => {
    writeFileSync(
      path.join(app, 'api.mjs'),
      `import { build, VERSION } from 'paiban';
const r = await build(process.argv[2], { out: 'out-api' });
console.log(JSON.stringify({ version: VERSION, ok: r.ok, pages: r.pages, outputs: r.outputs.map((o) => o.path) }));
process.exitCode = r.ok ? 0 : 1;
`,
    );
    const r = sh(process.execPath, ['api.mjs', DEMO], app);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { version: string; ok: boolean; pages: number; outputs: string[] };
    expect(out).toMatchObject({ version: JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version, ok: true, pages: 2 });
    expect(out.outputs.map((o) => path.basename(o)).sort()).toEqual(['zjrb-2022-06-15.epub', 'zjrb-2022-06-15.manifest.json', 'zjrb-2022-06-15.pdf']);
    expect(sha(path.join(app, 'out-api/zjrb-2022-06-15.pdf'))).toBe(sha(path.join(app, 'out/zjrb-2022-06-15.pdf')));
  });

  it('gives TypeScript users the API types', () => {
    writeFileSync(
      path.join(app, 'use.ts'),
      `import { build, type BuildResult, type Diagnostic } from 'paiban';
export async function first(dir: string): Promise<Diagnostic | undefined> {
  const r: BuildResult = await build(dir, { out: 'out' });
  // @ts-expect-error: build takes no such option (this line fails if the types are missing or any)
  await build(dir, { noSuchOption: true });
  return r.diagnostics.items[0];
}
`,
    );
    writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', noEmit: true }, files: ['use.ts'] }));
    const r = sh(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', '.'], app);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it("scaffolds with npx paiban new, whose printed next step builds the edition", () => {
    const made = sh('npx', ['paiban', 'new', 'my-edition', '--lang', 'en'], app);
    expect(made.code, made.stderr).toBe(0);
    const next = /^build it with: (.+)$/m.exec(made.stdout)?.[1];
    expect(next).toBe('npx paiban build my-edition');
    const built = sh('sh', ['-c', `${next} --out out-new --pdf`], app);
    expect(built.code, built.stderr).toBe(0);
    expect(existsSync(path.join(app, 'out-new', 'my-edition.pdf'))).toBe(true);
  });
});

describe('paiban new in a clone', () => {
  it('prints a next step that runs from where it was run', () => {
    const dir = path.join(tmp, 'clone-new');
    const made = sh(process.execPath, ['bin/paiban', 'new', dir, '--lang', 'en'], ROOT);
    expect(made.code, made.stderr).toBe(0);
    const next = /^build it with: (.+)$/m.exec(made.stdout)?.[1];
    expect(next).toBe(`bin/paiban build ${dir}`);
    const built = sh('sh', ['-c', `${next} --out ${path.join(tmp, 'clone-new-out')} --pdf`], ROOT);
    expect(built.code, built.stderr).toBe(0);
  });
});
