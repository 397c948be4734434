/**
 * The README's five-minute edition, read from the README itself so that what a newcomer copies is
 * what the tests build: each file is a fenced block right after a line **`first/NAME`**, and the
 * build command is the block's first line that runs `bin/paiban build`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Quickstart {
  /** File path (relative, e.g. `first/edition.yaml`) → its text. */
  files: Map<string, string>;
  /** The build command as the README gives it, e.g. `bin/paiban build first`. */
  command: string;
}

export function readQuickstart(readme: string): Quickstart {
  const files = new Map<string, string>();
  for (const m of readme.matchAll(/^\*\*`([^`]+)`\*\*[^\n]*\n+```[\w-]*\n([\s\S]*?)^```$/gm)) files.set(m[1]!, m[2]!);
  const command = /^(bin\/paiban build [^\s#]+)/m.exec(readme)?.[1];
  if (!files.size || !command) throw new Error('README.md: no five-minute edition found (**`first/…`** lines followed by code blocks, and a `bin/paiban build` line)');
  return { files, command };
}

/** Write the edition's files under `dir`; returns the quick start read. */
export function writeQuickstart(root: string, dir: string): Quickstart {
  const q = readQuickstart(readFileSync(path.join(root, 'README.md'), 'utf8'));
  for (const [f, text] of q.files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
  return q;
}
