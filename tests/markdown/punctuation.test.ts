import { describe, expect, it } from 'vitest';
import { createMarkdown } from '../../src/markdown/render.ts';
import { forPrint, printEdits, quoteEdits, spaceEdits } from '../../src/markdown/punctuation.ts';

describe('spaces that would break a Chinese line at a mark', () => {
  it('are dropped before closing and pause marks, after opening ones and after full-width pause marks', () => {
    expect(forPrint('贾源.. ”他说', true)).toBe('贾源..”他说');
    expect(forPrint('他说： “ 你好 ” 。', true)).toBe('他说：“你好”。');
    expect(forPrint('中文 ,中文', false)).toBe('中文,中文');
    expect(forPrint('中文，　中文：　“引”', true)).toBe('中文，中文：“引”');
    expect(forPrint('本报记者　沈吟', true)).toBe('本报记者　沈吟');
    expect(forPrint('中文\n”后', true)).toBe('中文”后');
    expect(forPrint('价格 ）和（ 注', true)).toBe('价格）和（注');
  });

  it('keep spaces between words and around Latin text', () => {
    expect(forPrint('本报记者 沈吟', true)).toBe('本报记者 沈吟');
    expect(forPrint('use a ) b and x , y', false)).toBe('use a ) b and x , y');
    expect(forPrint('he said ”no”', false)).toBe('he said ”no”');
    expect(forPrint('wait … and see · here', false)).toBe('wait … and see · here');
    expect(forPrint('使用 .NET 和 Node', true)).toBe('使用 .NET 和 Node');
    expect(forPrint('等等 …… 然后', true)).toBe('等等……然后');
    expect(spaceEdits(' ”开头', true)).toEqual([]);
  });

  it('say what is wrong', () => {
    const [e] = spaceEdits('好 ”', true);
    expect(e).toMatchObject({ start: 1, end: 2, text: '', rule: 'space-before-closing' });
    expect(e!.message).toContain('a line would start with it');
  });
});

describe('a dash (破折号) inside a Chinese paragraph', () => {
  it('is held to the character before it, so that no line but the paragraph\'s first starts with it', () => {
    expect(forPrint('他说——我们来了', true)).toBe('他说\u2060——我们来了');
    expect(forPrint('甲——乙——丙', true)).toBe('甲\u2060——乙\u2060——丙');
    // Where a paragraph or a deck starts with it, after a space, and in Latin text: as it is.
    expect(forPrint('——专访省委组织部', true)).toBe('——专访省委组织部');
    expect(forPrint('他说 ——我们', true)).toBe('他说 ——我们');
    expect(forPrint('wait——no', false)).toBe('wait——no');
  });
});

describe('quotation marks the wrong way round', () => {
  it('are turned where the paragraph pairs them', () => {
    expect(forPrint('他说：”你好“。她说：“好”。', true)).toBe('他说：“你好”。她说：“好”。');
    expect(forPrint('‘甲’和’乙‘', true)).toBe('‘甲’和‘乙’');
    expect(quoteEdits('“对”', true)).toEqual([]);
    // Marks that nest are the author's, even doubles in doubles; all turned round, they are turned back.
    expect(quoteEdits('“甲[通“事”]乙”', true)).toEqual([]);
    expect(forPrint('”甲[通”事“]乙“', true)).toBe('“甲[通“事”]乙”');
  });

  it('are turned at the paragraph edges only when the paragraph does not pair them (a quotation over paragraphs)', () => {
    expect(forPrint('”你好，他说。', true)).toBe('“你好，他说。');
    expect(forPrint('“一段，“二段”', true)).toBe('“一段，“二段”');
  });

  it('leave apostrophes and Latin text alone', () => {
    expect(printEdits('don’t ”quote“ it', false)).toEqual([]);
  });
});

describe('rendering', () => {
  it('prints the fixed text and leaves code alone', () => {
    const md = createMarkdown('zh-CN');
    const html = md.render('他说： ”你好“ `a ” b`。\n“下一行”\n\n![图为 ”湖“ 。](x.png)');
    expect(html).toContain('他说：“你好” <code>a ” b</code>。“下一行”');
    expect(html).toContain('<span class="caption">图为 “湖”。</span>');
  });
});
