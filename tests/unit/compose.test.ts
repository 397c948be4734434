/**
 * Stage 3 (compose): the print document of the demo (pages, slots, masthead, CSP, page CSS with
 * geometry and folios, the text for the font subsets); escaping of every user-controlled value;
 * the page-plan checks with their lines in edition.yaml; the locale's words.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CSP, compose, cssString, type ComposedDocument } from '../../src/compose/compose.ts';
import { localeFor } from '../../src/compose/locale.ts';
import { checkPlan } from '../../src/compose/plan.ts';
import { loadTemplate } from '../../src/compose/template.ts';
import { Diagnostics } from '../../src/diagnostics.ts';
import { loadEdition, type LoadedEdition } from '../../src/load/edition.ts';
import { renderArticles } from '../../src/markdown/render.ts';
import type { RenderedArticle } from '../../src/model.ts';
import { DEMO, FIXTURES, article, errorsOf, errorsOfSync, lines, tempEdition, theError } from './helpers.ts';

const MM = 72 / 25.4;

async function build(dir: string): Promise<{ edition: LoadedEdition; articles: RenderedArticle[]; doc: ComposedDocument; diagnostics: Diagnostics }> {
  const edition = await loadEdition(dir);
  const template = await loadTemplate(edition.config.template, edition.dir);
  checkPlan(edition, template);
  const diagnostics = new Diagnostics();
  const articles = await renderArticles(edition.articles, { editionDir: edition.dir, config: edition.config, diagnostics });
  const doc = compose({ edition, template, articles, generator: 'paiban unit test' });
  return { edition, articles, doc, diagnostics };
}

/** The opening tags of the elements with class `cls`, in document order. */
function openTags(html: string, cls: string): string[] {
  return [...html.matchAll(/<[a-z][^>]*>/g)].map((m) => m[0]).filter((t) => new RegExp(`class="[^"]*\\b${cls}\\b`).test(t));
}

/** A CSS string literal: quotes, and inside only non-quote, non-backslash, non-newline characters or escapes. */
const CSS_STRING = String.raw`"(?:[^"\\\n<>{}]|\\[0-9a-fA-F]{1,6} ?)*"`;

function unescapeCss(s: string): string {
  return s.slice(1, -1).replace(/\\([0-9a-fA-F]{1,6}) ?/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16)));
}

