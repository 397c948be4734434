/**
 * A line break inside a paragraph is a space in Latin text but nothing in Chinese: drop soft
 * breaks between two CJK characters (or CJK punctuation) so no stray space is printed.
 */
import type { MarkdownIt } from 'markdown-it';

const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u{20000}-\u{3134f}“”‘’]/u;

export function cjkBreaksPlugin(md: MarkdownIt): void {
  md.core.ruler.after('inline', 'paiban_cjk_breaks', (state) => {
    for (const block of state.tokens) {
      const kids = block.children;
      if (block.type !== 'inline' || !kids) continue;
      for (let i = 1; i + 1 < kids.length; i++) {
        if (kids[i]!.type !== 'softbreak') continue;
        // Look past markup tokens (strong_close, link_open…) to the nearest text on each side.
        const before = lastChar(nearestText(kids, i, -1));
        const after = [...nearestText(kids, i, 1)][0] ?? '';
        if (CJK.test(before) && CJK.test(after)) {
          kids[i]!.type = 'text';
          kids[i]!.content = '';
        }
      }
    }
  });
}

function nearestText(kids: { type: string; content: string }[], from: number, step: 1 | -1): string {
  for (let j = from + step; j >= 0 && j < kids.length; j += step) {
    const k = kids[j]!;
    if (k.type === 'softbreak' || k.type === 'hardbreak') return '';
    if (k.content) return k.content;
  }
  return '';
}

function lastChar(s: string): string {
  const chars = [...s];
  return chars[chars.length - 1] ?? '';
}
