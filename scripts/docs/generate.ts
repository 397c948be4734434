/**
 * Everything generated in docs/: which blocks go into which files, and the generators that need
 * no build (tables read from the template record, src/limits.ts and the import graph).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LIMITS } from '../../src/limits.ts';
import { formatBytes } from '../../src/limits.ts';
import { folderGraph, importGraph } from '../lib/import-graph.ts';
import { geometry, type LayoutRecord } from './layouts.ts';

export const LAYOUT_RECORD = 'docs/images/layouts.json';

/** The docs that hold generated blocks: README.md and every docs/*.md. */
export function docFiles(root: string): string[] {
  const docs = path.join(root, 'docs');
  const md = existsSync(docs) ? readdirSync(docs).filter((f) => f.endsWith('.md')).sort().map((f) => path.join(docs, f)) : [];
  return [path.join(root, 'README.md'), ...md];
}

/** The layouts block of docs/templates.md: a picture and a slot table per layout, from the record. */
export function layoutsBlock(record: LayoutRecord): string {
  const parts: string[] = [];
  for (const l of record.layouts) {
    parts.push(`### ${l.layout}\n\n${l.description ?? ''}${l.fixed ? ' A fixed page: each slot is a box of the grid.' : ' Continuous pages: no slots.'}\n\n![The ${l.layout} layout, each slot labelled with its name](${l.image})\n`);
    const slots = Object.entries(l.slots);
    if (slots.length) {
      parts.push(`\n| slot | in template.yaml | what it is for |\n| --- | --- | --- |\n${slots.map(([name, s]) => `| \`${name}\` | ${geometry(s)} | ${String(s.description ?? '')} |`).join('\n')}\n`);
    }
    parts.push('\n');
  }
  return parts.join('').trimEnd() + '\n';
}

/** The limits table of docs/security.md: each limit of src/limits.ts, its value and its doc comment. */
export function limitsBlock(root: string): string {
  const source = readFileSync(path.join(root, 'src', 'limits.ts'), 'utf8');
  const docs = new Map<string, string>();
  for (const m of source.matchAll(/\/\*\*\s*((?:(?!\*\/)[\s\S])*?)\s*\*\/\s*\n\s*(\w+):/g)) docs.set(m[2]!, m[1]!.replace(/\s*\n\s*\*\s*/g, ' '));
  const rows = Object.entries(LIMITS).map(([name, value]) => `| \`${name}\` | ${/Bytes$/.test(name) ? formatBytes(value) : value.toLocaleString('en-US')} | ${docs.get(name) ?? ''} |`);
  return `| limit | value | what it bounds |\n| --- | ---: | --- |\n${rows.join('\n')}\n`;
}

/** The folders of src/ and which others each imports (docs/architecture.md). */
export function foldersBlock(root: string): string {
  const graph = importGraph(path.join(root, 'src'));
  const rooms = folderGraph(graph);
  const files = new Map<string, number>();
  for (const f of graph.keys()) {
    const room = f.includes('/') ? `${f.split('/')[0]}/` : f;
    files.set(room, (files.get(room) ?? 0) + 1);
  }
  const rows = [...rooms].sort(([a], [b]) => Number(a.endsWith('/')) - Number(b.endsWith('/')) || a.localeCompare(b)).map(([room, deps]) => `| \`src/${room}\` | ${files.get(room)} | ${[...deps].sort().map((d) => `\`${d}\``).join(' ') || '–'} |`);
  return `| module or folder | files | imports from |\n| --- | ---: | --- |\n${rows.join('\n')}\n`;
}

/** The blocks that need no build. */
export function staticBlocks(root: string): Map<string, string> {
  const blocks = new Map<string, string>();
  const record = path.join(root, LAYOUT_RECORD);
  if (existsSync(record)) blocks.set('layouts', layoutsBlock(JSON.parse(readFileSync(record, 'utf8')) as LayoutRecord));
  blocks.set('limits', limitsBlock(root));
  blocks.set('folders', foldersBlock(root));
  return blocks;
}
