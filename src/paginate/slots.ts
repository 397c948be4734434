/**
 * Runs inside the paginated page, after Paged.js and before measuring: the page-time features of
 * fixed slots. Kept free of imports: this function's source is sent to the browser.
 *
 * - Copyfit (`fit: auto`): leading and tracking move together within a small range (a single
 *   parameter t in [-1, 1]); a binary search finds the loosest setting at which the text still
 *   fits its slot.
 * - Jumps (`continue: { page, slot }`): the article is cut at the last character its slot shows
 *   (never before a closing punctuation mark: it may not start a line), a jump line
 *   "（转第N版）" ends the first part, and the copy in the target slot starts where the first part
 *   ended, after "（接第M版）". Page numbers are those printed.
 */
export interface SlotPassOptions {
  /** Jump lines with `{n}` for the printed page number. */
  jumpTo: string;
  jumpFrom: string;
  /** Copyfit range: leading ± this share of the base leading, tracking ± this many em. */
  leadingRange: number;
  trackingRange: number;
  /** Printed pages before this document (pages paginated in parallel, see pool.ts). */
  pageOffset?: number;
  /**
   * The printed page of each plan page, when the pages are not Paged.js's (native print lays out
   * fixed pages on screen: native.ts). Without it, pages are counted from `.pagedjs_page`.
   */
  pageOf?: Record<string, number>;
}

export interface SlotPassResult {
  copyfit: { article: string; t: number; fits: boolean }[];
  /** Printed pages, and the plan pages they were taken from. */
  jumps: { article: string; fromPage: number; toPage: number; fromPlan: number; toPlan: number; cutAt: number }[];
}

