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
const r = await build(dir, { out: '/tmp/pcj', pdf: true });
for (const d of r.diagnostics.items) console.log(d.severity, d.rule, d.file, d.message.slice(0, 150));
