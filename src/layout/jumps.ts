/**
 * In-page: jumps (`continue: { page, slot }`). The article is cut where its slot ends: the largest
 * number of characters that, with the jump line "（转第N版）" after them, still fit the slot, moved
 * back to a place a line may end (never before a closing or pause mark, also after a space; never
 * after an opening mark; never inside a Latin word). The copy in the target slot starts where the
 * first part ended, after "（接第M版）". Uses text-dom.ts; see page-lib.ts for how it runs.
 */
import type { dropFirst, keepFirst, overflows, pruneEmpty, textOf } from './text-dom.ts';

declare const PB: {
  keepFirst: typeof keepFirst; dropFirst: typeof dropFirst; overflows: typeof overflows; textOf: typeof textOf; pruneEmpty: typeof pruneEmpty;
  breakAllowed: typeof breakAllowed; CLOSING_MARKS: string; OPENING_MARKS: string;
};

/** Marks no line may start with (clreq, JIS X 4051 and their Latin counterparts). */
export const CLOSING_MARKS = '，。、；：？！）」』”’》〉】〕〗〙〛｝…‥—–·・％‰℃〞〟～々ゝゞヽヾ,.;:?!)]}%';
/** Marks no line may end with. */
export const OPENING_MARKS = '（「『“‘《〈【〔〖〘〚｛〝([{';

/** Whether a line may end before the character at k of text. */
export function breakAllowed(text: string, k: number, closing: string, opening: string): boolean {
  if (k <= 0 || k >= text.length) return true;
  const before = text[k - 1]!;
  let j = k;
  while (j < text.length && /\s/.test(text[j]!)) j++;
  if (j < text.length && closing.includes(text[j]!)) return false;
  if (opening.includes(before)) return false;
  const latin = (c: string) => /[\p{L}\p{N}\u00ad'’-]/u.test(c) && !/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(c);
  return !(latin(before) && latin(text[k]!));
}

export interface JumpOptions {
  jumpTo: string;
  jumpFrom: string;
}

export interface Jump {
  article: string;
  /** Characters of the article's text in the first part. */
  cutAt: number;
  /** Characters of the article's text in all. */
  total: number;
}

/** Cut `src`'s body at its slot's foot and set the rest in `target`'s body; undefined when it fits. */
export function jumpArticle(src: HTMLElement, target: HTMLElement, lines: { to: string; from: string }): Jump | undefined {
  const body = src.querySelector<HTMLElement>('.pb-body');
  const tbody = target.querySelector<HTMLElement>('.pb-body');
  if (!body || !tbody) return undefined;
  const original = body.innerHTML;
  if (!PB.overflows(body)) return undefined; // it fits: nothing jumps; the copy stays empty below
  const jumpLine = (text: string, cls: string) => {
    const p = document.createElement('p');
    p.className = `pb-jump ${cls}`;
    p.textContent = text;
    return p;
  };
  const text = PB.textOf(body);
  // The largest k such that the first k characters plus the jump line fit the slot.
  const trial = (k: number) => {
    body.innerHTML = original;
    PB.keepFirst(body, k);
    body.appendChild(jumpLine(lines.to, 'pb-jump-to'));
    return !PB.overflows(body);
  };
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (trial(mid)) lo = mid;
    else hi = mid - 1;
  }
  while (lo > 0 && !PB.breakAllowed(text, lo, PB.CLOSING_MARKS, PB.OPENING_MARKS)) lo--;
  trial(lo);
  tbody.innerHTML = original;
  PB.dropFirst(tbody, lo);
  PB.pruneEmpty(tbody);
  tbody.insertBefore(jumpLine(lines.from, 'pb-jump-from'), tbody.firstChild);
  return { article: src.dataset.article!, cutAt: lo, total: text.length };
}
