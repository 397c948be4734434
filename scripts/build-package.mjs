#!/usr/bin/env node
/**
 * Compiles the package that `npm pack` ships (run by `prepack`, or `npm run build`): src/ becomes
 * dist/ with the same folders, JavaScript plus type declarations, so an installed paiban runs on
 * plain Node (`npx paiban`, `import { build } from 'paiban'`) without a TypeScript runner.
 *
 * dist/ mirrors src/ one level below the package root, as src/ is: the code finds templates/,
 * styles/ and package.json by the same relative paths from either. Files that are not TypeScript
 * (the fonts' Python subsetter) are copied beside the code that runs them. The declarations keep
 * `.ts` in their relative imports (TypeScript does not rewrite them there); they are rewritten to
 * `.js`, which every TypeScript version resolves to the .d.ts beside it.
 *
 *   node scripts/build-package.mjs [OUT_DIR]     (default: dist/)
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.resolve(process.argv[2] ?? path.join(root, 'dist'));
const src = path.join(root, 'src');

let tsc;
try {
  tsc = path.join(path.dirname(createRequire(path.join(root, 'package.json')).resolve('typescript/package.json')), 'bin', 'tsc');
} catch {
  process.stderr.write('build-package: TypeScript is not installed (a devDependency): run npm ci first\n');
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', out], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) {
  rmSync(out, { recursive: true, force: true });
  process.stderr.write(`build-package: tsc failed (exit ${r.status}); nothing was written\n`);
  process.exit(1);
}

let copied = 0;
for (const f of readdirSync(src, { recursive: true, encoding: 'utf8' }).sort()) {
  if (f.endsWith('.ts') || !statSync(path.join(src, f)).isFile()) continue;
  mkdirSync(path.dirname(path.join(out, f)), { recursive: true });
  copyFileSync(path.join(src, f), path.join(out, f));
  copied++;
}

// Relative `.ts` specifiers in the declarations become `.js` (from './x.ts', import('./x.ts')).
let declarations = 0;
for (const f of readdirSync(out, { recursive: true, encoding: 'utf8' })) {
  if (!f.endsWith('.d.ts')) continue;
  const file = path.join(out, f);
  const text = readFileSync(file, 'utf8');
  const fixed = text.replace(/(['"])(\.{1,2}\/[^'"\n]*?)\.ts\1/g, '$1$2.js$1');
  if (fixed !== text) writeFileSync(file, fixed);
  declarations++;
}
process.stderr.write(`build-package: ${path.relative(root, out) || '.'}: ${declarations} modules with declarations, ${copied} other file(s) copied\n`);
