/**
 * Stage 2 (render): Markdown to HTML. A golden file for a demo article; figures, CJK line breaks,
 * containers, footnotes; and the policy: what is refused is dropped with a warning naming the
 * file and line, and never reaches the HTML.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { EditionSchema } from '../../src/config/schema.ts';
import { Diagnostics } from '../../src/diagnostics.ts';
import { loadEdition } from '../../src/load/edition.ts';
import { htmlToText, renderArticle, renderArticles } from '../../src/markdown/render.ts';
import { linkAllowed } from '../../src/markdown/policy.ts';
import type { ArticleSource, RenderedArticle } from '../../src/model.ts';
import { DEMO, PNG_1X1, tempEdition } from './helpers.ts';

const GOLDEN = fileURLToPath(new URL('./golden/politics.html', import.meta.url));

describe('golden: the demo article politics.md', () => {
  it('renders exactly as tests/unit/golden/politics.html (UPDATE_GOLDEN=1 rewrites it, and still fails when it changed)', async () => {
    const e = await loadEdition(DEMO);
    const diagnostics = new Diagnostics();
    const rendered = await renderArticles(e.articles, { editionDir: e.dir, config: e.config, diagnostics });
    const politics = rendered.find((a) => a.file === 'politics.md')!;
    expect(diagnostics.items).toEqual([]);
    // The golden file as committed; UPDATE_GOLDEN=1 writes the new output after comparing with it,
    // so a run that rewrites the file still fails when the output changed (review, then run again).
    const golden = existsSync(GOLDEN) ? await readFile(GOLDEN, 'utf8') : undefined;
    if (process.env.UPDATE_GOLDEN === '1') {
      await mkdir(path.dirname(GOLDEN), { recursive: true });
      await writeFile(GOLDEN, politics.html);
    }
    expect(golden, 'golden file missing: run UPDATE_GOLDEN=1 npx vitest run tests/unit/render.test.ts').toBeDefined();
    expect(politics.html, process.env.UPDATE_GOLDEN === '1' ? `rewrote ${GOLDEN}: review the change (git diff) and run again` : 'differs from the golden file').toBe(golden);
    // What the golden file must hold, so that a wrong golden file cannot be committed unnoticed.
    expect(politics.html).toContain('<figure class="figure"><img src="images/tiantai-flood-evacuation.png"');
    expect(politics.html.match(/<p>/g)).toHaveLength(4);
    expect(politics.figures).toEqual([
      {
        src: 'images/tiantai-flood-evacuation.png',
        absPath: path.join(e.dir, 'images/tiantai-flood-evacuation.png'),
        caption: '图为天台县街头镇党员干部在防汛防台工作中紧急转移群众（资料照片）。',
        alt: '图为天台县街头镇党员干部在防汛防台工作中紧急转移群众（资料照片）。',
      },
    ]);
    expect(politics).toMatchObject({ id: 'politics', language: 'zh-CN', hasFootnotes: false });
    expect(politics.text.startsWith('一份“五强”领导班子政治建设')).toBe(true);
  });

  it('renders all four demo articles without a diagnostic, the same on a second run', async () => {
    const e = await loadEdition(DEMO);
    const run = async () => {
      const diagnostics = new Diagnostics();
      const r = await renderArticles(e.articles, { editionDir: e.dir, config: e.config, diagnostics });
      return { r, d: diagnostics.items };
    };
    const [a, b] = [await run(), await run()];
    expect(a.d).toEqual([]);
    expect(a.r.map((x) => x.id)).toEqual(['interview', 'talent', 'reform', 'politics']);
    expect(a.r.map((x) => x.html)).toEqual(b.r.map((x) => x.html));
    expect(a.r.find((x) => x.id === 'reform')!.html).toMatch(/<h2>强基固本 筑牢基层战斗堡垒<\/h2>/);
  });
});

// ---------------------------------------------------------------------------------------------
// Small bodies rendered against a temp edition folder holding images/x.png.

let editionDir = '';
beforeAll(async () => {
  editionDir = await tempEdition({ 'images/x.png': PNG_1X1, 'images/y z.png': PNG_1X1 });
  await writeFile(path.join(editionDir, '..', 'x.png'), PNG_1X1);
  await symlink('/etc/passwd', path.join(editionDir, 'images', 'link.png'));
});

const config = (html: boolean) => EditionSchema.parse({ title: 't', publication: 'p', date: '2022-06-15', language: 'zh-CN', html, pages: [{ layout: 'flow' }] });

/** Render `body` as the article `a.md` whose body starts at line `bodyLine` of the file. */
async function render(body: string, opts: { html?: boolean; id?: string; bodyLine?: number } = {}): Promise<RenderedArticle & { warnings: Diagnostics['items'] }> {
  const diagnostics = new Diagnostics();
  const id = opts.id ?? 'a';
  const source: ArticleSource = { id, file: `${id}.md`, absPath: path.join(editionDir, `${id}.md`), front: { title: '标题', bylinePosition: 'top', kind: 'article' }, body, bodyLine: opts.bodyLine ?? 1 };
  const r = await renderArticle(source, { editionDir, config: config(opts.html ?? false), diagnostics });
  return { ...r, warnings: diagnostics.items };
}

