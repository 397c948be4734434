/**
 * The API reference (docs/api/README.md), generated from the doc comments: the TypeScript
 * compiler emits the declarations of src/ (what the package ships as dist/*.d.ts), and this file
 * arranges them: every export of src/index.ts with its doc comment and declaration, grouped by
 * the module that defines it, then every type those declarations use that is not exported itself.
 * typedoc is not used: it needs TypeScript 5's compiler API, and paiban builds with TypeScript 7,
 * whose compiler ships no such API (only an unstable one); the declarations are stable output.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

export interface Declaration {
  name: string;
  kind: string;
  exported: boolean;
  /** The doc comment's text, without its delimiters. */
  doc: string;
  /** The declaration as the .d.ts has it, doc comment apart. */
  code: string;
}

export interface DeclarationFile {
  /** Module path relative to src/, e.g. `build.ts`. */
  module: string;
  /** The source file's opening comment, when one stands apart at its top. */
  moduleDoc: string;
  declarations: Declaration[];
  /** Local name → [module it comes from, name there], for relative imports. */
  imports: Map<string, [string, string]>;
  /** Re-exports: exported name → [module, name there]. */
  reexports: Map<string, [string, string]>;
}

const KIND = /^(?:export\s+)?(?:declare\s+)?(?:default\s+)?(abstract\s+class|class|interface|type|function|const|let|var|enum|namespace)\s+([\w$]+)/;

/** `/** … *\/` → its text: the leading `*` of each line and the delimiters removed. */
export function docText(comment: string): string {
  return comment
    .replace(/^\/\*\*\s?/, '')
    .replace(/\s*\*\/$/, '')
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, ''))
    .join('\n')
    .trim();
}

/** A .d.ts as tsc prints it: statements start at column 0, their other lines are indented or close a bracket. */
export function splitStatements(text: string): { comment: string; code: string }[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const out: { comment: string; code: string }[] = [];
  let comment: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('/**') || line.startsWith('/*')) {
      comment = [line];
      while (!lines[i]!.includes('*/')) comment.push(lines[++i]!);
      continue;
    }
    if (!/^[A-Za-z]/.test(line)) continue;
    const code = [line];
    while (i + 1 < lines.length && /^(\s|[}\])>|&])/.test(lines[i + 1]!) && lines[i + 1] !== '') code.push(lines[++i]!);
    out.push({ comment: comment.join('\n'), code: code.join('\n') });
    comment = [];
  }
  return out;
}

function resolveModule(from: string, spec: string): string {
  return path.posix.normalize(path.posix.join(path.posix.dirname(from), spec)).replace(/\.(js|ts)$/, '.ts');
}

/** One emitted declaration file, read. `module` is its path relative to src/. */
export function readDeclarations(module: string, dts: string, source: string): DeclarationFile {
  const file: DeclarationFile = { module, moduleDoc: '', declarations: [], imports: new Map(), reexports: new Map() };
  // The source's first comment is the module's when a blank line parts it from what follows.
  const head = /^\/\*\*[\s\S]*?\*\/\n\s*\n/.exec(source);
  if (head) file.moduleDoc = docText(head[0].trim());
  for (const { comment, code } of splitStatements(dts)) {
    const names = (list: string) =>
      list.split(',').map((s) => s.trim().replace(/^type\s+/, '')).filter(Boolean).map((s) => {
        const [a, b] = s.split(/\s+as\s+/);
        return [a!, b ?? a!] as const;
      });
    const imp = /^import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'(\.[^']+)'/.exec(code);
    if (imp) {
      for (const [theirs, ours] of names(imp[1]!)) file.imports.set(ours, [resolveModule(module, imp[2]!), theirs]);
      continue;
    }
    const re = /^export\s+(?:type\s+)?\{([^}]*)\}(?:\s+from\s+'(\.[^']+)')?/.exec(code);
    if (re) {
      for (const [theirs, ours] of names(re[1]!)) {
        if (re[2]) file.reexports.set(ours, [resolveModule(module, re[2]), theirs]);
        else if (file.imports.has(theirs)) file.reexports.set(ours, file.imports.get(theirs)!);
      }
      continue;
    }
    const m = KIND.exec(code);
    if (!m) continue;
    const doc = comment && !(file.moduleDoc && docText(comment) === file.moduleDoc) ? docText(comment) : '';
    file.declarations.push({ name: m[2]!, kind: m[1]!.replace(/\s+/g, ' '), exported: code.startsWith('export'), doc, code });
  }
  return file;
}

