/**
 * Which characters each face sets. Subsetting every face to the whole edition's characters made
 * ten subsets of 19 MB for the bench's 24-page newspaper (the 楷体 caption face and the fallback
 * face each 2.7-2.9 MB for a few captions and no text at all), and every page load, one per
 * worker, sends, sanitises and parses them all. So the browser is asked: the composed document is
 * loaded once without fonts and without layout (the root is `display: none`; computed styles still
 * resolve), and every text node reports its computed font-family list, weight and style, from the
 * template's own stylesheets, whatever they say. Node then follows CSS font matching and fallback:
 * a character goes to the face its family's weight and style select, and on to the next family
 * only when that face's font lacks it (cmap.ts), exactly as the browser will. Generated content
 * (folios, running heads, jump lines: strings in the stylesheets) goes to every face.
 */
import type { BrowserHandle } from '../paginate/browser.ts';
import { ORIGIN } from '../compose/compose.ts';
import { serve, type Routes } from '../paginate/server.ts';
import { CODE_CSS } from './css.ts';

/** Text set in one computed font: `families` as CSS gives them (quoted or not), weight 1-1000. */
export interface TextRun {
  families: string;
  weight: number;
  style: string;
  /** Distinct characters. */
  text: string;
}

export interface FaceCoverage {
  cssFamily: string;
  weight: 'regular' | 'bold';
  style: 'normal' | 'italic';
  /** Code points the face's font has. */
  has: Set<number>;
}

const IGNORABLE = /^[\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Cs}]$/u;

/** `"pb-body", pb-fallback, serif` → [pb-body, pb-fallback, serif], lower-cased. */
export function familyList(value: string): string[] {
  const out: string[] = [];
  for (const m of value.matchAll(/\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^,]+))\s*(?:,|$)/g)) {
    const name = (m[1] ?? m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1').trim().replace(/\s+/g, ' ').toLowerCase();
    if (name) out.push(name);
  }
  return out;
}

const WEIGHT = { regular: 400, bold: 700 } as const;

/** CSS Fonts 4 §5.2 font matching among one family's faces: style first, then weight. */
export function matchFace<F extends Pick<FaceCoverage, 'weight' | 'style'>>(faces: F[], weight: number, style: string): F | undefined {
  const italic = style !== 'normal';
  const byStyle = faces.filter((f) => (f.style === 'italic') === italic);
  const pool = byStyle.length ? byStyle : faces;
  const w = (f: F) => WEIGHT[f.weight];
  const asc = (a: F, b: F) => w(a) - w(b);
  const desc = (a: F, b: F) => w(b) - w(a);
  let order: F[];
  if (weight >= 400 && weight <= 500) {
    order = [...pool.filter((f) => w(f) >= weight && w(f) <= 500).sort(asc), ...pool.filter((f) => w(f) < weight).sort(desc), ...pool.filter((f) => w(f) > 500).sort(asc)];
  } else if (weight < 400) {
    order = [...pool.filter((f) => w(f) <= weight).sort(desc), ...pool.filter((f) => w(f) > weight).sort(asc)];
  } else {
    order = [...pool.filter((f) => w(f) >= weight).sort(asc), ...pool.filter((f) => w(f) < weight).sort(desc)];
  }
  return order[0];
}

/**
 * The characters each face needs, in face order: those the runs route to it (through font
 * matching and fallback) and every character of `everywhere` (generated content).
 */
