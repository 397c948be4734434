import { describe, expect, it } from 'vitest';
import { proofText } from '../../src/proof/proof.ts';
import { proseBlocks, sourceRange } from '../../src/proof/source.ts';

const doc = `---
title: 交出,答卷
deck: "——专访 ”张三“"
---

他说: “你好 ”,我们;他们(市、区)委 \`code,中文;(注)\` 和 [链接,文字](http://a.com/x,y "题,目") 以及 https://b.com/a,b 地址。
贾源.. ”
**强调**,后面<span title="甲,乙">丙,丁</span>{.cls data-x="1,2"}

\`\`\`
代码,中文;不改
\`\`\`

    缩进代码,不改

<div class="x">
HTML块,不改
</div>

> 引用,文字
> ”续行

| 表头,一 | 表头;二 |
| --- | --- |
| 单元,格 | 值 |

- 列表,项
  续行,文字

脚注[^1]和引用[文本,链接][ref]。

[^1]: 脚注,文字

[ref]: http://c.com/a,b
`;

describe('copy proofing', () => {
  const r = proofText(doc, 'zh-CN');

  it('fixes prose and leaves front matter, code, URLs, link targets, HTML and attributes as written', () => {
    const fixed = r.fixed;
    expect(fixed).toContain('他说：“你好”，我们；他们（市、区）委 `code,中文;(注)` 和 [链接，文字](http://a.com/x,y "题,目") 以及 https://b.com/a,b 地址。');
    expect(fixed).toContain('贾源..”\n**强调**，后面<span title="甲,乙">丙，丁</span>{.cls data-x="1,2"}');
    for (const kept of ['title: 交出,答卷', 'deck: "——专访 ”张三“"', '代码,中文;不改', '    缩进代码,不改', 'HTML块,不改', '[ref]: http://c.com/a,b']) expect(fixed).toContain(kept);
    expect(fixed).toContain('> 引用，文字”续行');
    expect(fixed).toContain('| 表头，一 | 表头；二 |');
    expect(fixed).toContain('| 单元，格 | 值 |');
    expect(fixed).toContain('- 列表，项\n  续行，文字');
    expect(fixed).toContain('[^1]: 脚注，文字');
    expect(fixed).toContain('引用[文本，链接][ref]');
  });

  it('reports each finding at the line and column of the source, with the fix', () => {
    const at = (line: number, column: number) => r.findings.filter((f) => f.line === line && f.column === column);
    expect(at(6, 3)[0]).toMatchObject({ rule: 'copy-punctuation', fixable: true });
    expect(at(6, 3)[0]!.message).toMatch(/half-width ":".*use "："/);
    expect(at(6, 8)[0]).toMatchObject({ rule: 'copy-space', fixable: true });
    expect(at(6, 13)[0]!.message).toContain('"；"');
    expect(at(7, 5)[0]).toMatchObject({ rule: 'copy-space' });
    // Front matter: reported where it is, fixed by hand.
    expect(at(2, 10)[0]).toMatchObject({ rule: 'copy-punctuation', fixable: false });
    expect(at(2, 10)[0]!.message).toContain('by hand');
    expect(r.findings.some((f) => f.line === 3 && f.rule === 'copy-quote')).toBe(true);
    expect(r.fixes['copy-punctuation']).toBeGreaterThan(10);
  });

  it('is idempotent', () => {
    const again = proofText(r.fixed, 'zh-CN');
    expect(again.fixed).toBe(r.fixed);
    expect(again.findings.filter((f) => f.fixable)).toEqual([]);
  });

  it('turns wrong-way and straight quotation marks, and reports unbalanced brackets', () => {
    const t = proofText('---\ntitle: x\n---\n他说:”你好“。她说"好"。\n\n（未闭合的括号。\n', 'zh-CN');
    expect(t.fixed).toContain('他说：“你好”。她说“好”。');
    expect(t.findings.find((f) => f.rule === 'copy-unbalanced')).toMatchObject({ line: 6, column: 1, fixable: false });
  });

  it('keeps CRLF line ends and Latin text', () => {
    const t = proofText('---\r\ntitle: x\r\n---\r\n中文,中文\r\n贾源.. \r\n”后文\r\n\r\nHello, world: fine; ok.\r\n', 'zh-CN');
    expect(t.fixed).toBe('---\r\ntitle: x\r\n---\r\n中文，中文\r\n贾源..”后文\r\n\r\nHello, world: fine; ok.\r\n');
  });

  it('leaves an English article alone except around Chinese text', () => {
    const t = proofText('---\ntitle: x\n---\nHe said: "fine", and left (quickly). 中文,中文\n', 'en');
    expect(t.fixed).toBe('---\ntitle: x\n---\nHe said: "fine", and left (quickly). 中文，中文\n');
  });
});

describe('prose views', () => {
  it('hide code and URLs as one object each and map every character to the source', () => {
    const body = '甲 `乙,丙` 丁 https://x.y/z,w 戊\n';
    const [b] = proseBlocks(body);
    expect(b!.view).toBe('甲 \uFFFC 丁 \uFFFC 戊');
    for (let i = 0; i < b!.view.length; i++) if (b!.view[i] !== '\uFFFC') expect(body[b!.at[i]!]).toBe(b!.view[i]);
    expect(sourceRange(b!, 2, 3)).toBeUndefined();
    expect(sourceRange(b!, 0, 2)).toEqual({ from: 0, to: 2 });
  });
});

describe('long unedited text', () => {
  it('--fix takes out every injected quirk of 古文觀止 (the "贾源.." full stops aside): the result is the unquirked text as --fix makes it', async () => {
    const { guwen, injectQuirks } = await import('../helpers/unedited.ts');
    const essays = guwen().slice(0, 40);
    const n = { chars: 0, paras: 0 };
    const quirks: string[] = [];
    const original = essays.map((e) => `## ${e.title}\n\n${e.paragraphs.join('\n\n')}`).join('\n\n');
    const quirky = essays.map((e) => `## ${e.title}\n\n${e.paragraphs.map((p) => injectQuirks(p, n, quirks as never)).join('\n\n')}`).join('\n\n');
    expect(quirks.length).toBeGreaterThan(300);
    const r = proofText(`---\ntitle: 古文\n---\n${quirky}\n`, 'zh-CN');
    expect(r.findings.filter((f) => f.fixable).length).toBeGreaterThan(300);
    // The source text has quirks of its own (曰:“ 焉? (注)): fixed alike.
    expect(r.fixed.replace(/\.\. ?(?=[”“])/g, '。')).toBe(proofText(`---\ntitle: 古文\n---\n${original}\n`, 'zh-CN').fixed);
  });
});