export function slotPass(opts: SlotPassOptions): SlotPassResult {
  const result: SlotPassResult = { copyfit: [], jumps: [] };
  const CLOSING = '，。、；：？！）」』”’》〉】〕…—,.;:?!)%';
  const overflows = (body: HTMLElement) => body.scrollWidth > body.clientWidth + 1 || body.scrollHeight > body.clientHeight + 1;
  const pages = Array.from(document.querySelectorAll('.pagedjs_page'));
  const pageOf = opts.pageOf;
  const printedPageOf = (el: Element) =>
    pageOf ? (pageOf[el.closest<HTMLElement>('.pb-page')?.dataset.planPage ?? ''] ?? 0) : pages.findIndex((p) => p.contains(el)) + 1 + (opts.pageOffset ?? 0);
  const printedPageOfPlan = (plan: string) => {
    if (pageOf) return pageOf[plan] ?? Number(plan);
    const sec = document.querySelector(`.pb-page[data-plan-page="${plan}"]`);
    return sec ? printedPageOf(sec) : Number(plan);
  };

  // ---- copyfit ----
  for (const art of Array.from(document.querySelectorAll<HTMLElement>('.pb-slot article[data-fit="auto"]'))) {
    const body = art.querySelector<HTMLElement>('.pb-body');
    if (!body) continue;
    const cs = getComputedStyle(body);
    const size = parseFloat(cs.fontSize);
    const leading = parseFloat(cs.lineHeight) / size || 1.6;
    const apply = (t: number) => {
      body.style.lineHeight = String(leading * (1 + t * opts.leadingRange));
      body.style.letterSpacing = `${t * opts.trackingRange}em`;
    };
    let lo = -1;
    let hi = 1;
    apply(lo);
    const fits = !overflows(body);
    if (fits) {
      apply(hi);
      if (!overflows(body)) lo = hi;
      else {
        for (let i = 0; i < 10; i++) {
          const mid = (lo + hi) / 2;
          apply(mid);
          if (overflows(body)) hi = mid;
          else lo = mid;
        }
      }
    }
    apply(lo);
    result.copyfit.push({ article: art.dataset.article!, t: Math.round(lo * 1000) / 1000, fits });
  }

  // ---- jumps ----
  for (const src of Array.from(document.querySelectorAll<HTMLElement>('.pb-slot article[data-continue-page]'))) {
    const id = src.dataset.article!;
    const target = document.querySelector<HTMLElement>(
      `.pb-page[data-plan-page="${src.dataset.continuePage}"] .pb-slot[data-slot="${src.dataset.continueSlot}"] article[data-article="${id}"]`,
    );
    const body = src.querySelector<HTMLElement>('.pb-body');
    const tbody = target?.querySelector<HTMLElement>('.pb-body');
    if (!target || !body || !tbody) continue;
    const original = body.innerHTML;
    const fromPage = printedPageOf(src);
    const toPage = printedPageOfPlan(src.dataset.continuePage!);
    const jumpLine = (text: string, cls: string) => {
      const p = document.createElement('p');
      p.className = `pb-jump ${cls}`;
      p.textContent = text;
      return p;
    };
    const total = textLength(body);
    // The largest k such that the first k characters plus the jump line fit the slot.
    const trial = (k: number) => {
      body.innerHTML = original;
      keepFirst(body, k);
      body.appendChild(jumpLine(opts.jumpTo.replace('{n}', String(toPage)), 'pb-jump-to'));
      return !overflows(body);
    };
    body.innerHTML = original;
    if (!overflows(body)) continue; // it fits: nothing jumps; the copy stays empty below
    let lo = 0;
    let hi = total;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (trial(mid)) lo = mid;
      else hi = mid - 1;
    }
    const text = allText(body, original);
    while (lo > 0 && CLOSING.includes(text[lo] ?? '')) lo--; // no closing mark at the start of the rest
    trial(lo);
    tbody.innerHTML = original;
    dropFirst(tbody, lo);
    tbody.insertBefore(jumpLine(opts.jumpFrom.replace('{n}', String(fromPage)), 'pb-jump-from'), tbody.firstChild);
    const fromPlan = Number(src.closest<HTMLElement>('.pb-page')?.dataset.planPage ?? 0);
    result.jumps.push({ article: id, fromPage, toPage, fromPlan, toPlan: Number(src.dataset.continuePage), cutAt: lo });
  }
  // Continuation slots whose article did not jump (it fit) are left empty.
  for (const c of Array.from(document.querySelectorAll<HTMLElement>('article[data-continued-from]'))) {
    if (!result.jumps.some((j) => j.article === c.dataset.article)) c.remove();
  }
  return result;

  function textNodes(root: Node): Text[] {
    const out: Text[] = [];
    const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) out.push(n as Text);
    return out;
  }
  function textLength(root: Node): number {
    return textNodes(root).reduce((a, t) => a + t.data.length, 0);
  }
  function allText(el: HTMLElement, html: string): string {
    const saved = el.innerHTML;
    el.innerHTML = html;
    const s = textNodes(el).map((t) => t.data).join('');
    el.innerHTML = saved;
    return s;
  }
  /** Keep the first k characters of root's text, removing everything after them. */
  function keepFirst(root: HTMLElement, k: number): void {
    let seen = 0;
    for (const t of textNodes(root)) {
      if (seen + t.data.length >= k) {
        t.data = t.data.slice(0, k - seen);
        for (let n = nextOutside(t, root); n; ) {
          const after = nextOutside(n, root);
          n.parentNode?.removeChild(n);
          n = after;
        }
        break;
      }
      seen += t.data.length;
    }
    pruneEmpty(root);
  }
  /** Remove the first k characters of root's text; the paragraph cut in two loses its indent. */
  function dropFirst(root: HTMLElement, k: number): void {
    let seen = 0;
    for (const t of textNodes(root)) {
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
    pruneEmpty(root);
  }
  /** The next node after n in document order that is not inside n (climbing up to root). */
  function nextOutside(n: Node, root: Node): Node | null {
    let cur: Node | null = n;
    while (cur && cur !== root) {
      if (cur.nextSibling) return cur.nextSibling;
      cur = cur.parentNode;
    }
    return null;
  }
  function pruneEmpty(root: HTMLElement): void {
    for (const el of Array.from(root.querySelectorAll('p, li, h2, h3, blockquote, aside, ul, ol, section'))) {
      if (!el.textContent?.trim() && !el.querySelector('img')) el.remove();
    }
    for (const fig of Array.from(root.querySelectorAll('figure'))) {
      if (!fig.textContent?.trim()) fig.remove();
    }
  }
}