export function assignText(runs: TextRun[], faces: FaceCoverage[], everywhere: string): string[] {
  const sets = faces.map(() => new Set<string>());
  const byFamily = new Map<string, number[]>();
  faces.forEach((f, i) => {
    const k = f.cssFamily.toLowerCase();
    byFamily.set(k, [...(byFamily.get(k) ?? []), i]);
  });
  for (const run of runs) {
    // The face each family of the list selects for this weight and style (unknown families: none).
    const chain = familyList(run.families).flatMap((fam) => {
      const idx = byFamily.get(fam);
      if (!idx) return [];
      const chosen = matchFace(idx.map((i) => ({ ...faces[i]!, i })), run.weight, run.style);
      return chosen ? [chosen.i] : [];
    });
    for (const ch of run.text) {
      if (IGNORABLE.test(ch)) continue;
      const cp = ch.codePointAt(0)!;
      for (const i of chain) {
        sets[i]!.add(ch);
        if (faces[i]!.has.has(cp)) break;
      }
    }
  }
  for (const ch of everywhere) if (!IGNORABLE.test(ch)) for (const s of sets) s.add(ch);
  return sets.map((s) => [...s].sort().join(''));
}

/**
 * Characters no face can set where they are: a run's characters that no face of its family list
 * has (the browser would fall back to a font of its own choosing), and generated content no face
 * has. Runs whose list names no face of the stack are left out: see {@link unpreparedRuns}.
 */
export function unreachedChars(runs: TextRun[], faces: FaceCoverage[], everywhere: string): string[] {
  const lost = new Set<string>();
  const families = new Set(faces.map((f) => f.cssFamily.toLowerCase()));
  for (const run of runs) {
    const chain = familyList(run.families).filter((fam) => families.has(fam));
    if (!chain.length) continue;
    const own = faces.filter((f) => chain.includes(f.cssFamily.toLowerCase()));
    for (const ch of run.text) if (!IGNORABLE.test(ch) && !own.some((f) => f.has.has(ch.codePointAt(0)!))) lost.add(ch);
  }
  for (const ch of everywhere) if (!IGNORABLE.test(ch) && !faces.some((f) => f.has.has(ch.codePointAt(0)!))) lost.add(ch);
  return [...lost].sort();
}

/** Runs set in families none of which paiban prepares (a template's `font-family: serif`): their faces are the browser's. */
export function unpreparedRuns(runs: TextRun[], faces: FaceCoverage[]): TextRun[] {
  const families = new Set(faces.map((f) => f.cssFamily.toLowerCase()));
  return runs.filter((r) => r.text.trim() && !familyList(r.families).some((fam) => families.has(fam)));
}

/**
 * Characters the runs route to a face whose subset (`kept`) lacks them although its font has
 * them: set in the next family instead of this face. Run on the laid-out pages (collectRuns), it
 * checks what the document given to {@link assignText} could not show (e.g. styles Paged.js
 * applies to its page boxes).
 */
export function subsetMisses(runs: TextRun[], faces: (FaceCoverage & { kept: Set<number> })[]): string[] {
  const misses = new Set<string>();
  const byFamily = new Map<string, number[]>();
  faces.forEach((f, i) => byFamily.set(f.cssFamily.toLowerCase(), [...(byFamily.get(f.cssFamily.toLowerCase()) ?? []), i]));
  for (const run of runs) {
    const chain = familyList(run.families).flatMap((fam) => {
      const idx = byFamily.get(fam);
      const chosen = idx && matchFace(idx.map((i) => ({ ...faces[i]!, i })), run.weight, run.style);
      return chosen ? [chosen.i] : [];
    });
    for (const ch of run.text) {
      if (IGNORABLE.test(ch)) continue;
      const cp = ch.codePointAt(0)!;
      for (const i of chain) {
        if (faces[i]!.kept.has(cp)) break;
        if (faces[i]!.has.has(cp)) {
          misses.add(ch);
          break;
        }
      }
    }
  }
  return [...misses].sort();
}

