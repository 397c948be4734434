/**
 * Runs inside the paginated page after every layout change: a soft hyphen where a line broke
 * becomes a real hyphen (U+2010, the same glyph and width, so the line keeps its break), and every
 * other soft hyphen is removed (it has no width on its line). Chromium would otherwise keep soft
 * hyphens in the PDF's text. A hyphen that ends up inside a line after the reflow (column
 * balancing can move lines) is removed again: words stay whole for search and copy.
 * Kept free of imports.
 */
export function fixSoftHyphens(): { broken: number; removed: number; undone: number } {
  const SHY = '\u00ad';
  const HYPHEN = '\u2010';
  let broken = 0;
  let removed = 0;
  let undone = 0;
  const range = document.createRange();
  const rectOf = (node: Text, i: number) => {
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    return range.getBoundingClientRect();
  };
  /** Whether the character after position i starts a new line (lower) or a new column (left). */
  const breaksAt = (node: Text, i: number) => {
    const before = rectOf(node, i - 1);
    const after = rectOf(node, i + 1);
    return after.top >= before.bottom - 1 || after.left < before.left - 1;
  };
  const textNodesWith = (ch: string) => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const nodes: Text[] = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if ((n as Text).data.includes(ch)) nodes.push(n as Text);
    return nodes;
  };
  /**
   * Decide every position of every node first, then rewrite them all: a write between two
   * measurements would force a new layout for each text node.
   */
  const rewrite = (ch: string, keep: (node: Text, i: number) => string) => {
    const plans = textNodesWith(ch).map((node) => {
      const decided = new Map<number, string>();
      for (let i = node.data.indexOf(ch); i >= 0; i = node.data.indexOf(ch, i + 1)) decided.set(i, keep(node, i));
      return { node, decided };
    });
    for (const { node, decided } of plans) {
      const data = node.data;
      let out = '';
      for (let i = 0; i < data.length; i++) out += decided.get(i) ?? data[i];
      node.data = out;
    }
  };
  rewrite(SHY, (node, i) => {
    if (i > 0 && i + 1 < node.data.length && breaksAt(node, i)) {
      broken++;
      return HYPHEN;
    }
    removed++;
    return '';
  });
  for (let pass = 0; pass < 3; pass++) {
    let changed = 0;
    rewrite(HYPHEN, (node, i) => {
      if (i > 0 && i + 1 < node.data.length && !breaksAt(node, i) && /\p{L}/u.test(node.data[i - 1]!) && /\p{L}/u.test(node.data[i + 1]!)) {
        changed++;
        return '';
      }
      return HYPHEN;
    });
    undone += changed;
    if (!changed) break;
  }
  return { broken, removed, undone };
}
