/** The front page of tests/e2e/frontpage.test.ts: a lead that jumps, every other slot filled, in Chinese or English. */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chineseText } from './editions.ts';

export const PHOTO = path.resolve('content/zjrb-2022-06-15/images/tiantai-flood-evacuation.png');
const ENGLISH = ['bridge', 'lighthouse', 'library', 'weather'].map((f) =>
  readFileSync(path.resolve(`tests/fixtures/english/${f}.md`), 'utf8').replace(/^---[\s\S]*?\n---\n/, '').replace(/^##.*$/gm, '').trim(),
);

export interface Story {
  file: string;
  title: string;
  body: string;
  front?: string;
}

/** An edition folder with the stories, a landscape photo and the page plan. */
export function edition(lang: 'zh-CN' | 'en', stories: Story[], pages: string): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'paiban-front-')), lang === 'en' ? 'front-en' : 'front-zh');
  mkdirSync(path.join(dir, 'images'), { recursive: true });
  cpSync(PHOTO, path.join(dir, 'images/landscape.png'));
  writeFileSync(path.join(dir, 'edition.yaml'), `title: Front\npublication: ${lang === 'en' ? 'The Test Gazette' : '测试日报'}\ndate: 2022-06-15\nlanguage: ${lang}\npaper: tabloid\npages:\n${pages}`);
  for (const s of stories) writeFileSync(path.join(dir, s.file), `---\ntitle: ${JSON.stringify(s.title)}\n${s.front ?? ''}---\n\n${s.body}\n`);
  return dir;
}

export const PLAN = `  - layout: front
    banner: ${'"Banner"'}
    articles:
      - { file: lead.md, slot: lead, continue: { page: 2, slot: rest } }
      - { file: second.md, slot: second, fit: auto }
      - { file: photo.md, slot: photo, fit: auto }
      - { file: side.md, slot: side, fit: auto }
  - layout: feature
    slots:
      rest: { column: 1, columns: 8, row: 1, rows: 60 }
`;

export function stories(lang: 'zh-CN' | 'en'): Story[] {
  const zh = lang === 'zh-CN';
  const text = (from: number, chars: number) => (zh ? chineseText(chars + from).join('\n\n').slice(from) : ENGLISH.join('\n\n').repeat(4).slice(from, from + chars).replace(/\s\S*$/, '.'));
  const photo = (caption: string) => `![${caption}](images/landscape.png){.wide}`;
  return [
    { file: 'lead.md', title: zh ? '变革重塑，党建统领整体智治' : 'The harbour bridge reopens after a year of repairs', body: text(0, zh ? 4900 : 11000), front: `deck: ${zh ? '浙江以高质量党建统领高质量发展' : 'Traffic returns to the old crossing'}\n` },
    { file: 'second.md', title: zh ? '以政治建设为统领 抓班子强队伍促担当' : 'Library extends its opening hours', body: `${photo(zh ? '图为党员干部在防汛工作中紧急转移群众。' : 'Volunteers at the library.')}\n\n${text(300, zh ? 200 : 500)}` },
    { file: 'photo.md', title: zh ? '茶园里的技术指导' : 'A morning at the tea garden', body: `${photo(zh ? '图为茶农在茶园里学习新技术。' : 'Growers learn a new technique.')}\n\n${text(1200, zh ? 160 : 300)}` },
    { file: 'side.md', title: zh ? '从“鲲鹏行动”计划 看浙江打造人才高地' : 'Weather: a warm week ahead', body: text(2000, zh ? 560 : 1500), front: 'kind: sidebar\n' },
  ];
}