/** Emit the declarations of src/ into a temporary folder with the project's TypeScript. */
function emitDeclarations(root: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'paiban-api-'));
  const tsc = path.join(path.dirname(createRequire(path.join(root, 'package.json')).resolve('typescript/package.json')), 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--emitDeclarationOnly', '--outDir', dir], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tsc failed:\n${r.stdout}${r.stderr}`);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const IDENT = /\b[A-Za-z_$][\w$]*\b/g;

/** The reference as Markdown. */
export function apiReference(root: string): string {
  const { dir, cleanup } = emitDeclarations(root);
  try {
    const files = new Map<string, DeclarationFile>();
    const load = (module: string): DeclarationFile => {
      let f = files.get(module);
      if (!f) {
        const dts = readFileSync(path.join(dir, module.replace(/\.ts$/, '.d.ts')), 'utf8');
        const source = readFileSync(path.join(root, 'src', module), 'utf8');
        files.set(module, (f = readDeclarations(module, dts, source)));
      }
      return f;
    };
    const index = load('index.ts');
    // Exports by the module that declares them, in the order index.ts names them.
    const byModule = new Map<string, { name: string; decls: Declaration[] }[]>();
    const shown = new Set<string>();
    const find = (module: string, name: string): [string, Declaration[]] => {
      const f = load(module);
      const decls = f.declarations.filter((d) => d.name === name);
      if (decls.length) return [module, decls];
      const via = f.reexports.get(name) ?? f.imports.get(name);
      if (via) return find(via[0], via[1]);
      throw new Error(`${module}: ${name} is exported but not declared`);
    };
    for (const [name, [module, theirs]] of index.reexports) {
      const [home, decls] = find(module, theirs);
      if (!byModule.has(home)) byModule.set(home, []);
      byModule.get(home)!.push({ name, decls });
      shown.add(`${home}#${theirs}`);
    }
    // Types the exported declarations use, followed until none is new.
    const used = new Map<string, Map<string, Declaration[]>>();
    const queue: [string, Declaration][] = [...byModule].flatMap(([m, list]) => list.flatMap((e) => e.decls.map((d) => [m, d] as [string, Declaration])));
    while (queue.length) {
      const [module, decl] = queue.shift()!;
      const f = load(module);
      for (const id of new Set(decl.code.replace(/\/\*\*[\s\S]*?\*\//g, '').match(IDENT) ?? [])) {
        if (id === decl.name) continue;
        let target: [string, Declaration[]] | undefined;
        const local = f.declarations.filter((d) => d.name === id);
        if (local.length) target = [module, local];
        else if (f.imports.has(id)) {
          try {
            target = find(...f.imports.get(id)!);
          } catch {
            target = undefined;
          }
        }
        if (!target) continue;
        const [home, decls] = target;
        const types = decls.filter((d) => /class|interface|type|enum/.test(d.kind));
        const key = `${home}#${decls[0]!.name}`;
        if (!types.length || shown.has(key)) continue;
        shown.add(key);
        if (!used.has(home)) used.set(home, new Map());
        used.get(home)!.set(decls[0]!.name, types);
        for (const d of types) queue.push([home, d]);
      }
    }
    return render(byModule, used, files);
  } finally {
    cleanup();
  }
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as dashes, repeats numbered. */
export function slugger(): (heading: string) => string {
  const seen = new Map<string, number>();
  return (heading) => {
    const base = heading.toLowerCase().replace(/[^\p{L}\p{N}\- _]/gu, '').replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n ? `${base}-${n}` : base;
  };
}

/** Long inferred types (a zod schema's) shortened: their first lines, the count left out, the last line. */
export function elide(code: string, max = 24): string {
  const lines = code.split('\n');
  if (lines.length <= max) return code;
  return [...lines.slice(0, max - 4), `    // … ${lines.length - max + 3} more lines of the inferred type`, ...lines.slice(-1)].join('\n');
}

function section(name: string, decls: Declaration[], alias?: string): string {
  const doc = decls.map((d) => d.doc).find(Boolean) ?? '';
  const kind = decls[0]!.kind;
  const title = alias && alias !== name ? `${alias} (${name})` : name;
  const code = decls.map((d) => (d.kind === 'const' ? elide(d.code) : d.code)).join('\n');
  return `### ${title}\n\n*${kind}*${doc ? `\n\n${doc}` : ''}\n\n\`\`\`ts\n${code}\n\`\`\`\n`;
}

function render(byModule: Map<string, { name: string; decls: Declaration[] }[]>, used: Map<string, Map<string, Declaration[]>>, files: Map<string, DeclarationFile>): string {
  const parts: string[] = [];
  parts.push(`<!-- Generated by \`npm run docs\` (scripts/docs/api.ts) from the doc comments in src/: do not edit; tests/docs checks it is current. -->

# API reference

\`import { build } from 'paiban'\` gives the functions the command line uses. The package ships their
declarations as \`dist/*.d.ts\`; this page lists every export of \`src/index.ts\` with its doc comment, grouped
by the module that defines it, then the types they use. From a clone, import \`src/index.ts\` (through tsx
or vitest); from an installed package, \`paiban\`.

\`\`\`js
import { build, formatDiagnostic } from 'paiban';
const result = await build('my-edition', { out: 'output' });
for (const d of result.diagnostics.items) console.log(formatDiagnostic(d));
process.exitCode = result.ok ? 0 : 1;
\`\`\`

## Exports

| export | kind | module | what it is |
| --- | --- | --- | --- |
`);
  // Anchors as GitHub makes them, in the order the headings come.
  const slug = slugger();
  const anchors = new Map<string, string>();
  slug('API reference');
  slug('Exports');
  for (const [module, list] of byModule) {
    slug(`src/${module}`);
    for (const { name, decls } of list) anchors.set(name, slug(name === decls[0]!.name ? name : `${name} (${decls[0]!.name})`));
  }
  const first = (s: string) => (s.split(/(?<=\.)\s+(?=[A-Z`])|\n\n/)[0] ?? "").replace(/\n/g, " ").replace(/\|/g, "\\|");
  for (const [module, list] of byModule) {
    for (const { name, decls } of list) {
      parts.push(`| [\`${name}\`](#${anchors.get(name)}) | ${decls[0]!.kind} | \`src/${module}\` | ${first(decls.map((d) => d.doc).find(Boolean) ?? '')} |\n`);
    }
  }
  for (const [module, list] of byModule) {
    const f = files.get(module)!;
    parts.push(`\n## src/${module}\n\n${f.moduleDoc ? `${f.moduleDoc}\n\n` : ''}${list.map(({ name, decls }) => section(decls[0]!.name, decls, name)).join('\n')}`);
  }
  if (used.size) {
    parts.push('\n## Types the API uses\n\nNot exported by name, but part of what the exports take or return.\n');
    for (const [module, types] of [...used].sort(([a], [b]) => a.localeCompare(b))) {
      parts.push(`\n### src/${module}\n\n${[...types].map(([name, decls]) => section(name, decls).replace(/^### /, '#### ')).join('\n')}`);
    }
  }
  return `${parts.join('').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
