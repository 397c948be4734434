/**
 * The schema is the single source of the edition's configuration: types, defaults and the
 * messages a user sees when a value is wrong. Field docs here are what docs/writing.md repeats.
 */
import { z } from 'zod';

/** Units a length may carry (case-insensitive), and points per unit. */
const UNITS = { mm: 72 / 25.4, cm: 720 / 25.4, in: 72, pt: 1, px: 0.75 } as const;
const LENGTH = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(mm|cm|in|pt|px)\s*$/i;

/**
 * A length with its unit (mm, cm, in, pt, px), e.g. `3mm`. Returned as points. A bare number is
 * an error: `bleed: 3` could mean points, millimetres or pixels, and a wrong guess prints wrong.
 */
export const Length = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const m = typeof v === 'string' ? LENGTH.exec(v) : null;
  if (m) return toPoints(v);
  const n = typeof v === 'number' ? String(v) : (/^\s*(\d+(?:\.\d+)?)/.exec(v)?.[1] ?? '3');
  const hint = `write ${n}mm, ${n}pt or ${n}in (mm, cm, in, pt and px are understood)`;
  const message = typeof v === 'number' ? `${v} has no unit (a bare number could be points, millimetres or pixels)` : `"${v}" is not a length`;
  ctx.addIssue({ code: 'custom', message, params: { hint } });
  return z.NEVER;
});

export function toPoints(v: number | string): number {
  if (typeof v === 'number') return v;
  const m = LENGTH.exec(v);
  if (!m) throw new Error(`not a length: ${v}`);
  return Number(m[1]) * UNITS[m[2]!.toLowerCase() as keyof typeof UNITS];
}

/** Chinese type sizes (字号) in points: 五号 is 10.5pt, 小五 9pt. */
export const CHINESE_SIZES: Record<string, number> = {
  初号: 42, 小初: 36, 一号: 26, 小一: 24, 二号: 22, 小二: 18, 三号: 16, 小三: 15, 四号: 14, 小四: 12, 五号: 10.5, 小五: 9, 六号: 7.5, 小六: 6.5, 七号: 5.5, 八号: 5,
};

/** A type size: a length with its unit, or a Chinese size name (五号, 小五). Returned as points. */
export const FontSize = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const named = typeof v === 'string' ? CHINESE_SIZES[v.trim().replace(/字$/, '')] : undefined;
  if (named !== undefined) return named;
  const r = Length.safeParse(v);
  if (r.success) return r.data;
  for (const issue of r.error.issues) ctx.addIssue({ ...issue, params: { hint: `${(issue as { params?: { hint?: string } }).params?.hint ?? ''}, or a Chinese size such as 五号 or 小五` } } as never);
  return z.NEVER;
});

/** Named paper sizes, trim size in millimetres (width × height). Names are case-insensitive. */
export const PAPERS = {
  broadsheet: { width: 390, height: 540 },
  berliner: { width: 315, height: 470 },
  tabloid: { width: 270, height: 390 },
  a3: { width: 297, height: 420 },
  a4: { width: 210, height: 297 },
  letter: { width: 215.9, height: 279.4 },
} as const;
export type PaperName = keyof typeof PAPERS;

/** `broadsheet (390 × 540 mm), …`: the names an edition may give, for messages and docs. */
export function paperList(): string {
  return Object.entries(PAPERS).map(([n, p]) => `${n} (${p.width} × ${p.height} mm)`).join(', ');
}

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

/**
 * A slot's rectangle on the page grid (template.yaml `grid: { columns, rows }`), 1-based: it starts at
 * `column` and `row` and spans `columns` × `rows`. Its box never depends on what it holds.
 */
export const SlotRect = z.strictObject({
  column: z.number().int().positive().default(1),
  columns: z.number().int().positive(),
  row: z.number().int().positive().default(1),
  rows: z.number().int().positive(),
  /** The page's lead story: the largest headline (default for slots named lead and top). */
  lead: z.boolean().optional(),
  description: z.string().optional(),
});