describe('figures', () => {
  it('an image alone in a paragraph is a figure with caption and credit', async () => {
    const r = await render('![图为某地风光](images/x.png "本报记者 摄")\n');
    expect(r.html).toBe(
      '<figure class="figure"><img src="images/x.png" alt="图为某地风光" /><figcaption><span class="caption">图为某地风光</span> <span class="credit">本报记者 摄</span></figcaption></figure>\n',
    );
    expect(r.figures).toEqual([{ src: 'images/x.png', absPath: path.join(editionDir, 'images/x.png'), caption: '图为某地风光', credit: '本报记者 摄', alt: '图为某地风光' }]);
    expect(r.warnings).toEqual([]);
    expect(r.text).toBe('图为某地风光 本报记者 摄');
  });

  it('a figure without a caption or credit has no figcaption', async () => {
    const r = await render('![](images/x.png)\n');
    expect(r.html).toBe('<figure class="figure"><img src="images/x.png" alt="" /></figure>\n');
  });

  it('caption text is escaped, Markdown in it is flattened', async () => {
    const r = await render('![a <b> & *c*](images/x.png "x\\"y")\n');
    expect(r.html).toContain('<span class="caption">a &lt;b&gt; &amp; c</span>');
    expect(r.html).toContain('<span class="credit">x&quot;y</span>');
    expect(r.html).not.toContain('<b>');
  });

  it('an image inside a sentence stays inline, not a figure', async () => {
    const r = await render('图中 ![小图](images/x.png) 所示\n');
    expect(r.html).not.toContain('<figure');
    expect(r.html).toContain('<img src="images/x.png" alt="小图" />');
  });

  it('a percent-encoded file name is resolved', async () => {
    const r = await render('![空格](images/y%20z.png)\n');
    expect(r.figures[0]).toMatchObject({ src: 'images/y%20z.png', absPath: path.join(editionDir, 'images/y z.png') });
    expect(r.warnings).toEqual([]);
  });

  it('a missing photo keeps its place as a marked box naming the file (FPO), with a missing-image warning at its line', async () => {
    const r = await render('第一段。\n\n![缺](images/none.png)\n', { bodyLine: 10 });
    expect(r.html).toBe('<p>第一段。</p>\n<figure class="figure fpo"><div class="pb-fpo" role="img" aria-label="缺"><span>FPO · missing images/none.png</span></div><figcaption><span class="caption">缺</span></figcaption></figure>\n');
    // Not a figure to carry (the EPUB leaves it out), and its label is not the author's text.
    expect(r.figures).toEqual([]);
    expect(r.text).toBe('第一段。 缺');
    expect(r.warnings).toEqual([expect.objectContaining({ file: 'a.md', line: 12, severity: 'warning', rule: 'missing-image' })]);
    expect(r.warnings[0]!.message).toContain('the page shows a marked box (FPO) in its place');
  });

  it('names a file of a close name for a missing image ("did you mean")', async () => {
    const r = await render('![近](images/x.pgn)\n');
    expect(r.warnings[0]!.message).toContain('did you mean "images/x.png"?');
  });
});