/** Generated content of the stylesheets: the strings of every `content:` declaration (as compose does). */
export function contentStrings(css: string[]): string {
  return [...css.join('\n').matchAll(/content:\s*([^;}]*)/g)].flatMap((d) => [...d[1]!.matchAll(/"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'/g)].map((x) => unescape(x[1] ?? x[2] ?? ''))).join(' ');
}

function unescape(s: string): string {
  return s.replace(/\\([0-9a-fA-F]{1,6})\s?|\\(.)/g, (_, hex: string | undefined, c: string | undefined) => (hex ? String.fromCodePoint(parseInt(hex, 16)) : c!));
}

/**
 * In the page: text nodes grouped by computed family list, weight and style (also of
 * ::first-letter and ::first-line). Free of imports: its source is sent to the browser.
 */
export function collectRuns(): { families: string; weight: number; style: string; text: string }[] {
  const groups = new Map<string, Set<string>>();
  const keys = new Map<Element, string[]>();
  const keyOf = (cs: CSSStyleDeclaration) => `${cs.fontWeight}\u0000${cs.fontStyle}\u0000${cs.fontFamily}`;
  const walker = document.createTreeWalker(document.body ?? document.documentElement, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    const text = (n as Text).data;
    if (!el || !text.trim()) continue;
    let ks = keys.get(el);
    if (!ks) {
      const styles = [getComputedStyle(el), getComputedStyle(el, '::first-letter'), getComputedStyle(el, '::first-line')];
      ks = [...new Set(styles.map(keyOf))];
      // Capitals set by text-transform or small caps are other characters than the source's.
      if (styles.some((cs) => cs.textTransform !== 'none' || cs.fontVariantCaps !== 'normal')) ks = ks.map((k) => `${k}\u0000caps`);
      keys.set(el, ks);
    }
    for (const k of ks) {
      let set = groups.get(k);
      if (!set) groups.set(k, (set = new Set()));
      const caps = k.endsWith('\u0000caps');
      for (const ch of text) {
        set.add(ch);
        if (caps) for (const c of [ch.toUpperCase(), ch.toLowerCase()]) for (const x of c) set.add(x);
      }
    }
  }
  return [...groups].map(([k, set]) => {
    const [weight, style, families] = k.split('\u0000');
    return { families: families!, weight: Number(weight), style: style!, text: [...set].join('') };
  });
}

/** Runs with the same family list, weight and style joined; in a stable order. */
export function mergeRuns(runs: TextRun[]): TextRun[] {
  const by = new Map<string, TextRun>();
  for (const r of runs) {
    const k = `${r.weight}\u0000${r.style}\u0000${r.families}`;
    const had = by.get(k);
    by.set(k, had ? { ...had, text: [...new Set([...had.text, ...r.text])].join('') } : { ...r, text: [...new Set(r.text)].join('') });
  }
  return [...by].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => ({ ...r, text: [...r.text].sort().join('') }));
}

/**
 * Load `html` (the composed document, not yet wrapped for Paged.js) in a context of its own with
 * no fonts and no layout, and collect its text runs. `routes` serve its stylesheets and files.
 */
export async function textRuns(handle: BrowserHandle, html: string, routes: Omit<Routes, 'document'>, timeoutMs = 60_000): Promise<TextRun[]> {
  const context = await handle.browser.createBrowserContext();
  try {
    const page = await context.newPage();
    const assets: Routes['assets'] = new Map(routes.assets);
    // paiban's text rules (code in pb-mono) without the faces: they decide families too.
    assets.set('fonts.css', { body: CODE_CSS, type: 'text/css' });
    // No layout and no font loads: computed styles resolve inside display: none.
    const doc = html.replace(/<head>/, '<head><style>html { display: none !important; }</style>');
    const refused: string[] = [];
    await serve(page, { ...routes, assets, document: doc }, (url) => refused.push(url));
    page.setDefaultTimeout(timeoutMs);
    await page.evaluateOnNewDocument('globalThis.__name = (f) => f;');
    await page.goto(`${ORIGIN}/`, { waitUntil: 'load', timeout: timeoutMs });
    // Pages are laid out for the screen and printed: both media's rules count.
    const screen = await page.evaluate(collectRuns);
    await page.emulateMediaType('print');
    return mergeRuns([...screen, ...(await page.evaluate(collectRuns))]);
  } finally {
    await context.close().catch(() => undefined);
  }
}
