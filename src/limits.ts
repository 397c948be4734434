/**
 * Every limit paiban puts on its input, and every time budget, in one place. An edition that goes
 * over a limit is refused with a message naming the limit (LimitExceeded, or a warning when a
 * single reference in an article body is dropped); nothing is truncated silently. The numbers are
 * generous for newspapers and books: they exist so that a hostile or broken edition cannot make a
 * build run for hours or eat the machine's memory. Time budgets can be changed with environment
 * variables (seconds); docs/security.md lists them.
 */
import { PaibanError } from './errors.ts';
import type { RenderedArticle } from './model.ts';

const MiB = 1024 * 1024;

/** The limits on an edition's input; going over one is an error or a warning that names it. */
export const LIMITS = {
  /** edition.yaml, front matter blocks and each file of a template. */
  configBytes: 1 * MiB,
  /** One article file (a 2 MB article paginates to about 340 A4 pages in about 20 s). */
  articleBytes: 4 * MiB,
  /** All articles of an edition together. */
  editionBytes: 16 * MiB,
  /** Articles placed by edition.yaml. */
  articles: 1000,
  /** Entries of `pages:` in edition.yaml. */
  planPages: 500,
  /** Images (figures and inline images) in the whole edition: each costs Paged.js about 20 ms. */
  images: 1000,
  /** One image file. */
  imageBytes: 64 * MiB,
  /** Width × height of one image: a small file can claim a huge canvas (a decompression bomb). */
  imagePixels: 100_000_000,
  /** Element nesting of raw HTML (with `html: true`); deeper elements are dropped. */
  htmlNesting: 64,
  /** YAML aliases in one document (the "billion laughs" expansion is refused). */
  yamlAliases: 100,
  /** Longer words are not hyphenated (the patterns are quadratic); they break anywhere instead. */
  hyphenateWordChars: 100,
  /** Pages Paged.js may lay out for one edition. */
  pages: 2000,
} as const;

/** How long Chromium may take, in ms (set in seconds through the environment). */
export interface TimeBudgets {
  /** Chromium must start within this. PAIBAN_LAUNCH_TIMEOUT. */
  launchMs: number;
  /** Paged.js must lay out each next page within this; printing gets this much per page. PAIBAN_PAGE_TIMEOUT. */
  pageMs: number;
  /** The browser work for one edition (load, lay out, measure, print) must finish within this. PAIBAN_TIMEOUT. */
  buildMs: number;
}

export const DEFAULT_BUDGETS: TimeBudgets = { launchMs: 30_000, pageMs: 60_000, buildMs: 600_000 };

/** The time budgets, from the environment (seconds) or the defaults. Read at each call. */
export function timeBudgets(env: NodeJS.ProcessEnv = process.env): TimeBudgets {
  const secs = (name: string, fallback: number) => {
    const v = env[name];
    if (v === undefined || v.trim() === '') return fallback;
    const n = Number(v);
    return Number.isFinite(n) && n > 0 ? Math.round(n * 1000) : fallback;
  };
  return {
    launchMs: secs('PAIBAN_LAUNCH_TIMEOUT', DEFAULT_BUDGETS.launchMs),
    pageMs: secs('PAIBAN_PAGE_TIMEOUT', DEFAULT_BUDGETS.pageMs),
    buildMs: secs('PAIBAN_TIMEOUT', DEFAULT_BUDGETS.buildMs),
  };
}

/** `4 MB`, `1000`: a limit as a person reads it. */
export function formatBytes(n: number): string {
  return n >= MiB ? `${(n / MiB).toFixed(n % MiB ? 1 : 0)} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} bytes`;
}

/** Where a limit is set, for messages: "limits.images in src/limits.ts". */
export function limitName(key: keyof typeof LIMITS): string {
  return `limits.${key} in src/limits.ts`;
}

/**
 * Edition-wide limits on rendered articles (per-file limits are checked while loading). Going over
 * stops the build before the browser: LimitExceeded, against the article that goes over.
 */
export function checkRenderedLimits(articles: RenderedArticle[]): void {
  let images = 0;
  for (const a of articles) {
    images += (a.html.match(/<img\b/g) ?? []).length;
    if (images > LIMITS.images) {
      throw new PaibanError('LimitExceeded', `the edition has more than ${LIMITS.images} images (${images} up to and including this article): paiban lays out at most ${LIMITS.images} per edition (${limitName('images')})`, {
        where: { file: a.file },
        hint: 'split the edition into several, or use fewer images',
      });
    }
  }
}