describe('line breaks inside a paragraph', () => {
  it('no space between Han characters at a soft break', async () => {
    const r = await render('浙江坚持\n以政治建设为统领，\n“两个确立”\n「引号」\n');
    expect(r.html).toBe('<p>浙江坚持以政治建设为统领，“两个确立”「引号」</p>\n');
    expect(r.text).toBe('浙江坚持以政治建设为统领，“两个确立”「引号」');
  });

  it('Latin text keeps its space at a soft break', async () => {
    const r = await render('Continued\nfrom page one\n');
    expect(r.html).toBe('<p>Continued\nfrom page one</p>\n');
    expect(r.text).toBe('Continued from page one');
  });

  it('Han after emphasis at the end of a line: no space either', async () => {
    const r = await render('这是**重点**\n内容，*强调*\n继续。\n');
    expect(r.html).toBe('<p>这是<strong>重点</strong>内容，<em>强调</em>继续。</p>\n');
  });

  it('a hard break stays a <br />', async () => {
    const r = await render('第一行\\\n第二行\n');
    expect(r.html).toBe('<p>第一行<br />\n第二行</p>\n');
  });
});

describe('containers', () => {
  it('::: sidebar 资料 is an aside.sidebar with its title', async () => {
    const r = await render('::: sidebar 资料\n“鲲鹏行动”计划于2020年实施。\n:::\n');
    expect(r.html).toBe('<aside class="sidebar">\n<p class="box-title">资料</p>\n<p>“鲲鹏行动”计划于2020年实施。</p>\n</aside>\n');
  });

  it('a sidebar without a title, a pullquote and a note', async () => {
    const r = await render('::: sidebar\n甲\n:::\n\n::: pullquote\n乙\n:::\n\n::: note\n丙\n:::\n');
    expect(r.html).toBe('<aside class="sidebar">\n<p>甲</p>\n</aside>\n<blockquote class="pullquote">\n<p>乙</p>\n</blockquote>\n<aside class="note">\n<p>丙</p>\n</aside>\n');
  });

  it('a container title is escaped', async () => {
    const r = await render('::: sidebar <img src=x onerror=alert(1)>\n甲\n:::\n');
    expect(r.html).toContain('<p class="box-title">&lt;img src=x onerror=alert(1)&gt;</p>');
    expect(r.html).not.toContain('<img');
  });
});

describe('footnotes', () => {
  it('ids are prefixed with the article id, so two articles never share one', async () => {
    const body = '正文[^1]。\n\n[^1]: 注释。\n';
    const [a, b] = [await render(body, { id: 'politics' }), await render(body, { id: 'talent' })];
    expect(a.hasFootnotes).toBe(true);
    expect(a.html).toContain('href="#fn-politics-1" id="fnref-politics-1"');
    expect(a.html).toContain('<li id="fn-politics-1" class="footnote-item">');
    expect(b.html).toContain('<li id="fn-talent-1" class="footnote-item">');
    const ids = (h: string) => [...h.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids(a.html).filter((id) => ids(b.html).includes(id))).toEqual([]);
  });

  it('the text has the note but not the back-link arrow', async () => {
    const r = await render('正文[^n]。\n\n[^n]: 注释内容。\n');
    expect(r.text).toContain('注释内容。');
    expect(r.text).not.toContain('↩');
  });

  it('an article without footnotes says so', async () => {
    expect((await render('正文。\n')).hasFootnotes).toBe(false);
  });
});

