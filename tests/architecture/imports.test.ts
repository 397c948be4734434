import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importCycles, importGraph, importsOf } from '../../scripts/lib/import-graph.ts';

const SRC = path.resolve(import.meta.dirname, '../../src');

describe('imports in src/', () => {
  it('form no cycle, type-only and dynamic imports included', () => {
    const graph = importGraph(SRC);
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('build.ts')?.has('load/edition.ts')).toBe(true);
    expect(importCycles(graph)).toEqual([]);
  });
});

describe('the import walker', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'paiban-imports-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const files = (tree: Record<string, string>) => {
    const root = mkdtempSync(path.join(dir, 'src-'));
    for (const [f, code] of Object.entries(tree)) {
      mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      writeFileSync(path.join(root, f), code);
    }
    return root;
  };

  it('reads static, type-only, multi-line, re-export, side-effect and dynamic imports', () => {
    const code = [
      "import { a } from './a.ts';",
      "import type { B } from '../b.ts';",
      'import {\n  c,\n  d,\n} from "./c.ts";',
      "export { e } from './e.ts';",
      "export * from './f.ts';",
      "import './g.ts';",
      "const h = await import('./h.ts');",
      "import fs from 'node:fs';",
      "const s = 'import x from \"./not-at-line-start.ts\"';",
    ].join('\n');
    expect(importsOf(code).sort()).toEqual(['../b.ts', './a.ts', './c.ts', './e.ts', './f.ts', './g.ts', './h.ts']);
  });

  it('finds a cycle through a type-only import and names its path', () => {
    const root = files({
      'epub/images.ts': "import { cached } from './image-cache.ts';\nexport type Img = { bytes: Uint8Array };\n",
      'epub/image-cache.ts': "import type { Img } from './images.ts';\nexport const cached = 1;\n",
      'build.ts': "import { cached } from './epub/image-cache.ts';\n",
    });
    expect(importCycles(importGraph(root))).toEqual([['epub/image-cache.ts', 'epub/images.ts', 'epub/image-cache.ts']]);
  });

  it('finds a longer cycle through a dynamic import, and a file importing itself', () => {
    const root = files({
      'a.ts': "import './b.ts';\n",
      'b.ts': "export * from './c.ts';\n",
      'c.ts': "export const f = () => import('./a.ts');\n",
      'd.ts': "import { x } from './d.ts';\nexport const x = 1;\n",
    });
    expect(importCycles(importGraph(root))).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts'], ['d.ts', 'd.ts']]);
  });

  it('refuses an import it cannot resolve instead of leaving it out', () => {
    const root = files({ 'a.ts': "import { x } from './missing.ts';\n" });
    expect(() => importGraph(root)).toThrow(/a\.ts: cannot resolve import "\.\/missing\.ts"/);
  });
});
