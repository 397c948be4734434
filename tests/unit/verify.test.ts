/**
 * The checks of tests/helpers/verify.ts on PDFs Chromium prints from small pages whose text and
 * geometry the test controls: each check passes on the right output and names the problem on a
 * broken one (a lost or extra mark, digits or Latin changed, paragraphs out of order, a character
 * lost at a page break, a line starting with 。 or ending with （, a jump that repeats or loses text
 * or starts its continuation with a comma, text outside its rectangle, a Type 3 font).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closePrinter, printHtml } from '../helpers/print-html.ts';
import { fakePrint, tempPdf } from '../pdf/helpers.ts';
import { readFonts } from '../helpers/pdf.ts';
import type { ExpectedArticle } from '../helpers/source.ts';
import { requireTools } from '../helpers/tools.ts';
import { articleProblems, findBlock, fontProblems, jumpProblems, kinsokuProblems } from '../helpers/verify.ts';

requireTools('poppler');
afterAll(closePrinter);

const MM = 72 / 25.4;
const article = (body: string[], over: Partial<ExpectedArticle> = {}): ExpectedArticle => ({ file: 'a.md', language: 'zh-CN', head: { title: '测试标题' }, body, captions: [], ...over });
const P1 = '浙江GDP在2022年增长了8.5%，“红色根脉”（Red Roots）更加坚实；';
const P2 = '第二段：全省共有48名顶尖人才……';
const html = (paras: string[]) => `<h1>测试标题</h1>${paras.map((p) => `<p>${p}</p>`).join('')}`;

describe('findBlock', () => {
  it('matches a block across a page break only, skipping what the next page adds', () => {
    const stream = { text: 'abc第2版folioxyz', breaks: [3] };
    expect(findBlock(stream, 'abcxyz')).toEqual({ start: 0, end: 14 });
    expect(findBlock({ text: 'abcfolioxyz', breaks: [] }, 'abcxyz')).toBeUndefined();
    // A character lost at the break is named (one printed too many there could pass as the folio's).
    expect(findBlock({ text: 'ab第2版folioxyz', breaks: [2] }, 'abcxyz')).toBeUndefined();
  });
});

describe('the text round trip', () => {
  it('finds every character of the head and body, punctuation, digits and Latin, in order', async () => {
    const pdf = await printHtml(html([P1, P2]));
    expect(articleProblems(pdf, article([P1, P2]))).toEqual([]);
  });

  it('names a mark the PDF lost, changed digits or Latin, and paragraphs out of order', async () => {
    const pdf = await printHtml(html([P1.replace('，', ''), P2]));
    expect(articleProblems(pdf, article([P1, P2]))).toEqual([expect.stringMatching(/paragraph 1 differs from the source after \d+ characters/)]);
    const changed = await printHtml(html([P1.replace('8.5', '8.6').replace('Red', 'Rod'), P2]));
    expect(articleProblems(changed, article([P1, P2]))).toHaveLength(1);
    const swapped = await printHtml(html([P2, P1]));
    expect(articleProblems(swapped, article([P1, P2]))).toEqual([expect.stringMatching(/paragraph 2 .* is not printed after the one before/)]);
    const good = await printHtml(html([P1, P2]));
    expect(articleProblems(good, article([P1, P2], { head: { title: '另一个标题' } }))).toEqual([expect.stringMatching(/"另一个标题" \(head\) is not printed whole/)]);
  });

  it('follows a paragraph over a page break, past the next page\'s folio, and names a character lost there', async () => {
    const long = Array.from({ length: 12 }, (_, i) => `这是第${i + 1}句，用来把一段文字排到下一页去。`).join('');
    const body = `<div style="position: fixed; top: 0; height: 12mm">第N版 测试日报 2022年6月15日</div><div style="padding-top: 14mm">${html([long])}</div>`;
    const pdf = await printHtml(body, { width: 60, height: 60, css: '@page { margin: 14mm 0 0 0 } div[style*=padding] { padding-top: 0 !important }' });
    expect(articleProblems(pdf, article([long]))).toEqual([]);
    expect(articleProblems(pdf, article([long.replace('第7句', '第7句句')]))).toHaveLength(1);
  });

  it('accepts an overset article whose printed text is the body\'s start, and nothing after the hidden part', async () => {
    const pdf = await printHtml(`<div style="height: 20mm; overflow: hidden">${html([P1, P2, P1])}</div>`, { width: 100, height: 40 });
    expect(articleProblems(pdf, article([P1, P2, `${P1}再加一句。`]), { overset: true })).toEqual([]);
    expect(articleProblems(pdf, article([P1, P2, `${P1}再加一句。`])).length).toBeGreaterThan(0);
  });
});

describe('positions', () => {
  const boxes = `<div style="position: absolute; left: 10mm; top: 10mm; width: 35mm; height: 60mm">${html([P1])}</div><div style="position: absolute; left: 55mm; top: 10mm; width: 35mm; height: 60mm"><h1>另一篇</h1><p>${P2}</p></div>`;
  const rect = (x: number, y: number, w: number, h: number) => ({ x: x * MM, y: y * MM, width: w * MM, height: h * MM });

  it('finds an article in its own rectangle, and names what is outside it', async () => {
    const pdf = await printHtml(boxes);
    expect(articleProblems(pdf, article([P1]), { where: [{ file: 'a.md', page: 1, rect: rect(10, 10, 35, 60) }] })).toEqual([]);
    expect(articleProblems(pdf, article([P1]), { where: [{ file: 'a.md', page: 1, rect: rect(55, 10, 35, 60) }] }).length).toBeGreaterThan(0);
    // Half the rectangle: the paragraph runs out of it.
    expect(articleProblems(pdf, article([P1]), { where: [{ file: 'a.md', page: 1, rect: rect(10, 10, 35, 18) }] })).toContainEqual(expect.stringMatching(/paragraph 1/));
  });
});

describe('kinsoku', () => {
  it('names a line that starts with a closing mark or ends with an opening one, however short', async () => {
    const pdf = await printHtml('<p>一二三四<br>。五六七</p><p>八九（<br>十一二</p><p>文字<br>。</p><p>间隔<br>·号</p><p>省略<br>……了</p><p>百分<br>％比</p>');
    expect(kinsokuProblems(pdf)).toEqual([
      expect.stringMatching(/starts with "。": "。五六七"/),
      expect.stringMatching(/ends with "（"/),
      expect.stringMatching(/starts with "。": "。"$/),
      expect.stringMatching(/starts with "·"/),
      expect.stringMatching(/starts with "…"/),
      expect.stringMatching(/starts with "％"/),
    ]);
  });

  it('lets a block start with a dash, and reads compressed ”； as one line', async () => {
    const pdf = await printHtml('<p>——专访省委组织部</p><p style="width: 14em">他说：“这是第一句话。”；又说：“这是第二句。”；</p>');
    expect(kinsokuProblems(pdf, ['——专访省委组织部'])).toEqual([]);
    expect(kinsokuProblems(pdf)).toEqual([expect.stringMatching(/starts with "—"/)]);
  });
});

describe('jumps', () => {
  const body = ['初夏，嘉兴南湖畔，前来瞻仰红船的人络绎不绝。', '浙江破浪前行，干在实处、走在前列、勇立潮头，正以高质量党建统领高质量发展。'];
  const jumped = (first: string, rest: string, to = 2, from = 1) =>
    printHtml(`<h1>测试标题</h1><p>${first}</p><p>（转第${to}版）</p><p style="break-before: page">测试标题</p><p>（接第${from}版）</p><p>${rest}</p>`);
  const cut = 30;
  const all = body.join('');
  const check = (pdf: string) => jumpProblems(pdf, article(body), { from: { file: 'a.md', page: 1 }, to: { file: 'a.md', page: 2 } });

  it('accepts a body cut in two, nothing lost, nothing repeated', async () => {
    expect(check(await jumped(all.slice(0, cut), all.slice(cut)))).toEqual([]);
  });

  it('names a continuation that repeats the end of the first part, or loses a character', async () => {
    expect(check(await jumped(all.slice(0, cut), all.slice(cut - 3)))).toEqual([expect.stringMatching(/repeats the end of the first part/)]);
    expect(check(await jumped(all.slice(0, cut), all.slice(cut + 1)))).toEqual([expect.stringMatching(/is not the rest of the body/)]);
  });

  it('names a continuation that starts with a closing mark, and jump lines that name the wrong page', async () => {
    const comma = all.indexOf('，', 10);
    expect(check(await jumped(all.slice(0, comma), all.slice(comma)))).toEqual([expect.stringMatching(/starts with the closing mark "，"/)]);
    expect(check(await jumped(all.slice(0, cut), all.slice(cut), 3))).toEqual([expect.stringMatching(/no jump line "（转第2版）"/)]);
  });
});

describe('fonts', () => {
  it('passes embedded TrueType with ToUnicode, and names a Type 3 font', async () => {
    expect(fontProblems(await printHtml('<p>中文 Latin 123</p>'))).toEqual([]);
    const cff = await printHtml('<p>中文</p>', { font: '"Noto Serif CJK SC"' });
    expect(readFonts(cff).some((f) => f.type === 'Type 3')).toBe(true);
    expect(fontProblems(cff)).toContainEqual(expect.stringMatching(/is Type 3/));
  });

  it('names a font that is not embedded and has no ToUnicode map', async () => {
    // pdf-lib's standard Helvetica: neither embedded nor mapped to Unicode.
    const file = await tempPdf(await fakePrint({ width: 200, height: 200, pages: 1 }));
    expect(fontProblems(file)).toEqual([expect.stringMatching(/Helvetica \(Type 1\) is not embedded/), expect.stringMatching(/Helvetica \(Type 1\) has no ToUnicode map/)]);
  });
});
