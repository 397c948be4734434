/**
 * A paragraph holding nothing but an image becomes a figure: `![caption](images/x.jpg "credit")`
 * renders as <figure class="figure"><img …/><figcaption>caption · credit</figcaption></figure>.
 */
import type { MarkdownIt, Token } from 'markdown-it';


export function figurePlugin(md: MarkdownIt): void {
  md.core.ruler.after('inline', 'paiban_figure', (state) => {
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
    const credit = (tok.meta as { credit?: string }).credit;
    const extra = (tok.attrs ?? [])
      .filter(([k]) => k !== 'src' && k !== 'alt' && k !== 'title')
      .map(([k, v]) => ` ${k}="${esc(String(v))}"`)
      .join('');
    return (
      `<figure class="figure"${extra}><img src="${esc(src)}" alt="${esc(caption)}" />` +
      (caption || credit
        ? `<figcaption>${caption ? `<span class="caption">${esc(caption)}</span>` : ''}${credit ? `${caption ? ' ' : ''}<span class="credit">${esc(credit)}</span>` : ''}</figcaption>`
        : '') +
      `</figure>\n`
    );
  };
}