describe('policy: raw HTML', () => {
  it('html: false drops a block of raw HTML with a raw-html warning at its line', async () => {
    const r = await render('第一段。\n\n<div class="x"><b>粗</b></div>\n\n第二段。\n', { bodyLine: 7 });
    expect(r.html).toBe('<p>第一段。</p>\n<p>第二段。</p>\n');
    expect(r.warnings).toEqual([expect.objectContaining({ file: 'a.md', line: 9, severity: 'warning', rule: 'raw-html' })]);
  });

  it('html: false drops inline raw HTML with a warning naming the file and line, keeping the text', async () => {
    const r = await render('甲。\n\n一段<b>粗体</b>文字<img src=x onerror=alert(1)>。\n', { bodyLine: 20 });
    expect(r.html).toBe('<p>甲。</p>\n<p>一段粗体文字。</p>\n');
    expect(r.warnings.length).toBeGreaterThanOrEqual(1);
    for (const w of r.warnings) expect(w).toMatchObject({ file: 'a.md', line: 22, rule: 'raw-html' });
  });

  it('html: true sanitizes a block: script removed, <b> kept', async () => {
    const r = await render('<div><b>粗体</b><script>alert(1)</script><iframe src="x"></iframe><p onclick="x()" style="color:red">段</p></div>\n', { html: true });
    expect(r.html).toContain('<b>粗体</b>');
    expect(r.html).not.toMatch(/<script|alert|<iframe|onclick|style=/i);
    expect(r.warnings).toEqual([]);
  });

  it('html: true keeps inline <b>…</b> around its text', async () => {
    const r = await render('一段<b>粗体</b>文字。\n', { html: true });
    expect(r.html).toBe('<p>一段<b>粗体</b>文字。</p>\n');
  });

  it('html: true removes an inline script and its content', async () => {
    const r = await render('一段<script>alert(1)</script>文字。\n', { html: true });
    expect(r.html).not.toMatch(/<script/i);
    expect(r.html).not.toContain('alert(1)');
  });

  it('html: true refuses javascript: in a raw link', async () => {
    const r = await render('<p><a href="javascript:alert(1)">x</a> <a href="https://example.org/">y</a></p>\n', { html: true });
    expect(r.html).not.toContain('javascript:');
    expect(r.html).toContain('href="https://example.org/"');
  });
});

describe('policy: links', () => {
  it('a javascript: link loses its href, keeps its text, with a refused-url warning', async () => {
    const r = await render('第一段。\n\n点[这里](javascript:alert(1))看。\n', { bodyLine: 5 });
    expect(r.html).toBe('<p>第一段。</p>\n<p>点<a>这里</a>看。</p>\n');
    expect(r.warnings).toEqual([expect.objectContaining({ file: 'a.md', line: 7, rule: 'refused-url' })]);
  });

  it.each(['JavaScript:alert(1)', '&#106;avascript:alert(1)', 'vbscript:x', 'data:text/html;base64,PHNjcmlwdD4=', 'file:///etc/passwd', '//evil.example/x', '/etc/passwd', '../secret.md'])(
    'refuses the link %s',
    async (href) => {
      const r = await render(`[x](<${href}>)\n`);
      expect(r.html).toBe('<p><a>x</a></p>\n');
      expect(r.warnings.map((w) => w.rule)).toEqual(['refused-url']);
    },
  );

  it('keeps http(s), mailto, anchors and relative links', async () => {
    const r = await render('[a](https://example.org/x?y=1) [b](mailto:a@example.org) [c](#fn-a-1) [d](other.md)\n');
    expect(r.html).toBe('<p><a href="https://example.org/x?y=1">a</a> <a href="mailto:a@example.org">b</a> <a href="#fn-a-1">c</a> <a href="other.md">d</a></p>\n');
    expect(r.warnings).toEqual([]);
  });

  it('linkAllowed', () => {
    expect(linkAllowed('http://example.org')).toBe(true);
    expect(linkAllowed('HTTPS://example.org')).toBe(true);
    expect(linkAllowed('a/b.md')).toBe(true);
    expect(linkAllowed('a/../../b.md')).toBe(false);
    expect(linkAllowed('\\\\server\\share')).toBe(false);
    expect(linkAllowed('javascript:x')).toBe(false);
  });
});

