/**
 * Small, exact tools for the XHTML the render stage produces (markdown-it with `xhtmlOut`, and
 * sanitize-html for raw HTML): every attribute is double-quoted and `<`, `>`, `&`, `"` inside
 * values are escaped, so start tags can be rewritten with regular expressions safely.
 */

/** Characters XML 1.0 forbids (C0 controls but tab/LF/CR, U+FFFE/U+FFFF, lone surrogates). */
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function stripInvalidXml(s: string): string {
  return s.replace(INVALID_XML, '');
}

/** Escape text for XML element content and double- or single-quoted attribute values. */
export function escapeXml(s: string): string {
  return stripInvalidXml(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** The value of an attribute as written by markdown-it (entities decoded). */
export function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] !== '#') return NAMED[e.toLowerCase()] ?? m;
    const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
  });
}

/**
 * Turn numeric character references back into UTF-8 text, except where they are markup-significant
 * (`& < > " '`) or not allowed in XML. epub-gen-memory serialises with entities 2, which writes
 * every non-ASCII character as `&#x…;`: valid, but Chinese text grows 2.7 times and is unreadable
 * for anyone who opens the file.
 */
export function decodeCharRefs(s: string): string {
  return s.replace(/&#(x[0-9a-fA-F]+|\d+);/g, (m, n: string) => {
    const cp = n[0] === 'x' ? parseInt(n.slice(1), 16) : parseInt(n, 10);
    if (cp === 0x26 || cp === 0x3c || cp === 0x3e || cp === 0x22 || cp === 0x27 || cp > 0x10ffff) return m;
    const ch = String.fromCodePoint(cp);
    return stripInvalidXml(ch) === ch && !(cp >= 0xd800 && cp <= 0xdfff) ? ch : m;
  });
}

/**
 * `&quot;`, `&apos;` and their numeric forms in text content back to `"` and `'` (they need no
 * escaping there); attribute values keep theirs. epub-gen-memory's serialiser escapes both
 * everywhere, which makes English prose hard to read in the file.
 */
export function plainQuotesInText(html: string): string {
  return html.replace(/(<(?:[^>"']|"[^"]*"|'[^']*')*>)|([^<]+)/g, (_m, tag: string | undefined, text: string | undefined) =>
    tag ?? text!.replace(/&(?:quot|#34|#x22);/gi, '"').replace(/&(?:apos|#39|#x27);/gi, "'"),
  );
}

export type Attrs = [name: string, value: string][];

export function parseAttrs(s: string): Attrs {
  return [...s.matchAll(/([^\s="'<>\/]+)(?:\s*=\s*"([^"]*)")?/g)].map((m) => [m[1]!, m[2] ?? m[1]!]);
}

export function attrsToString(a: Attrs): string {
  return a.map(([k, v]) => ` ${k}="${v}"`).join('');
}

export function getAttr(a: Attrs, name: string): string | undefined {
  return a.find(([k]) => k === name)?.[1];
}

export function setAttr(a: Attrs, name: string, value: string): Attrs {
  return a.some(([k]) => k === name) ? a.map(([k, v]) => [k, k === name ? value : v]) : [...a, [name, value]];
}

/**
 * Rewrite the start tags of `tag` (or of every element when `tag` is `*`): the callback gets the
 * attributes and returns new ones, or `null` to remove the tag (not its content).
 */
export function mapStartTags(html: string, tag: string, fn: (attrs: Attrs, name: string) => Attrs | null): string {
  const re = tag === '*' ? /<([a-zA-Z][a-zA-Z0-9:-]*)((?:\s+[^\s=>\/]+(?:\s*=\s*"[^"]*")?)*)\s*(\/?)>/g : new RegExp(`<(${tag})((?:\\s+[^\\s=>\\/]+(?:\\s*=\\s*"[^"]*")?)*)\\s*(\\/?)>`, 'g');
  return html.replace(re, (_m, name: string, attrs: string, slash: string) => {
    const out = fn(parseAttrs(attrs), name);
    return out === null ? '' : `<${name}${attrsToString(out)}${slash ? ' /' : ''}>`;
  });
}

/** Every `id` defined in a fragment. */
export function idsOf(html: string): Set<string> {
  return new Set([...html.matchAll(/\sid="([^"]*)"/g)].map((m) => unescapeXml(m[1]!)));
}

/**
 * A language tag epubcheck accepts (RFC 3066 shape, which BCP 47 tags have): `zh-CN`, `en`,
 * `zh-Hant-TW`, `x-private`. Anything else in `lang` is an error in an EPUB.
 */
export function isLanguageTag(s: string): boolean {
  return /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(s);
}

/** In XHTML, `lang` alone is not enough for every reading system: mirror it as `xml:lang`. */
export function mirrorLang(html: string): string {
  return mapStartTags(html, '*', (a) => {
    const lang = getAttr(a, 'lang');
    return lang !== undefined && getAttr(a, 'xml:lang') === undefined ? [...a, ['xml:lang', lang]] : a;
  });
}