/** A slot's depth set per page: a number of grid rows, or a share of them ("60%"). */
export const SlotDepth = z.union([
  z.number().int().positive(),
  z.string().regex(/^\s*\d{1,3}(\.\d+)?\s*%\s*$/, 'a number of grid rows such as 12, or a share of the rows such as "60%"'),
]);

export const PagePlan = z.strictObject({
  layout: z.string().min(1),
  /**
   * How deep slots of this page run (grid rows, or "60%"): moves the slot's bottom edge, and the top
   * edge of the slots that start right under it.
   */
  depths: z.record(z.string(), SlotDepth).optional(),
  /** The page's own slots, replacing the layout's (fixed layouts): what `paiban plan` writes. */
  slots: z.record(z.string().regex(/^[A-Za-z][\w-]*$/, 'a slot name: letters, digits, - and _'), SlotRect).optional(),
  section: z.string().optional(),
  /** A banner (通栏) across the top of the page, e.g. the special report's title. */
  banner: z.string().optional(),
  /** Responsible editor (责任编辑) for the folio line. */
  editor: z.string().optional(),
  articles: z.array(ArticlePlan).default([]),
  /** A line set at the foot of the page, e.g. 本版图片由……提供. */
  credit: z.string().optional(),
});

/**
 * A story of the docket (稿件) of an edition planned by paiban (`pages: auto`, src/plan/): its file
 * and priority (1 most important … 5), optionally its section, whether it may continue on a later
 * page, and pins: the page it must go on and the slot it must take there.
 */
export const DocketEntry = z.strictObject({
  file: z.string().min(1, 'give the article file, e.g. file: harbour.md'),
  priority: z.number({ error: 'a priority from 1 (most important) to 5' }).int('a whole priority from 1 to 5').min(1, 'priorities run from 1 (most important) to 5').max(5, 'priorities run from 1 (most important) to 5'),
  section: z.string().min(1).optional(),
  /** false: the story is placed whole or held over, never continued on another page. */
  jump: z.boolean().default(true),
  /** Pin: the plan page (from 1) the story goes on. */
  page: z.number().int().positive().optional(),
  /** Pin: the slot on that page: `lead` (the page's lead story), or a slot the page's plan names. */
  slot: z.string().regex(/^[A-Za-z][\w-]*$/, 'a slot name: letters, digits, - and _').optional(),
});

/** One page of the plan's budget: its section and what its folio line and foot carry. */
export const PlanPage = z.strictObject({
  section: z.string().optional(),
  banner: z.string().optional(),
  editor: z.string().optional(),
  credit: z.string().optional(),
  /** The layout this page is planned on (default: the template's, front for page 1). */
  layout: z.string().min(1).optional(),
});

/** How paiban plans the pages (`pages: auto`, or `paiban plan`): the page budget and its rules. */
export const PlanOptions = z.strictObject({
  /** How many pages to fill: a number, or one entry per page with its section. */
  pages: z.union([z.number().int().min(1).max(60), z.array(PlanPage).min(1).max(60)]),
  /** Layouts of the template the planner may compose pages on (default: the template's planning.layouts). */
  layouts: z.array(z.string().min(1)).min(1).optional(),
  /** false: no story continues on another page. */
  jumps: z.boolean().default(true),
});

const PaperName = z.string().transform((v, ctx): PaperName => {
  const name = v.trim().toLowerCase();
  if (name in PAPERS) return name as PaperName;
  ctx.addIssue({ code: 'custom', message: `"${v}" is not a paper size paiban knows`, params: { hint: `use one of ${paperList()}, or give the trim size: paper: { width: 300mm, height: 420mm }` } });
  return z.NEVER;
});
const Paper = z.union([PaperName, z.strictObject({ width: Length, height: Length })]);

/** Who lays the pages out (src/layout/choice.ts): `auto` picks Paged.js for CSS only it implements. */
export const PaginatorChoice = z.enum(['auto', 'chromium', 'pagedjs']);
export type PaginatorChoice = z.infer<typeof PaginatorChoice>;

