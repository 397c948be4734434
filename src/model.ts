/**
 * The document model shared by the stages. Each stage takes one of these and returns the next;
 * only the orchestrator (src/build.ts) knows the order.
 */
import type { EditionConfig, FrontMatter, PagePlan } from './config/schema.ts';

/** Stage 1 (load): an edition read from disk and validated. */
export interface Edition {
  /** Absolute, symlink-resolved path of the edition folder. */
  dir: string;
  /** The folder's name: output files are `<slug>.pdf`, `<slug>.epub`, … */
  slug: string;
  /** Absolute path of edition.yaml. */
  configFile: string;
  config: EditionConfig;
  articles: ArticleSource[];
  /** Every file read, for the manifest: path relative to `dir`, sha256 and size. */
  inputs: InputFile[];
}

export interface InputFile {
  path: string;
  sha256: string;
  size: number;
}

/** An article as read from disk: front matter and Markdown body. */
export interface ArticleSource {
  /** Stable id derived from the file name (`interview.md` → `interview`), unique in the edition. */
  id: string;
  /** Path relative to the edition folder, as written in edition.yaml. */
  file: string;
  absPath: string;
  front: FrontMatter;
  /** Markdown body after the front matter. */
  body: string;
  /** 1-based line in the file where the body starts (to map markdown-it's Token.map to file lines). */
  bodyLine: number;
}

/** Stage 2 (render): one article rendered to HTML, shared by the print and EPUB writers. */
export interface RenderedArticle {
  id: string;
  file: string;
  front: FrontMatter;
  /** Body HTML (well-formed XHTML-compatible fragment: void elements self-closed). */
  html: string;
  /** Plain text of the body as a reader sees it, for "nothing lost" checks. */
  text: string;
  figures: FigureRef[];
  /** Footnotes are rendered inside `html`; this says whether there are any. */
  hasFootnotes: boolean;
  /** Language of the article (front matter `lang`, else the edition's). */
  language: string;
}

/** A figure of a rendered article: the image file, its caption, credit and alt text. */
export interface FigureRef {
  /** Path relative to the edition folder, already checked to stay inside it. */
  src: string;
  absPath: string;
  caption: string;
  credit?: string;
  alt: string;
}

/** A page of the plan with its articles resolved. */
export interface PlannedPage {
  /** 1-based page number as printed (第N版). */
  number: number;
  plan: PagePlan;
}

export type { EditionConfig, FrontMatter, PagePlan };
