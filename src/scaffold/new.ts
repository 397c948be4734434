/**
 * `paiban new DIR`: a new edition that builds as it is — edition.yaml with a front page and a
 * flowing page, two articles showing the front matter and the Markdown an article may use.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PaibanError } from '../errors.ts';

export async function scaffold(dir: string, opts: { language?: string; date?: string } = {}): Promise<string[]> {
  const existing = await readdir(dir).catch(() => undefined);
  if (existing && existing.length) {
    throw new PaibanError('Usage', `${dir} already exists and is not empty`, { hint: 'give a new folder name; paiban new never overwrites files' });
  }
  const zh = (opts.language ?? 'zh-CN').toLowerCase().startsWith('zh');
  const date = opts.date ?? new Date().toISOString().slice(0, 10);
  const name = path.basename(path.resolve(dir));
  const files: Record<string, string> = zh ? chinese(name, date, opts.language ?? 'zh-CN') : english(name, date, opts.language ?? 'en');
  await mkdir(path.join(dir, 'images'), { recursive: true });
  for (const [f, text] of Object.entries(files)) await writeFile(path.join(dir, f), text, { flag: 'wx' });
  return Object.keys(files).map((f) => path.join(dir, f));
}

function chinese(name: string, date: string, language: string): Record<string, string> {
  return {
    'edition.yaml': `# The edition: metadata and the page plan (the fields: paiban's docs/writing.md).
title: ${name}
publication: 示例日报
date: ${date}
language: ${language}
template: newspaper
paper: broadsheet
print: { bleed: 3mm, marks: false }
pages:
  - layout: front            # page 1: masthead, banner and slots lead / second / side / photo
    section: 要闻
    banner: 这里是通栏标题
    articles:
      - { file: lead.md, slot: lead }
  - layout: flow             # page 2 on: articles flow over as many pages as they need
    section: 综合
    articles:
      - { file: feature.md }
`,
    'lead.md': `---
kicker: 引题写在这里
title: 主标题写在这里
deck: ——副题写在这里
byline: 本报记者 某某
---

正文第一段。每段开头空两格由版式自动完成，不要手动输入空格。

正文第二段。图片放在 images/ 文件夹里，用 \`![图为……](images/photo.jpg "摄影 某某")\` 插入，图片说明写在方括号里。

## 小标题

正文第三段。
`,
    'feature.md': `---
title: 连续排版的文章
byline: 本报记者 某某
bylinePosition: end
---

这一篇文章排在流式版面上，版面不够时自动转到下一页。

::: sidebar 资料
方框里的资料或链接。
:::
`,
  };
}

function english(name: string, date: string, language: string): Record<string, string> {
  return {
    'edition.yaml': `# The edition: metadata and the page plan (the fields: paiban's docs/writing.md).
title: ${name}
publication: The Example Gazette
date: ${date}
language: ${language}
template: newspaper
paper: tabloid
print: { bleed: 3mm, marks: false }
pages:
  - layout: front            # page 1: masthead, banner and slots lead / second / side / photo
    section: News
    articles:
      - { file: lead.md, slot: lead }
  - layout: flow             # page 2 on: articles flow over as many pages as they need
    section: Features
    articles:
      - { file: feature.md }
`,
    'lead.md': `---
kicker: Kicker
title: The headline goes here
deck: A deck says a little more about the story
byline: By A. Reporter
---

The first paragraph. Photos go in the images/ folder: \`![Caption](images/photo.jpg "Photographer")\`.

## A subhead

The second paragraph.
`,
    'feature.md': `---
title: A story that flows
byline: A. Reporter
bylinePosition: end
---

This article flows over as many pages as it needs.

::: sidebar Facts
A boxed sidebar.
:::
`,
  };
}