/** edition.yaml: every field, its type, default and error message (unknown fields are errors); EditionSchema checks them together. */
export const EditionFields = z.strictObject({
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
  /** `auto` (default): Chromium's own print layout, or Paged.js where the CSS needs it; or one of them always. */
  paginator: PaginatorChoice.optional(),
  print: z
    .strictObject({
      bleed: Length.default(toPoints('3mm')),
      marks: z.boolean().default(false),
      /**
       * Images placed at more than 1.5 × this resolution (ppi) are printed at it, as the press
       * presets of PDF export tools do; `false` prints every pixel (src/layout/print-images.ts).
       */
      downsample: z.union([z.literal(false), z.number().int().min(150).max(2400)]).default(300),
    })
    .default({ bleed: toPoints('3mm'), marks: false, downsample: 300 }),
  /** Raw HTML in Markdown: off unless true, then sanitized. */
  html: z.boolean().default(false),
  /** Body type, overriding the template's: size (e.g. 10.5pt, 五号) and leading (line height). */
  type: z.strictObject({ body: FontSize.optional(), leading: z.number().min(1).max(3).optional() }).optional(),
  /** Font families per role, overriding the template's stack. */
  fonts: z
    .strictObject({ body: z.string(), heading: z.string(), caption: z.string(), latin: z.string(), latinHeading: z.string(), fallback: z.string(), mono: z.string() })
    .partial()
    .optional(),
  /**
   * The page plan: a list of pages, or `auto` to have paiban plan them from the docket under
   * `articles:` with the budget under `plan:` (src/plan/). `paiban plan` writes the list.
   */
  pages: z.union([z.literal('auto'), z.array(PagePlan).min(1, 'an edition needs at least one page under pages:')], {
    error: (i) => (i.input === undefined ? undefined : 'is a list of pages (- layout: front …), or auto to plan them from the docket under articles:'),
  }),
  /** The page budget for planning (with `pages: auto`, or kept beside the list `paiban plan` wrote). */
  plan: PlanOptions.optional(),
  /** The docket (稿件) the planner places: every story with its priority. */
  articles: z
    .array(DocketEntry, {
      error: (i) => (i.input === null ? 'is empty: list the stories under it, one a line (- { file: a.md, priority: 1 })' : 'is a list of stories, one a line (- { file: a.md, priority: 1 })'),
    })
    .optional(),
});

/** The edition as validated: `pages: auto` becomes `auto: true` and an empty list, which the planner fills. */
export const EditionSchema = EditionFields.superRefine((c, ctx) => {
  if (c.pages === 'auto') {
    if (!c.plan) ctx.addIssue({ code: 'custom', path: ['pages'], message: 'auto needs a page budget', params: { hint: 'add plan: { pages: N } (docs/planning.md)' } });
    if (!c.articles?.length) ctx.addIssue({ code: 'custom', path: ['pages'], message: 'auto needs the docket of stories', params: { hint: 'list them under articles: ({ file: a.md, priority: 1 } …) (docs/planning.md)' } });
  }
  if (c.articles && !c.plan && c.pages !== 'auto') ctx.addIssue({ code: 'custom', path: ['articles'], message: 'the docket for planning needs a page budget', params: { hint: 'give it under plan: { pages: N } (docs/planning.md)' } });
}).transform(({ pages, ...rest }) => ({ ...rest, pages: pages === 'auto' ? [] : pages, auto: pages === 'auto' }));

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
export type SlotRect = z.infer<typeof SlotRect>;
export type DocketEntry = z.infer<typeof DocketEntry>;
export type PlanOptions = z.infer<typeof PlanOptions>;
export type PlanPage = z.infer<typeof PlanPage>;
/** An article's front matter as validated. */
export type FrontMatter = z.infer<typeof FrontMatterSchema>;

/** Trim size of the edition's paper, in points. */
export function trimSize(config: EditionConfig): { width: number; height: number } {
  const p = config.paper;
  if (typeof p === 'string') return { width: toPoints(`${PAPERS[p].width}mm`), height: toPoints(`${PAPERS[p].height}mm`) };
  return p;
}
