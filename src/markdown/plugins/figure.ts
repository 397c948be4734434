/**
 * A paragraph holding nothing but an image becomes a figure: `![caption](images/x.jpg "credit")`
 * renders as <figure class="figure"><img …/><figcaption>caption · credit</figcaption></figure>.
 * `{.wide}` after it makes a photo that spans the article's columns (set above the text in print).
 */
import type { MarkdownIt, Token } from 'markdown-it';


export function figurePlugin(md: MarkdownIt): void {
  // Last in the core chain: after markdown-it-attrs has moved {.wide} onto the image.
  md.core.ruler.push('paiban_figure', (state) => {
    const t = state.tokens;
    for (let i = 0; i + 2 < t.length; i++) {
      const [open, inline, close] = [t[i]!, t[i + 1]!, t[i + 2]!];
      if (open.type !== 'paragraph_open' || inline.type !== 'inline' || close.type !== 'paragraph_close') continue;
      const kids = (inline.children ?? []).filter((c) => !(c.type === 'softbreak' || (c.type === 'text' && c.content.trim() === '')));
      if (kids.length !== 1 || kids[0]!.type !== 'image') continue;
      const img = kids[0]!;
      const fig = new state.Token('paiban_figure', 'figure', 0);
      fig.block = true;
      fig.map = open.map;
      fig.attrs = img.attrs;
      fig.content = img.children ? img.children.map((c) => c.content).join('') : img.content;
      fig.meta = { credit: img.attrGet('title') ?? undefined };
      t.splice(i, 3, fig);
    }
  });
  md.renderer.rules.paiban_figure = (tokens: Token[], idx: number) => {
    const tok = tokens[idx]!;
    const esc = md.utils.escapeHtml;
    const src = String(tok.attrGet('src') ?? '');
    const caption = tok.content;
    const { credit, missing } = tok.meta as { credit?: string; missing?: boolean };
    const attrs = new Map((tok.attrs ?? []).map(([k, v]) => [k, String(v)]));
    const cls = ['figure', ...(attrs.get('class') ?? '').split(/\s+/).filter(Boolean), ...(missing ? ['fpo'] : [])].join(' ');
    const extra = [...attrs]
      .filter(([k]) => !['src', 'alt', 'title', 'class'].includes(k))
      .map(([k, v]) => ` ${k}="${esc(v)}"`)
      .join('');
    // {data-focus="50% 30%"}: the point of the photo to keep when the frame crops it.
    const focus = /^\d{1,3}% \d{1,3}%$/.test(attrs.get('data-focus') ?? '') ? ` style="object-position: ${attrs.get('data-focus')}"` : '';
    // A missing photo (policy.ts): a marked box naming the file, for position only (FPO).
    const picture = missing ? `<div class="pb-fpo" role="img" aria-label="${esc(caption)}"><span>FPO · missing ${esc(src)}</span></div>` : `<img src="${esc(src)}" alt="${esc(caption)}"${focus} />`;
    return (
      `<figure class="${esc(cls)}"${extra}>${picture}` +
      (caption || credit
        ? `<figcaption>${caption ? `<span class="caption">${esc(caption)}</span>` : ''}${credit ? `${caption ? ' ' : ''}<span class="credit">${esc(credit)}</span>` : ''}</figcaption>`
        : '') +
      `</figure>\n`
    );
  };
}
