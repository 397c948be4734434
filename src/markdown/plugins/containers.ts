/**
 * Block containers: `::: sidebar` (a boxed 资料/链接 box, with an optional title after the name),
 * `::: pullquote`, `::: note`. Unknown names are left as text by markdown-it-container.
 */
import type { MarkdownIt } from 'markdown-it';
import container from 'markdown-it-container';

const KINDS: Record<string, { tag: string; cls: string }> = {
  sidebar: { tag: 'aside', cls: 'sidebar' },
  pullquote: { tag: 'blockquote', cls: 'pullquote' },
  note: { tag: 'aside', cls: 'note' },
};

export function containersPlugin(md: MarkdownIt): void {
  for (const [name, { tag, cls }] of Object.entries(KINDS)) {
    md.use(container, name, {
      render(tokens: { info: string; nesting: number }[], idx: number) {
        const tok = tokens[idx]!;
        if (tok.nesting !== 1) return `</${tag}>\n`;
        const title = tok.info.trim().slice(name.length).trim();
        return `<${tag} class="${cls}">\n${title ? `<p class="box-title">${md.utils.escapeHtml(title)}</p>\n` : ''}`;
      },
    });
  }
}
