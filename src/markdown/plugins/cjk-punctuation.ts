/**
 * Unedited Chinese copy as print sets it (punctuation.ts): a space before a closing or pause mark
 * (贾源.. ”), after an opening one, or a line break of the source there, is dropped, since in
 * Chinese text it would let a line start with ” or ，; quotation marks the wrong way round are
 * turned. Only the rendered text changes: the Markdown source stays as the author wrote it (paiban
 * check reports these, and check --fix corrects the source); code, raw HTML and images are never
 * touched. The EPUB is rendered from the same tokens, and reading systems break lines alike.
 */
import type { MarkdownIt, Token } from 'markdown-it';
import { forPrint, isCjkLanguage, OBJECT, printEdits } from '../punctuation.ts';

/** Each character of the view: the child token it came from and its index in that token's content (-1: the token is a line break). */
interface Slot {
  token: number;
  at: number;
}

/** A paragraph's inline children as a view: text as it is, a soft line break as "\n", anything else that prints as OBJECT. */
export function inlineView(kids: Token[]): { view: string; slots: (Slot | undefined)[] } {
  let view = '';
  const slots: (Slot | undefined)[] = [];
  kids.forEach((t, k) => {
    if (t.type === 'text') {
      for (let i = 0; i < t.content.length; i++) {
        view += t.content[i];
        slots.push({ token: k, at: i });
      }
    } else if (t.type === 'softbreak') {
      view += '\n';
      slots.push({ token: k, at: -1 });
    } else if (t.type === 'code_inline' || t.type === 'html_inline' || t.type === 'image' || t.type === 'hardbreak' || t.type.startsWith('footnote_ref')) {
      view += OBJECT;
      slots.push(undefined);
    }
  });
  return { view, slots };
}

export function cjkPunctuationPlugin(md: MarkdownIt, language: string): void {
  const cjkText = isCjkLanguage(language);
  md.core.ruler.push('paiban_cjk_punctuation', (state) => {
    for (const block of state.tokens) {
      // A figure's caption (figure.ts) is plain text by now.
      if (block.type === 'paiban_figure') block.content = forPrint(block.content, cjkText);
      if (block.type !== 'inline' || !block.children?.length) continue;
      const kids = block.children;
      const { view, slots } = inlineView(kids);
      const edits = printEdits(view, cjkText);
      if (!edits.length) continue;
      // Rewrite each text token once: per character, what it becomes.
      const replaced = new Map<number, Map<number, string>>();
      for (const e of edits) {
        for (let v = e.start; v < e.end; v++) {
          const s = slots[v];
          if (!s) continue;
          if (s.at < 0) {
            kids[s.token]!.type = 'text';
            kids[s.token]!.content = '';
            continue;
          }
          const m = replaced.get(s.token) ?? new Map<number, string>();
          m.set(s.at, v === e.start ? e.text : '');
          replaced.set(s.token, m);
        }
      }
      for (const [k, m] of replaced) {
        const t = kids[k]!;
        let out = '';
        for (let i = 0; i < t.content.length; i++) out += m.has(i) ? m.get(i)! : t.content[i];
        t.content = out;
      }
    }
  });
}
