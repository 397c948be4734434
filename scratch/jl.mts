import { chineseText, writeEdition } from '../tests/helpers/editions.ts';
import { build } from '../src/index.ts';
const short = { file: 'lead.md', title: '头条新闻', paragraphs: chineseText(200) };
const long = { file: 'long.md', title: '长篇报道', paragraphs: chineseText(1400) };
const dir = writeEdition('jump', `title: 测试版
publication: 测试日报
date: 2022-06-15
language: zh-CN
paper: a4
pages:
  - layout: front
    articles:
      - { file: lead.md, slot: lead }
      - { file: long.md, slot: side, continue: { page: 2, slot: top } }
  - layout: feature
    articles: []
`, [short, long]);
await build(dir, { write: false, pdf: true, inspect: async (page) => {
  console.log(await page.evaluate(() => {
    const j = document.querySelector('.pb-jump-to')!; const body = j.closest('.pb-body') as HTMLElement; const slot = j.closest('.pb-slot')!;
    const r = j.getBoundingClientRect(); const b = body.getBoundingClientRect(); const s = slot.getBoundingClientRect();
    return { jump: [r.top, r.bottom, r.left, r.right], body: [b.top, b.bottom, body.scrollHeight, body.clientHeight, body.scrollWidth, body.clientWidth], slot: [s.top, s.bottom], lh: getComputedStyle(j).lineHeight, fs: getComputedStyle(j).fontSize };
  }));
}});
