/**
 * epub-gen-memory, kept as the base (it lays out the OCF, normalises the chapter HTML to XHTML,
 * collects images, renders our EJS templates), with the parts that would break reproducibility
 * or safety taken over:
 *
 * - Images: it gives each `<img>` a random uuid file name and then fetches `src` (node-fetch for
 *   URLs, fs for file://). We rename its images deterministically right after its constructor
 *   and write the bytes we read ourselves, so it never touches the network or the disk.
 * - Text: its serialiser (entities 2) writes every non-ASCII character as `&#x…;` and every quote
 *   as `&quot;`/`&apos;`; we turn those back into UTF-8 and plain quotes.
 * - Attributes: its allow-list drops valid HTML attributes such as `<ol start>`; we extend it.
 * - The zip: we read its entries back (see entries()) and re-zip them ourselves (zip.ts), since
 *   JSZip stamps the clock into every entry.
 */
import { EPub, type Chapter, type Options } from 'epub-gen-memory';
import { allowedAttributes } from 'epub-gen-memory/dist/lib/util/constants.js';
import type { ImageData } from './images.ts';
import { decodeCharRefs, plainQuotesInText } from './markup.ts';
import type { TemplateData } from './templates.ts';

export interface HeldImage extends ImageData {
  /** File stem inside `OEBPS/images/` (and manifest id after `img-`). */
  stem: string;
}

export type PaibanOptions = Options & { paiban: TemplateData };
export type PaibanChapter = Chapter & { filename: string; lang: string; bodyClass: string };

/** HTML attributes valid in EPUB 3 XHTML that epub-gen-memory's allow-list lacks. */
const MORE_ATTRIBUTES = ['start', 'reversed', 'value', 'datetime', 'cite', 'abbr', 'scope', 'headers', 'span', 'width', 'height'];

/**
 * Let `names` through epub-gen-memory's attribute filter. The list is module state shared by all
 * its users; we only ever add valid HTML attributes, so this is safe to repeat.
 */
function allowAttributes(names: Iterable<string>): void {
  // Declared `readonly` (as const) in its typings, but a plain array at run time.
  const list = allowedAttributes as readonly string[] as string[];
  for (const n of names) if (!list.includes(n)) list.push(n);
}

export class PaibanEpub extends EPub {
  private readonly held: Map<string, HeldImage>;

  /** `held`: image bytes by the `src` written in the chapters; every `<img>` must be one of them. */
  constructor(options: PaibanOptions, chapters: PaibanChapter[], held: Map<string, HeldImage>) {
    const dataAttributes = chapters.flatMap((c) => [...c.content.matchAll(/\s(data-[a-z0-9-]+)="/g)].map((m) => m[1]!));
    allowAttributes([...MORE_ATTRIBUTES, ...dataAttributes]);
    super(options, chapters);
    this.held = held;
    const renames: [string, string][] = [];
    for (const img of this.images) {
      const h = held.get(img.url);
      if (!h) throw new Error(`epub: no bytes for image ${img.url}`);
      renames.push([`images/${img.id}.${img.extension}`, `images/${h.stem}.${h.extension}`]);
      Object.assign(img, { id: h.stem, extension: h.extension, mediaType: h.mediaType });
    }
    for (const ch of this.content) {
      let text = ch.content;
      for (const [from, to] of renames) text = text.split(from).join(to);
      ch.content = plainQuotesInText(decodeCharRefs(text));
    }
  }

  /** Replaces the download: the bytes were read by us from inside the edition. */
  protected override async downloadAllImages(): Promise<void> {
    const dir = this.zip.folder('OEBPS')!.folder('images')!;
    for (const img of this.images) {
      const h = this.held.get(img.url)!;
      dir.file(`${h.stem}.${h.extension}`, h.bytes);
    }
  }

  /** No fonts are embedded: reading systems use their own CJK faces (fonts would add megabytes). */
  protected override async downloadAllFonts(): Promise<void> {}

  /** Every file of the rendered book, folders left out. */
  async entries(): Promise<Map<string, Uint8Array>> {
    await this.render();
    const out = new Map<string, Uint8Array>();
    for (const [name, file] of Object.entries(this.zip.files)) {
      if (!file.dir) out.set(name, await file.async('uint8array'));
    }
    return out;
  }
}
