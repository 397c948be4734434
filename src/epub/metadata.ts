/**
 * Edition-level facts for the EPUB package: a stable identifier, dates in the formats the OPF
 * wants, file names, and the few words the book itself says (labels, description, accessibility
 * summary) in the edition's language. Nothing here reads the clock or the locale.
 */
import { createHash } from 'node:crypto';
import type { EditionConfig } from '../config/schema.ts';

/** Chinese, Japanese, Korean (and Chinese varieties): bracketed bylines, CJK labels. */
export function isCjk(lang: string): boolean {
  return /^(zh|ja|ko|yue|wuu|hak|nan|cmn|gan|hsn)(-|$)/i.test(lang);
}

function isZh(lang: string): boolean {
  return /^(zh|yue|wuu|hak|nan|cmn|gan|hsn)(-|$)/i.test(lang);
}

/** Hashed in front of the name so paiban's UUIDs do not collide with other name-based schemes. */
const NAMESPACE = 'paiban:edition';

/**
 * `config.identifier`, else `urn:uuid:` + a name-based UUID built like v5 (RFC 4122 §4.3: hash of
 * namespace + name) but with SHA-256, so it carries version 8, as RFC 9562 §5.8 asks of custom
 * hashes (version 5 would claim SHA-1); same publication, date and title → same identifier.
 */
export function editionIdentifier(config: Pick<EditionConfig, 'identifier' | 'publication' | 'date' | 'title'>): string {
  if (config.identifier?.trim()) return config.identifier.trim();
  const h = createHash('sha256').update(`${NAMESPACE}\n${config.publication}\n${config.date}\n${config.title}`, 'utf8').digest();
  const b = Buffer.from(h.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x80; // version 8 (RFC 9562 custom: SHA-256 name-based)
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const x = b.toString('hex');
  return `urn:uuid:${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** `YYYY-MM-DDThh:mm:ssZ`, the only form `dcterms:modified` accepts. */
export function w3cDateTime(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new TypeError('the EPUB timestamp is not a valid date');
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The edition date as a reader writes it: 2022年6月15日, 15 June 2022 (no Intl: ICU data varies). */
export function humanDate(iso: string, lang: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isCjk(lang) ? `${y}年${mo}月${d}日` : `${d} ${MONTHS[mo - 1]} ${y}`;
}

/**
 * A file-name-safe, XML-name-safe stem: ASCII letters, digits, `-` and `_` kept; anything else
 * replaced, and then a short hash of the original added so that different ids stay different.
 */
export function safeStem(id: string): string {
  const clean = id.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  if (clean === id && clean !== '') return clean;
  const hash = createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 8);
  return clean ? `${clean}-${hash}` : hash;
}

/** Stems made unique (case-insensitively: some readers unpack onto case-insensitive disks). */
export function uniqueStems(ids: string[], reserved: string[] = []): string[] {
  const seen = new Set(reserved.map((r) => r.toLowerCase()));
  return ids.map((id) => {
    const base = safeStem(id);
    let stem = base;
    for (let n = 2; seen.has(stem.toLowerCase()); n++) stem = `${base}-${n}`;
    seen.add(stem.toLowerCase());
    return stem;
  });
}

export interface Labels {
  toc: string;
  landmarks: string;
  cover: string;
  bodymatter: string;
  notes: string;
  coverAlt: string;
  description: string;
  summary: string;
}

export interface LabelFacts {
  config: EditionConfig;
  sections: number;
  articles: number;
  figures: number;
  hasCover: boolean;
  hasNotes: boolean;
}

/** What the book says about itself, in the edition's language. */
export function labels(f: LabelFacts): Labels {
  const { config } = f;
  const lang = config.language;
  const date = humanDate(config.date, lang);
  if (isZh(lang)) {
    return {
      toc: '目录',
      landmarks: '导航',
      cover: '封面',
      bodymatter: '正文',
      notes: '注释',
      coverAlt: `${config.publication}${date}第1版版面`,
      description: config.description?.trim() || `${config.publication}${date}《${config.title}》电子版，共${f.sections}个版面、${f.articles}篇文章。`,
      summary:
        '本电子书为可重排版式，字号、字体和行距可由阅读系统调整。目录按版面列出全部文章，每篇文章以标题开头、小标题分级，阅读顺序与印刷版一致。' +
        (f.figures > 0 ? '所有图片均附有替代文字（取自图片说明）。' : '') +
        (f.hasCover ? '封面为头版版面图像，并附有文字说明。' : '') +
        (f.hasNotes ? '注释与正文双向链接。' : '') +
        '不含闪烁、声音或动作模拟等危险因素。',
    };
  }
  return {
    toc: 'Contents',
    landmarks: 'Landmarks',
    cover: 'Cover',
    bodymatter: 'Start of content',
    notes: 'Notes',
    coverAlt: `Front page of ${config.publication}, ${date}`,
    description:
      config.description?.trim() ||
      `${config.title}: the ${date} edition of ${config.publication}, ${f.sections} ${f.sections === 1 ? 'section' : 'sections'} and ${f.articles} ${f.articles === 1 ? 'article' : 'articles'}.`,
    summary:
      'This is a reflowable e-book: reading systems can change the type size, typeface and line spacing. ' +
      'The table of contents lists every article by page; each article opens with its headline and uses nested subheadings; the reading order follows the printed edition. ' +
      (f.figures > 0 ? 'Every image has a text alternative taken from its caption. ' : '') +
      (f.hasCover ? 'The cover is an image of the front page, with a text description. ' : '') +
      (f.hasNotes ? 'Notes are linked to and from the text. ' : '') +
      'There are no flashing, sound or motion simulation hazards.',
  };
}
