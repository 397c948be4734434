/** Relative links of Markdown files, and the heading anchors GitHub gives a file. */
import { readFileSync } from 'node:fs';
import { slugger } from '../../scripts/docs/api.ts';

export interface Link {
  line: number;
  target: string;
}

/** Links and image sources, outside code blocks and code spans. */
export function linksOf(markdown: string): Link[] {
  const out: Link[] = [];
  let fenced = false;
  markdown.split('\n').forEach((text, i) => {
    if (/^\s*```/.test(text)) fenced = !fenced;
    if (fenced) return;
    const line = text.replace(/`[^`]*`/g, '');
    for (const m of line.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) out.push({ line: i + 1, target: m[1]! });
    for (const m of line.matchAll(/<img\s[^>]*src="([^"]+)"/g)) out.push({ line: i + 1, target: m[1]! });
  });
  return out;
}

/** The anchors of a Markdown file's headings (outside code blocks). */
export function anchorsOf(file: string): Set<string> {
  const slug = slugger();
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const m = !fenced && /^#{1,6}\s+(.*?)\s*$/.exec(line);
    if (m) anchors.add(slug(m[1]!.replace(/`/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')));
  }
  return anchors;
}
