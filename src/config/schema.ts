/**
 * The schema is the single source of the edition's configuration: types, defaults and the
 * messages a user sees when a value is wrong. Field docs here are what docs/writing.md repeats.
 */
import { z } from 'zod';

/** A CSS length in mm, cm, in, pt or px, e.g. `3mm`. Returned as points. */
export const Length = z
  .union([z.number().nonnegative(), z.string().regex(/^\s*\d+(\.\d+)?\s*(mm|cm|in|pt|px)\s*$/, 'a length such as 3mm, 0.5in or 8pt')])
  .transform((v) => toPoints(v));

export function toPoints(v: number | string): number {
  if (typeof v === 'number') return v;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|pt|px)\s*$/.exec(v);
  if (!m) throw new Error(`not a length: ${v}`);
  const n = Number(m[1]);
  const unit = m[2] as 'mm' | 'cm' | 'in' | 'pt' | 'px';
  return { mm: (n * 72) / 25.4, cm: (n * 720) / 25.4, in: n * 72, pt: n, px: n * 0.75 }[unit];
}

/** Named paper sizes, trim size in millimetres (width × height). */
export const PAPERS = {
  broadsheet: { width: 390, height: 540 },
  tabloid: { width: 270, height: 390 },
  a3: { width: 297, height: 420 },
  a4: { width: 210, height: 297 },
} as const;

const IsoDate = z
  .union([z.string(), z.date()])
  .transform((v, ctx) => {
    const s = v instanceof Date ? v.toISOString().slice(0, 10) : v;
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
    if (!m || !d || d.toISOString().slice(0, 10) !== s) {
      ctx.addIssue({ code: 'custom', message: `"${s}" is not a real calendar date; write it as YYYY-MM-DD, e.g. 2022-06-15` });
      return z.NEVER;
    }
    return s;
  });

const Continue = z.strictObject({
  page: z.number().int().positive(),
  slot: z.string().min(1),
});

export const ArticlePlan = z.strictObject({
  file: z.string().min(1, 'give the article file, e.g. file: interview.md'),
  slot: z.string().min(1).optional(),
  /** `auto`: copyfit the article to its slot within the template's range. */
  fit: z.enum(['auto', 'none']).default('none'),
  continue: Continue.optional(),
});

export const PagePlan = z.strictObject({
  layout: z.string().min(1),
  section: z.string().optional(),
  /** A banner (通栏) across the top of the page, e.g. the special report's title. */
  banner: z.string().optional(),
  /** Responsible editor (责任编辑) for the folio line. */
  editor: z.string().optional(),
  articles: z.array(ArticlePlan).default([]),
  /** A line set at the foot of the page, e.g. 本版图片由……提供. */
  credit: z.string().optional(),
});

const Paper = z.union([
  z.enum(Object.keys(PAPERS) as [keyof typeof PAPERS, ...(keyof typeof PAPERS)[]]),
  z.strictObject({ width: Length, height: Length }),
]);

/** edition.yaml: every field, its type, default and error message (unknown fields are errors). */
export const EditionSchema = z.strictObject({
  title: z.string().min(1),
  publication: z.string().min(1),
  date: IsoDate,
  language: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP 47 language tag such as zh-CN or en'),
  /** Stable identifier for the EPUB; derived from publication, date and title when absent. */
  identifier: z.string().optional(),
  description: z.string().optional(),
  subjects: z.array(z.string()).default([]),
  /** Edition number printed in the masthead (总第N期). */
  issue: z.string().optional(),
  template: z.string().default('newspaper'),
  paper: Paper.default('broadsheet'),
  print: z
    .strictObject({
      bleed: Length.default(toPoints('3mm')),
      marks: z.boolean().default(false),
      /**
       * Images placed at more than 1.5 × this resolution (ppi) are printed at it, as the press
       * presets of PDF export tools do; `false` prints every pixel (src/paginate/print-images.ts).
       */
      downsample: z.union([z.literal(false), z.number().int().min(150).max(2400)]).default(300),
    })
    .default({ bleed: toPoints('3mm'), marks: false, downsample: 300 }),
  /** Raw HTML in Markdown: off unless true, then sanitized. */
  html: z.boolean().default(false),
  /** Body type, overriding the template's: size (e.g. 10.5pt, 五号) and leading (line height). */
  type: z.strictObject({ body: Length.optional(), leading: z.number().min(1).max(3).optional() }).optional(),
  /** Font families per role, overriding the template's stack. */
  fonts: z
    .strictObject({ body: z.string(), heading: z.string(), caption: z.string(), latin: z.string(), latinHeading: z.string(), fallback: z.string() })
    .partial()
    .optional(),
  pages: z.array(PagePlan).min(1, 'an edition needs at least one page under pages:'),
});

/** An article's front matter: `title` is required; fields a template uses may be added. */
export const FrontMatterSchema = z.looseObject({
  title: z.string().min(1, 'every article needs a title (主题)'),
  kicker: z.string().optional(),
  deck: z.string().optional(),
  byline: z.string().optional(),
  /** Where the byline goes: under the headline (default) or bracketed at the end of the text. */
  bylinePosition: z.enum(['top', 'end']).default('top'),
  dateline: z.string().optional(),
  summary: z.string().optional(),
  credit: z.string().optional(),
  lang: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP 47 language tag such as zh-CN or en').optional(),
  /** Set the whole article as a boxed sidebar (资料/链接). */
  kind: z.enum(['article', 'sidebar']).default('article'),
});

/** edition.yaml as validated, defaults filled in. */
export type EditionConfig = z.infer<typeof EditionSchema>;
export type PagePlan = z.infer<typeof PagePlan>;
export type ArticlePlan = z.infer<typeof ArticlePlan>;
/** An article's front matter as validated. */
export type FrontMatter = z.infer<typeof FrontMatterSchema>;

/** Trim size of the edition's paper, in points. */
export function trimSize(config: EditionConfig): { width: number; height: number } {
  const p = config.paper;
  if (typeof p === 'string') return { width: toPoints(`${PAPERS[p].width}mm`), height: toPoints(`${PAPERS[p].height}mm`) };
  return p;
}
