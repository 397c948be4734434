/** Small editions written into temp folders for end-to-end tests of page craft. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Real Chinese sentences (the demo's long feature), numbered so their order can be checked. */
export function chineseText(chars: number): string[] {
  const src = readFileSync(path.resolve('content/zjrb-2022-06-15/reform.md'), 'utf8')
    .replace(/^---[\s\S]*?\n---\n/, '')
    .split('\n')
    .filter((l) => l && !l.startsWith('!') && !l.startsWith('#'))
    .join('');
  const sentences = src.split(/(?<=。)/).filter((s) => s.length > 8);
  const paras: string[] = [];
  let n = 0;
  let para = '';
  for (let i = 0; n < chars; i++) {
    const s = `${sentences[i % sentences.length]}`;
    para += s;
    n += s.length;
    if (para.length > 160) {
      paras.push(para);
      para = '';
    }
  }
  if (para) paras.push(para);
  return paras;
}

export interface ArticleSpec {
  file: string;
  title: string;
  paragraphs: string[];
  front?: Record<string, string>;
}

export function writeEdition(name: string, yaml: string, articles: ArticleSpec[]): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'paiban-ed-')), name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'edition.yaml'), yaml);
  for (const a of articles) {
    const front = Object.entries({ title: a.title, ...a.front }).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join('\n');
    writeFileSync(path.join(dir, a.file), `---\n${front}\n---\n\n${a.paragraphs.join('\n\n')}\n`);
  }
  return dir;
}