describe('policy: images', () => {
  const refused = [
    ['file:///etc/passwd', 'refused-url'],
    ['http://example.org/x.png', 'refused-url'],
    ['https://example.org/x.png', 'refused-url'],
    ['/etc/passwd', 'refused-url'],
    ['../x.png', 'refused-url'],
    ['images/../../x.png', 'refused-url'],
    ['%2e%2e/x.png', 'refused-url'],
    ['images/link.png', 'refused-url'],
    ['data:image/png;base64,iVBORw0KGgo=', 'refused-url'],
  ] as const;

  it.each(refused)('drops the figure %s with a %s warning', async (src, rule) => {
    const r = await render(`第一段。\n\n![图](<${src}> "credit")\n`, { bodyLine: 4 });
    expect(r.html).toBe('<p>第一段。</p>\n');
    expect(r.html).not.toContain(src);
    expect(r.figures).toEqual([]);
    expect(r.warnings).toEqual([expect.objectContaining({ file: 'a.md', line: 6, severity: 'warning', rule })]);
    expect(r.warnings[0]!.message).toContain(src);
  });

  it.each(refused)('drops the inline image %s', async (src) => {
    const r = await render(`看 ![图](<${src}>) 这里\n`);
    expect(r.html).not.toContain('<img');
    expect(r.html).not.toContain(src);
    expect(r.warnings).toHaveLength(1);
  });

  it('drops a refused image given by reference, and one inside a footnote', async () => {
    const r = await render('![图][r]\n\n正文[^1]\n\n[r]: file:///etc/passwd\n[^1]: 注 ![x](http://example.org/t.png)\n');
    expect(r.html).not.toContain('<img');
    expect(r.html).not.toContain('/etc/passwd');
    expect(r.html).not.toContain('example.org');
    expect(r.warnings.map((w) => w.rule)).toEqual(['refused-url', 'refused-url']);
  });
});

describe('attributes ({…} from markdown-it-attrs)', () => {
  it('allow id, class, lang and data-*', async () => {
    const r = await render('段落 {#p1 .lead lang=en data-role=intro}\n');
    expect(r.html).toBe('<p id="p1" class="lead" lang="en" data-role="intro">段落</p>\n');
  });

  it('cannot add event handlers, style, href or src', async () => {
    const r = await render(
      [
        '## 小标题 {onclick=alert(1) style="color:red"}',
        '',
        '段落 {onmouseover="x()" style="display:none" .ok}',
        '',
        '[链接](#a){onclick=x href=javascript:alert(1)}',
        '',
        '带图 ![图](images/x.png){onerror=alert(1) src=http://evil.example/x.png} 的段',
        '',
        '- 项 {onclick=x}',
      ].join('\n'),
    );
    expect(r.html).not.toMatch(/\bon[a-z]+=|style=|javascript:|evil\.example/i);
    expect(r.html).toContain('<p class="ok">段落</p>');
    expect(r.html).toContain('<h2>小标题</h2>');
  });
});

describe('htmlToText', () => {
  it('drops tags and decodes entities', () => {
    expect(htmlToText('<p>A &amp; B &lt;c&gt; &quot;d&quot; &#39;e&#39; &apos;f&apos;</p>')).toBe('A & B <c> "d" \'e\' \'f\'');
    expect(htmlToText('<p>&#x4e2d;&#25991;&#x27;</p>')).toBe("中文'");
    expect(htmlToText('<p>一</p>\n<p>二</p>')).toBe('一 二');
  });

  it('adds no space where an inline tag splits Chinese text', () => {
    expect(htmlToText('<p>这是<strong>重点</strong>内容，<a href="#x">链接</a>。</p>')).toBe('这是重点内容，链接。');
  });

  it('leaves unknown entities alone', () => {
    expect(htmlToText('&bogus; &amp;amp;')).toBe('&bogus; &amp;');
  });

  it('decodes upper-case hex references and survives invalid ones', () => {
    expect(htmlToText('&#X4E2D;')).toBe('中');
    expect(() => htmlToText('&#99999999; &#xZZ;')).not.toThrow();
  });
});
