/**
 * In-page helpers over an element's text (run in the browser: see page-lib.ts; no imports, no
 * module state). Characters are counted over text nodes, as the jump cut and the overset measure
 * count them. They call each other through PB (page-lib.ts), never by their own names.
 */
declare const PB: { textNodes: typeof textNodes; nextOutside: typeof nextOutside; pruneEmpty: typeof pruneEmpty };

/** The text nodes under root, in document order. */
export function textNodes(root: Node): Text[] {
  const out: Text[] = [];
  const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = w.nextNode(); n; n = w.nextNode()) out.push(n as Text);
  return out;
}

export function textOf(root: Node): string {
  return PB.textNodes(root).map((t) => t.data).join('');
}

/**
 * Keep the first k characters of root's text, removing everything after them. A paragraph cut in
 * two gets the class pb-cut-para (its last line is a full line of the column, not a last line).
 */
export function keepFirst(root: HTMLElement, k: number): void {
  let seen = 0;
  for (const t of PB.textNodes(root)) {
    if (seen + t.data.length >= k) {
      const para = t.parentElement?.closest('p, li');
      if (para && root.contains(para)) {
        const rest = document.createRange();
        rest.setStart(t, k - seen);
        rest.setEndAfter(para.lastChild ?? para);
        if (rest.toString().trim()) para.classList.add('pb-cut-para');
      }
      t.data = t.data.slice(0, k - seen);
      for (let n = PB.nextOutside(t, root); n; ) {
        const after = PB.nextOutside(n, root);
        n.parentNode?.removeChild(n);
        n = after;
      }
      break;
    }
    seen += t.data.length;
  }
  PB.pruneEmpty(root);
}

/** Remove the first k characters of root's text; the paragraph cut in two loses its indent. */
export function dropFirst(root: HTMLElement, k: number): void {
  let seen = 0;
  for (const t of PB.textNodes(root)) {
    if (seen + t.data.length <= k) {
      seen += t.data.length;
      t.data = '';
      continue;
    }
    t.data = t.data.slice(k - seen);
    const para = t.parentElement?.closest('p, li, blockquote');
    if (para && k - seen > 0) para.classList.add('pb-cont-para');
    break;
  }
  // Blocks (and figures) wholly before the cut are now empty: drop them.
  PB.pruneEmpty(root);
}

/** The next node after n in document order that is not inside n (climbing up to root). */
export function nextOutside(n: Node, root: Node): Node | null {
  let cur: Node | null = n;
  while (cur && cur !== root) {
    if (cur.nextSibling) return cur.nextSibling;
    cur = cur.parentNode;
  }
  return null;
}

export function pruneEmpty(root: HTMLElement): void {
  for (const el of Array.from(root.querySelectorAll('p, li, h2, h3, blockquote, aside, ul, ol, section'))) {
    if (!el.textContent?.trim() && !el.querySelector('img')) el.remove();
  }
  for (const fig of Array.from(root.querySelectorAll('figure'))) {
    if (!fig.textContent?.trim()) fig.remove();
  }
}

/** Whether an element's content runs past its box (below it, or into columns beyond it). */
export function overflows(el: HTMLElement): boolean {
  return el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
}
