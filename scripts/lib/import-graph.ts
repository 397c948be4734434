/**
 * The import graph of src/: every relative import between its TypeScript files, type-only imports
 * and `import('./x.ts')` included (a cycle through types still ties two modules together).
 * Read from the import statements with regular expressions rather than a parser: paiban's sources
 * keep their imports at the start of a line (`import …`, `export … from`), which these match; a
 * specifier they cannot resolve to a file is an error, so nothing is silently left out.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** file → the files it imports (paths relative to `root`, with '/' separators). */
export type ImportGraph = Map<string, Set<string>>;

const STATIC = /^[ \t]*(?:import|export)\s+(?:type\s+)?(?:[\w$*{},\s]+?\s+from\s+)?['"]([^'"\n]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"\n]+)['"]\s*\)/g;

/** The relative specifiers a TypeScript file imports, in order. */
export function importsOf(code: string): string[] {
  const out: string[] = [];
  for (const re of [STATIC, DYNAMIC]) for (const m of code.matchAll(re)) if (m[1]!.startsWith('.')) out.push(m[1]!);
  return out;
}

function resolveImport(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, path.join(base, 'index.ts')];
  return candidates.find((c) => c.endsWith('.ts') && existsSync(c));
}

/** Every .ts file under `dir` and what it imports inside `dir`. */
export function importGraph(dir: string): ImportGraph {
  const graph: ImportGraph = new Map();
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).sort();
  const rel = (abs: string) => path.relative(dir, abs).split(path.sep).join('/');
  for (const f of files) {
    const abs = path.join(dir, f);
    const deps = new Set<string>();
    for (const spec of importsOf(readFileSync(abs, 'utf8'))) {
      const target = resolveImport(abs, spec);
      if (!target) throw new Error(`${rel(abs)}: cannot resolve import "${spec}"`);
      if (target.startsWith(dir + path.sep)) deps.add(rel(target));
    }
    graph.set(rel(abs), deps);
  }
  return graph;
}

/**
 * The import cycles of `graph`: one per strongly connected component of more than one file (or a
 * file importing itself), each given as a path that returns to its start (a → b → a).
 */
export function importCycles(graph: ImportGraph): string[][] {
  // Tarjan's algorithm, iterative over the sorted files so the result is stable.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1 || graph.get(v)?.has(v)) components.push(c.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  // One concrete cycle per component: the shortest way back from its first file (breadth first).
  return components.map((c) => {
    const inside = new Set(c);
    const start = c[0]!;
    const prev = new Map<string, string>();
    const queue = [start];
    while (queue.length) {
      const v = queue.shift()!;
      for (const w of [...(graph.get(v) ?? [])].sort()) {
        if (!inside.has(w)) continue;
        if (w === start) {
          const cycle = [start];
          for (let u: string | undefined = v; u !== undefined && u !== start; u = prev.get(u)) cycle.splice(1, 0, u);
          return [...cycle, start];
        }
        if (!prev.has(w)) {
          prev.set(w, v);
          queue.push(w);
        }
      }
    }
    return c;
  });
}

/** The graph between src/'s folders (a file at the top is a node of its own): who imports whom. */
export function folderGraph(graph: ImportGraph): Map<string, Set<string>> {
  const room = (f: string) => (f.includes('/') ? `${f.split('/')[0]}/` : f);
  const out = new Map<string, Set<string>>();
  for (const [f, deps] of graph) {
    const from = room(f);
    if (!out.has(from)) out.set(from, new Set());
    for (const d of deps) if (room(d) !== from) out.get(from)!.add(room(d));
  }
  return out;
}
