/**
 * What an article body may refer to. Links: http(s), mailto, in-document anchors and relative
 * paths. Images: files inside the edition folder only. Raw HTML: dropped unless the edition says
 * `html: true`, then sanitized with an allow-list. Everything refused is dropped with a warning
 * that names the article and line; the build goes on.
 */
import type { Token } from 'markdown-it';
import { createRequire } from 'node:module';
import type SanitizeHtml from 'sanitize-html';
import type { Diagnostics } from '../diagnostics.ts';
import { resolveInside } from '../load/files.ts';
import { suggestFile } from '../load/suggest-file.ts';
import { imageSize } from '../load/image-info.ts';
import { LIMITS, formatBytes, limitName } from '../limits.ts';

const SAFE_LINK = /^(https?:\/\/|mailto:|#)/i;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

export interface PolicyContext {
  file: string;
  /** Line of the file where the Markdown body starts (1-based). */
  bodyLine: number;
  editionDir: string;
  allowHtml: boolean;
  diagnostics: Diagnostics;
  /** Render inline tokens to HTML (for sanitizing a paragraph's inline HTML as a whole). */
  renderInline: (tokens: Token[]) => string;
}

export function linkAllowed(href: string): boolean {
  if (SAFE_LINK.test(href)) return true;
  if (SCHEME.test(href) || href.startsWith('//') || href.startsWith('/') || href.startsWith('\\')) return false;
  return !href.split(/[/\\]/).includes('..');
}

/** Apply the policy to parsed tokens in place. Returns the images kept, resolved to real paths. */
export async function applyPolicy(tokens: Token[], ctx: PolicyContext): Promise<Map<string, string>> {
  const images = new Map<string, string>();
  const lineOf = (t: Token | undefined) => (t?.map ? ctx.bodyLine + t.map[0] : undefined);
  const warn = (rule: string, msg: string, t?: Token) => ctx.diagnostics.warn(ctx.file, rule, msg, lineOf(t));

  /** Whether the image can be used; a missing one is reported (with a close name in the edition, if any). */
  async function imageOk(src: string, t: Token): Promise<boolean> {
    if (images.has(src)) return true;
    const r = await resolveInside(ctx.editionDir, decodeURIComponentSafe(src));
    if ('abs' in r) {
      const tooLarge = await imageTooLarge(r.abs, r.size);
      if (tooLarge) {
        warn('image-too-large', `image "${src}" dropped: ${tooLarge}`, t);
        return false;
      }
      images.set(src, r.abs);
      return true;
    }
    const why = {
      absolute: 'only files inside the edition folder can be used (no URLs or absolute paths)',
      outside: 'the path leaves the edition folder',
      missing: 'the file does not exist',
      notfile: 'it is not a regular file',
    }[r.problem];
    if (r.problem === 'missing') {
      const near = await suggestFile(ctx.editionDir, decodeURIComponentSafe(src).replace(/^\.\//, ''));
      const fix = near ? `did you mean "${near}"?` : 'check the file name, or add the photo to the edition folder';
      warn('missing-image', `image "${src}" is missing: ${why}; ${t.type === 'paiban_figure' ? 'the page shows a marked box (FPO) in its place' : 'it is left out'}; ${fix}`, t);
      return false;
    }
    warn('refused-url', `image "${src}" dropped: ${why}`, t);
    return false;
  }

  for (let i = 0; i < tokens.length; i++) {
    const block = tokens[i]!;
    if (block.type === 'paiban_figure') {
      const src = String(block.attrGet('src') ?? '');
      if (await imageOk(src, block)) continue;
      // A missing photo keeps its place as a marked box naming the file (FPO), never an empty slot.
      const r = await resolveInside(ctx.editionDir, decodeURIComponentSafe(src));
      if ('problem' in r && r.problem === 'missing') block.meta = { ...(block.meta as object), missing: true };
      else tokens.splice(i--, 1);
      continue;
    }
    if (block.type === 'html_block') {
      const clean = ctx.allowHtml ? sanitize(block.content) : '';
      if (!ctx.allowHtml) warn('raw-html', 'raw HTML dropped: html is off for this edition (set html: true in edition.yaml to allow sanitized HTML)', block);
      block.content = clean;
      continue;
    }
    if (block.type !== 'inline' || !block.children) continue;
    const kids = block.children;
    for (let k = 0; k < kids.length; k++) {
      const t = kids[k]!;
      if (t.type === 'image' && !(await imageOk(String(t.attrGet('src') ?? ''), block))) {
        kids.splice(k--, 1);
      } else if (t.type === 'link_open') {
        const href = String(t.attrGet('href') ?? '');
        if (!linkAllowed(href)) {
          warn('refused-url', `link "${href}" dropped: only http(s), mailto, #anchors and relative links are allowed`, block);
          t.attrs = (t.attrs ?? []).filter(([k2]) => k2 !== 'href');
        }
      } else if (t.type === 'html_inline' && !ctx.allowHtml) {
        warn('raw-html', 'raw HTML dropped: html is off for this edition (set html: true in edition.yaml to allow sanitized HTML)', block);
        kids.splice(k--, 1);
      }
    }
    // markdown-it gives each inline tag its own token: sanitize the paragraph's HTML as a whole,
    // so <b>…</b> keeps its content and <script>…</script> loses its text.
    const firstHtml = kids.find((x) => x.type === 'html_inline');
    if (firstHtml) {
      firstHtml.content = sanitize(ctx.renderInline(kids));
      block.children = [firstHtml];
    }
  }
  return images;
}

/** Why an image file is refused for its size (bytes or claimed pixels), or undefined. */
async function imageTooLarge(abs: string, bytes: number): Promise<string | undefined> {
  if (bytes > LIMITS.imageBytes) return `the file is ${formatBytes(bytes)}; images may have at most ${formatBytes(LIMITS.imageBytes)} (${limitName('imageBytes')})`;
  const size = await imageSize(abs).catch(() => undefined);
  if (size && size.width * size.height > LIMITS.imagePixels) {
    return `it claims ${size.width} × ${size.height} pixels; images may have at most ${LIMITS.imagePixels / 1e6} million (${limitName('imagePixels')})`;
  }
  return undefined;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

let sanitizeHtml: typeof SanitizeHtml | undefined;

/** The allow-list for `html: true`: text-level and block markup, no scripts, styles, frames or forms. */
export function sanitize(html: string): string {
  // Loaded on first use (about 0.1 s): only editions with html: true and raw HTML need it.
  sanitizeHtml ??= createRequire(import.meta.url)('sanitize-html') as typeof SanitizeHtml;
  return sanitizeHtml(html, {
    // code, kbd, samp, var: a paragraph with inline HTML is sanitized whole, its Markdown code spans too.
    allowedTags: ['b', 'i', 'em', 'strong', 'sub', 'sup', 'small', 'span', 'br', 'p', 'div', 'ruby', 'rt', 'rp', 'abbr', 'cite', 'q', 'mark', 's', 'u', 'del', 'ins', 'code', 'kbd', 'samp', 'var', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'ul', 'ol', 'li', 'blockquote', 'hr', 'a'],
    allowedAttributes: { '*': ['class', 'lang', 'title'], a: ['href'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowProtocolRelative: false,
    parser: { lowerCaseTags: true },
    selfClosing: ['br', 'hr'],
    // Elements nested deeper than this are dropped (their text stays): no layout bomb.
    nestingLimit: LIMITS.htmlNesting,
  });
}
