/**
 * `paiban new DIR`: a new edition that builds as it is — edition.yaml with a front page and a
 * flowing page, two articles showing the front matter and the Markdown an article may use.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PaibanError } from '../errors.ts';

/** The languages `paiban new` has sample text in: the tags it takes, and what it writes. */
export const SAMPLE_LANGUAGES = [
  { tag: 'zh-CN', name: 'Simplified Chinese', accepts: /^zh(-(hans|cn|sg|my)(-[a-z0-9]+)*)?$/i, sample: 'chinese' },
  { tag: 'en', name: 'English', accepts: /^en(-[a-z0-9]+)*$/i, sample: 'english' },
] as const;

/** The sample a language tag gets, and the tag as written into edition.yaml; a Usage error when there is none. */
export function sampleFor(language: string): { sample: 'chinese' | 'english'; tag: string } {
  const tag = language.trim().replace(/_/g, '-');
  const found = SAMPLE_LANGUAGES.find((l) => l.accepts.test(tag));
  if (found) return { sample: found.sample, tag: canonical(tag) };
  const list = SAMPLE_LANGUAGES.map((l) => `${l.tag} (${l.name})`).join(', ');
  throw new PaibanError('Usage', `paiban new has no sample text in "${language}": it writes sample articles in ${list}`, {
    hint: `scaffold with --lang ${SAMPLE_LANGUAGES.map((l) => l.tag).join(' or --lang ')}, then set language: ${tag} in edition.yaml and replace the sample articles (folios and jump lines print in Chinese for zh, ja and ko, in English for other languages)`,
  });
}

/** zh-cn → zh-CN, en-gb → en-GB, zh-hans → zh-Hans (BCP 47 case conventions). */
function canonical(tag: string): string {
  return tag
    .split('-')
    .map((p, i) => (i === 0 ? p.toLowerCase() : p.length === 2 ? p.toUpperCase() : p.length === 4 ? p[0]!.toUpperCase() + p.slice(1).toLowerCase() : p.toLowerCase()))
    .join('-');
}

export async function scaffold(dir: string, opts: { language?: string; date?: string } = {}): Promise<string[]> {
  const { sample, tag } = sampleFor(opts.language ?? 'zh-CN');
  const existing = await readdir(dir).catch(() => undefined);
  if (existing && existing.length) {
    throw new PaibanError('Usage', `${dir} already exists and is not empty`, { hint: 'give a new folder name; paiban new never overwrites files' });
  }
  const date = opts.date ?? new Date().toISOString().slice(0, 10);
  const name = path.basename(path.resolve(dir));
  const files: Record<string, string> = sample === 'chinese' ? chinese(name, date, tag) : english(name, date, tag);
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