describe('compose the demo edition', () => {
  let demo: Awaited<ReturnType<typeof build>>;
  beforeAll(async () => {
    demo = await build(DEMO);
  });

  it('has one section.pb-page per planned page, with its layout and plan page number (the named page comes from page.css)', () => {
    const pages = openTags(demo.doc.html, 'pb-page').filter((t) => t.startsWith('<section'));
    expect(pages).toHaveLength(demo.edition.config.pages.length);
    expect(pages).toHaveLength(2);
    expect(pages.map((t) => /data-layout="([^"]+)"/.exec(t)![1])).toEqual(['front', 'feature']);
    expect(pages.map((t) => /data-plan-page="([^"]+)"/.exec(t)![1])).toEqual(['1', '2']);
  });

  it('puts each article in its slot', () => {
    const html = demo.doc.html;
    const slotOf = (id: string) => {
      const at = html.indexOf(`data-article="${id}"`);
      expect(at, id).toBeGreaterThan(0);
      const before = html.slice(0, at);
      const slot = [...before.matchAll(/data-slot="([^"]+)"/g)].pop();
      const page = [...before.matchAll(/data-plan-page="(\d+)"/g)].pop();
      return `${page?.[1]}:${slot && before.lastIndexOf(slot[0]) > before.lastIndexOf('data-plan-page=') ? slot[1] : '-'}`;
    };
    expect(slotOf('interview')).toBe('1:lead');
    expect(slotOf('talent')).toBe('1:second');
    expect(slotOf('reform')).toBe('2:top');
    expect(slotOf('politics')).toBe('2:foot');
    // Each article exactly once.
    for (const id of ['interview', 'politics', 'talent', 'reform']) expect(html.split(`data-article="${id}"`)).toHaveLength(2);
    // The page's own slots, at their boxes on the grid; the layout's other slots are not there.
    expect(html).not.toContain('data-slot="side"');
    expect(openTags(html, 'pb-slot-second')[0]).toContain('grid-column: 1 / span 8; grid-row: 19 / span 42');
    expect(openTags(html, 'pb-slot-second')[0]).toContain('pb-rule-above');
    expect(openTags(html, 'pb-layout-front')[0]).toContain('has-lead has-second');
    expect(demo.doc.placements.map((p) => [p.page, p.slot ?? null, p.articleId])).toEqual([
      [1, 'lead', 'interview'],
      [1, 'second', 'talent'],
      [2, 'top', 'reform'],
      [2, 'foot', 'politics'],
    ]);
    expect(demo.doc.sections).toEqual([
      { page: 1, title: '特别报道', articleIds: ['interview', 'talent'] },
      { page: 2, title: '特别报道', articleIds: ['reform', 'politics'] },
    ]);
  });

  it('sets the headline parts and bylines of each article', () => {
    const html = demo.doc.html;
    expect(html).toContain('<h1 class="pb-title">交出守好“红色根脉”的新时代组工答卷</h1>');
    expect(html).toContain('<p class="pb-deck">——专访省委组织部常务副部长张学伟</p>');
    expect(html).toContain('<p class="pb-byline">本报记者 沈吟</p>');
    // bylinePosition: end → bracketed at the end of the text.
    expect(html).toContain('<p class="pb-byline-end">（本报记者 沈吟）</p>');
    expect(openTags(html, 'pb-article').find((t) => t.includes('data-article="talent"'))).toContain('pb-kind-sidebar');
    expect(openTags(html, 'pb-article').find((t) => t.includes('data-article="interview"'))).toContain('pb-lead');
  });

  it('has the banner and the masthead with the publication and date', () => {
    const html = demo.doc.html;
    expect(html).toContain('<div class="pb-banner"><p>闪亮“浙”五年·迎接省第十五次党代会特别报道</p></div>');
    expect(html).toMatch(/<header class="pb-masthead">\s*<div class="pb-masthead-name">浙江日报<\/div>/);
    expect(html).toContain('<p class="pb-masthead-date">2022年6月15日 星期三</p>');
    // The masthead is on the front page only.
    expect(html.match(/class="pb-masthead"/g)).toHaveLength(1);
    expect(html.indexOf('pb-masthead')).toBeLessThan(html.indexOf('data-plan-page="2"'));
    expect(html).toContain('<p class="pb-credit">本版图片由省委组织部提供</p>');
  });

  it('is a scriptless document with the CSP, base and language', () => {
    const html = demo.doc.html;
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
    expect(meta).not.toBeNull();
    expect(meta![1]!.replace(/&#x27;/g, "'")).toBe(CSP);
    expect(CSP).toContain("default-src 'none'");
    expect(html).toContain('<base href="https://paiban.invalid/edition/" />');
    expect(html).toMatch(/<html lang="zh-CN"/);
    expect(html).toContain('<title>闪亮“浙”五年·迎接省第十五次党代会特别报道</title>');
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<link'));
  });

  it('generates the page size and bleed of a broadsheet in points', () => {
    const css = demo.doc.pageCss;
    const size = /@page \{[^}]*\bsize: ([\d.]+)pt ([\d.]+)pt;/.exec(css);
    expect(size).not.toBeNull();
    expect(Number(size![1])).toBeCloseTo(390 * MM, 1);
    expect(Number(size![2])).toBeCloseTo(540 * MM, 1);
    expect(Math.abs(Number(size![1]) - 1105.51)).toBeLessThan(0.1);
    expect(Math.abs(Number(size![2]) - 1530.71)).toBeLessThan(0.1);
    const bleed = /@page \{[^}]*\bbleed: ([\d.]+)pt;/.exec(css);
    expect(Number(bleed![1])).toBeCloseTo(3 * MM, 2);
    expect(css).not.toContain('marks:');
    expect(demo.doc.geometry.trim.width).toBeCloseTo(390 * MM, 6);
    expect(demo.doc.geometry.trim.height).toBeCloseTo(540 * MM, 6);
    expect(demo.doc.geometry.bleed).toBeCloseTo(3 * MM, 6);
    expect(demo.doc.geometry.area.width).toBeCloseTo((390 - 36) * MM, 6);
    expect(demo.doc.geometry.area.height).toBeCloseTo((540 - 36) * MM, 6);
  });

  it('generates a named page per plan page with a 第N版 folio and the date', () => {
    const css = demo.doc.pageCss;
    for (const n of [1, 2]) {
      expect(css).toContain(`.pb-page[data-plan-page="${n}"] { page: pb-p${n}; }`);
      const rule = new RegExp(String.raw`@page pb-p${n} \{ @top-left \{ content: ([^;]+); \} @top-center \{ content: ([^;]+); \} @top-right \{ content: ([^;]*); \} \}`).exec(css);
      expect(rule, `@page pb-p${n}`).not.toBeNull();
      expect(rule![1]).toBe('"第" counter(page) "版  特别报道"');
      expect(unescapeCss(rule![2]!)).toBe('浙江日报  2022年6月15日 星期三');
    }
    expect(css.match(/@page pb-p\d+ /g)).toHaveLength(2);
  });

  it('lists every printed character in text: folios, mastheads, articles', () => {
    const text = demo.doc.text;
    for (const s of ['第', '版', '特别报道', '浙江日报', '2022年6月15日 星期三', '闪亮“浙”五年·迎接省第十五次党代会特别报道', '本版图片由省委组织部提供', '（本报记者 沈吟）', '（转第2版）', '（接第1版）']) {
      expect(text, s).toContain(s);
    }
    for (const a of demo.articles) {
      // Block by block: wide photos are set above the text, so the order of blocks may change.
      for (const block of a.text.split(/ (?=\S)/)) expect(text, a.id).toContain(block);
      expect(text, a.id).toContain(a.front.title);
      for (const f of a.figures) expect(text).toContain(f.caption);
    }
  });

  it('composes the same document twice', async () => {
    const again = await build(DEMO);
    expect(again.doc.html).toBe(demo.doc.html);
    expect(again.doc.pageCss).toBe(demo.doc.pageCss);
  });
});

describe('compose escapes what the user wrote (fixture tests/fixtures/hostile)', () => {
  let hostile: Awaited<ReturnType<typeof build>>;
  beforeAll(async () => {
    hostile = await build(path.join(FIXTURES, 'hostile'));
  });

  it('front-matter values appear escaped, never as markup', () => {
    const html = hostile.doc.html;
    expect(html).toContain('<h1 class="pb-title">&lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt;');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<i[\s>]/);
    // No attribute was opened by a quote in a value.
    expect(html).not.toMatch(/\son[a-z]+\s*=\s*"/i);
    expect(html).not.toMatch(/"\s+on[a-z]+=/i);
    expect(html).toContain('<title>&lt;/title&gt;&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;</title>');
  });

  it('the page CSS cannot be broken out of: every folio is strings and counter(page) only', () => {
    const css = hostile.doc.pageCss;
    expect(css).not.toMatch(/<\/?style|<script/i);
    expect(css).not.toContain('<');
    const folio = new RegExp(String.raw`^@page pb-p(\d+) \{ @top-left \{ content: (${CSS_STRING} counter\(page\) ${CSS_STRING}); \} @top-center \{ content: (${CSS_STRING}); \} @top-right \{ content: (${CSS_STRING}); \} \}$`);
    const rules = css.split('\n').filter((l) => l.startsWith('@page pb-p'));
    expect(rules).toHaveLength(2);
    const parsed = rules.map((r) => folio.exec(r));
    expect(parsed.every(Boolean), rules.join('\n')).toBe(true);
    const [p1, p2] = parsed as RegExpExecArray[];
    const strings = (s: string) => [...s.matchAll(new RegExp(CSS_STRING, 'g'))].map((m) => unescapeCss(m[0]));
    expect(strings(p1![2]!)).toEqual(['第', '版  "; } @page { size: 1pt; } x { content: "']);
    expect(strings(p1![3]!)).toEqual(['"; } body { x: "</style><script>alert("publication")</script>  2022年6月15日 星期三']);
    expect(strings(p1![4]!)).toEqual(['责任编辑：\\"</style><script>alert("editor")</script>']);
    expect(strings(p2![2]!)).toEqual(['第', '版  鑫淼焱垚']);
    expect(strings(p2![4]!)).toEqual(['责任编辑：李明']);
    // Braces balance: nothing closed a rule early.
    expect(css.split('{').length).toBe(css.split('}').length);
  });

  it('text has the characters that print only in a folio line (section, editor)', () => {
    expect(hostile.doc.text).toContain('责任编辑：李明');
    for (const ch of '鑫淼焱垚') expect(hostile.doc.text).toContain(ch);
  });
});

describe('cssString', () => {
  it.each(['"; } body { x: "', '</style><script>alert(1)</script>', 'a\\"b', 'line\nbreak', '\u0000\u2028\u{1F600}', '特别报道 · 要闻（一）'])('%j stays one string and round-trips', (s) => {
    const out = cssString(s);
    expect(out).toMatch(new RegExp(`^${CSS_STRING}$`));
    expect(out).not.toMatch(/<|>|[{}]|\n/);
    expect(unescapeCss(out)).toBe(s);
  });

  it('leaves Chinese text readable', () => {
    expect(cssString('浙江日报  2022年6月15日 星期三')).toBe('"浙江日报  2022年6月15日 星期三"');
  });

  it('ends an escape before a following hex digit', () => {
    // "\22 a" must not read as U+22A.
    expect(unescapeCss(cssString('"a'))).toBe('"a');
    expect(cssString('"a')).toBe('"\\22 a"');
  });
});

describe('checkPlan: the page plan against the template, with lines in edition.yaml', () => {
  const HEAD = ['title: 测试版', 'publication: 测试日报', 'date: 2022-06-15', 'language: zh-CN', 'pages:']; // pages: on line 5
  const FILES = { 'a.md': article({ title: '甲' }, '甲文。'), 'b.md': article({ title: '乙' }, '乙文。'), 'c.md': article({ title: '丙' }, '丙文。') };

  async function plan(...pageLines: string[]) {
    const edition = await loadEdition(await tempEdition({ 'edition.yaml': lines(...HEAD, ...pageLines), ...FILES }));
    const template = await loadTemplate(edition.config.template, edition.dir);
    return () => checkPlan(edition, template);
  }

  it('accepts a valid plan, with a continue into a later page', async () => {
    const check = await plan(
      '  - layout: front', // 6
      '    articles:', // 7
      '      - { file: a.md, slot: lead, continue: { page: 2, slot: top } }', // 8
      '      - { file: b.md, slot: side }', // 9
      '  - layout: feature', // 10
      '    articles:', // 11
      '      - { file: c.md, slot: left }', // 12
    );
    expect(check).not.toThrow();
  });

  it('unknown layout: LayoutUnknown at the line of layout:', async () => {
    const check = await plan('  - layout: front', '    articles:', '      - { file: a.md, slot: lead }', '  - layout: magazine', '    articles:', '      - { file: b.md }');
    const e = theError(errorsOfSync(check), 'LayoutUnknown');
    expect(e.message).toContain('magazine');
    expect(e.where).toMatchObject({ file: 'edition.yaml', line: 9 });
    expect(e.hint).toMatch(/front.*flow|flow.*front/);
    expect(e.hint).not.toContain('did you mean');
  });

  it('a misspelt layout or slot: did you mean the name it is close to', async () => {
    const check = await plan('  - layout: frnt', '    articles:', '      - { file: a.md, slot: lead }', '  - layout: front', '    articles:', '      - { file: b.md, slot: leed }');
    const errors = errorsOfSync(check);
    expect(theError(errors, 'LayoutUnknown').hint).toMatch(/^did you mean "front"\? use one of: /);
    expect(theError(errors, 'SlotUnknown').hint).toMatch(/^did you mean "lead"\? use one of: lead, /);
  });

  it('unknown slot: SlotUnknown at the line of the article', async () => {
    const check = await plan('  - layout: front', '    articles:', '      - { file: a.md, slot: lead }', '      - { file: b.md, slot: middle }');
    const e = theError(errorsOfSync(check), 'SlotUnknown');
    expect(e.message).toContain('middle');
    expect(e.where).toMatchObject({ file: 'edition.yaml', line: 9 });
  });

  it('a slot used twice: SlotUnknown at the second use', async () => {
    const check = await plan('  - layout: front', '    articles:', '      - { file: a.md, slot: lead }', '      - { file: b.md, slot: side }', '      - slot: lead', '        file: c.md');
    const e = theError(errorsOfSync(check), 'SlotUnknown');
    expect(e.message).toContain('lead');
    expect(e.where).toMatchObject({ file: 'edition.yaml', line: 10 });
  });

  it('continue to an earlier page: an error at the line of continue', async () => {
    const check = await plan(
      '  - layout: front', // 6
      '    articles:', // 7
      '      - { file: a.md, slot: lead }', // 8
      '  - layout: front', // 9
      '    articles:', // 10
      '      - file: b.md', // 11
      '        slot: lead', // 12
      '        continue: { page: 1, slot: second }', // 13
    );
    const errors = errorsOfSync(check);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/continue/);
    expect(errors[0]!.where).toMatchObject({ file: 'edition.yaml', line: 13 });
    expect(errors[0]!.format()).toContain('→');
  });

  it('continue to the same page, or past the last page', async () => {
    const same = await plan('  - layout: front', '    articles:', '      - { file: a.md, slot: lead, continue: { page: 1, slot: second } }');
    expect(errorsOfSync(same)[0]!.where).toMatchObject({ line: 8 });
    const past = await plan('  - layout: front', '    articles:', '      - { file: a.md, slot: lead, continue: { page: 3, slot: lead } }');
    expect(errorsOfSync(past)[0]!.where).toMatchObject({ line: 8 });
  });

  it('continue into a flow page, or into a slot the page does not have', async () => {
    const flow = await plan('  - layout: front', '    articles:', '      - { file: a.md, slot: lead, continue: { page: 2, slot: lead } }', '  - layout: flow', '    articles:', '      - { file: b.md }');
    expect(theError(errorsOfSync(flow), 'SlotUnknown').where).toMatchObject({ line: 8 });
    const noSlot = await plan('  - layout: front', '    articles:', '      - { file: a.md, slot: lead, continue: { page: 2, slot: lead } }', '  - layout: feature', '    articles:', '      - { file: b.md, slot: top }');
    expect(theError(errorsOfSync(noSlot), 'SlotUnknown').where).toMatchObject({ line: 8 });
  });

  it('continue into a slot that already holds an article', async () => {
    const check = await plan(
      '  - layout: front', // 6
      '    articles:', // 7
      '      - { file: a.md, slot: lead, continue: { page: 2, slot: lead } }', // 8
      '  - layout: front', // 9
      '    articles:', // 10
      '      - { file: b.md, slot: lead }', // 11
    );
    const e = theError(errorsOfSync(check), 'SlotUnknown');
    expect(e.where).toMatchObject({ file: 'edition.yaml', line: 11 });
  });

  it('a slot on a flow page, and no slot on a fixed page', async () => {
    const flow = await plan('  - layout: flow', '    articles:', '      - { file: a.md, slot: lead }');
    expect(theError(errorsOfSync(flow), 'SlotUnknown').where).toMatchObject({ line: 8 });
    const fixed = await plan('  - layout: front', '    articles:', '      - { file: a.md, slot: lead }', '      - { file: b.md }');
    expect(theError(errorsOfSync(fixed), 'SlotUnknown').where).toMatchObject({ line: 9 });
  });

  it('reports every plan problem at once', async () => {
    const check = await plan('  - layout: front', '    articles:', '      - { file: a.md, slot: nope }', '  - layout: poster', '    articles:', '      - { file: b.md }');
    expect(errorsOfSync(check).map((e) => [e.code, e.where?.line])).toEqual([
      ['SlotUnknown', 8],
      ['LayoutUnknown', 9],
    ]);
  });

  it('an unknown template is TemplateNotFound', async () => {
    const dir = await tempEdition({ 'edition.yaml': lines(...HEAD.slice(0, 4), 'template: tabloid-x', 'pages:', '  - layout: flow'), ...FILES });
    const edition = await loadEdition(dir);
    theError(await errorsOf(loadTemplate(edition.config.template, edition.dir)), 'TemplateNotFound');
  });
});

describe('other papers', () => {
  it.each([
    ['tabloid', 270, 390],
    ['a4', 210, 297],
    ['{ width: 300mm, height: 400mm }', 300, 400],
  ])('paper: %s', async (paper, w, h) => {
    const dir = await tempEdition({
      'edition.yaml': lines('title: t', 'publication: p', 'date: 2022-06-15', 'language: en', `paper: ${paper}`, 'print: { bleed: 5mm, marks: true }', 'pages:', '  - layout: flow', '    articles: [{ file: a.md }]'),
      'a.md': article({ title: 'A' }, 'Body.'),
    });
    const { doc } = await build(dir);
    const size = /@page \{[^}]*\bsize: ([\d.]+)pt ([\d.]+)pt;/.exec(doc.pageCss)!;
    expect(Number(size[1])).toBeCloseTo(w * MM, 1);
    expect(Number(size[2])).toBeCloseTo(h * MM, 1);
    expect(Number(/bleed: ([\d.]+)pt/.exec(doc.pageCss)![1])).toBeCloseTo(5 * MM, 2);
    // paiban draws the marks into the PDF (src/pdf/draw-marks.ts): Paged.js must not draw its own inside the bleed.
    expect(doc.pageCss).not.toMatch(/\bmarks:/);
    expect(doc.pageCss).toMatch(/@page \{ bleed: [\d.]+pt; \}/);
    // English folios.
    expect(doc.pageCss).toContain('"Page " counter(page) ""');
    expect(doc.pageCss).toContain('Wednesday, June 15, 2022');
    expect(doc.html).toMatch(/<html lang="en"/);
  });
});

describe('locale', () => {
  it('dates with the weekday', () => {
    expect(localeFor('zh-CN').date('2022-06-15')).toBe('2022年6月15日 星期三');
    expect(localeFor('zh-TW').date('2024-02-29')).toBe('2024年2月29日 星期四');
    expect(localeFor('zh').date('2023-01-01')).toBe('2023年1月1日 星期日');
    expect(localeFor('en').date('2022-06-15')).toBe('Wednesday, June 15, 2022');
    expect(localeFor('en-US').date('2023-01-01')).toBe('Sunday, January 1, 2023');
  });

  it('jump lines in the edition language', () => {
    const zh = localeFor('zh-CN');
    expect(zh.continuedOn(2)).toBe('（转第2版）');
    expect(zh.continuedFrom(1)).toBe('（接第1版）');
    expect(zh.continuedOn(12)).toBe('（转第12版）');
    const en = localeFor('en');
    expect(en.continuedOn(2)).toBe('Continued on page 2');
    expect(en.continuedFrom(1)).toBe('Continued from page 1');
  });

  it('page labels and end bylines', () => {
    expect(localeFor('zh-CN').pageLabel(3)).toBe('第3版');
    expect(localeFor('en').pageLabel(3)).toBe('Page 3');
    expect(localeFor('zh-CN').bylineEnd('本报记者 沈吟')).toBe('（本报记者 沈吟）');
    expect(localeFor('zh-CN').isCjk).toBe(true);
    expect(localeFor('en-GB').isCjk).toBe(false);
  });
});
