/**
 * Dockets for the planning bench: `pages: auto` editions of stories cut from the public-domain texts
 * of texts.ts (classical Chinese prose), with priorities, a few long stories that may have to
 * continue, and wide photos (generated PNGs: gradients with a few bands, at 3:2 and 4:3). Sized by
 * the room the stories take: each story's area on the page grid is estimated from its text and its
 * photo (AREA, measured on the planner's own measures), and stories are added until the docket takes
 * `factor` times what the pages hold. The bench reports the ratio of text the plan placed.
 * Deterministic: the same texts give the same files.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { markdownText, size, type Piece } from './texts.ts';

/**
 * A story's area on a broadsheet page's grid (8 columns × 60 rows), in grid cells (a column by a
 * row), at four columns as set: per character of text, for the head (headline, kicker, byline), and
 * for a wide photo with its caption. Fitted on the planner's measures of the bench's stories (98
 * stories, src/plan/measure.ts; docs/planning.md).
 */
export const AREA = { perChar: 0.0555, head: 13, photo: 66 };

/** Cells a page holds: the grid's 480, page 1 less (its masthead makes its rows shallower: 29.9 px against 31.7). */
export const PAGE_CELLS = { front: 452, inside: 480 };

/** What `pages` pages hold, in cells. */
export function pagesCells(pages: number): number {
  return PAGE_CELLS.front + (pages - 1) * PAGE_CELLS.inside;
}

export interface DocketOptions {
  pages: number;
  /** Docket size as a multiple of what the pages hold (by the stories' estimated area). */
  factor: number;
  /** Skip this many pieces first (different dockets from the same texts). */
  offset?: number;
}

/** Priorities by position in the docket: a few 1s, more 3s and 4s, like a night's copy. */
const PRIORITIES = [1, 3, 2, 4, 5, 3, 2, 4, 3, 5, 4, 1, 3, 5, 2, 4, 3, 5, 4, 3];

async function photo(file: string, seed: number, wide: boolean): Promise<void> {
  // Large enough for a photo across a broadsheet page at 150 ppi and more.
  const width = 2400;
  const height = wide ? 1600 : 1800;
  const px = Buffer.alloc(width * height * 3);
  const hue = (seed * 47) % 255;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const band = Math.floor((y / height) * 5 + Math.sin((x + seed * 13) / 240)) % 2;
      const i = (y * width + x) * 3;
      px[i] = (hue + x / 16) % 255;
      px[i + 1] = 90 + band * 60 + (y / height) * 60;
      px[i + 2] = 200 - (x / width) * 120;
    }
  }
  await sharp(px, { raw: { width, height, channels: 3 } }).png({ compressionLevel: 9 }).toFile(file);
}

function yaml(s: string): string {
  return JSON.stringify(s);
}

/** A `pages: auto` edition in `parent/name`: the docket and its files. Returns the folder and the docket's size (× what the pages hold, by the stories' estimated area). */
export async function writeDocketEdition(parent: string, name: string, pieces: Piece[], opts: DocketOptions): Promise<{ dir: string; size: number }> {
  const dir = path.join(parent, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'images'), { recursive: true });
  const target = opts.factor * pagesCells(opts.pages);
  const entries: string[] = [];
  let n = 0;
  let cells = 0;
  const source = pieces.slice(opts.offset ?? 0).filter((p) => size(p) >= 120);
  for (let at = 0; at < source.length; n++) {
    const priority = PRIORITIES[n % PRIORITIES.length]!;
    // A news story's length: the important run longer, every seventh runs long (about half a page:
    // it may have to continue), the least important are briefs; short pieces are joined with the
    // next ones of the same book.
    const want = n % 7 === 3 ? 3400 : priority <= 2 ? 1300 + (n % 3) * 250 : 400 + (n % 4) * 160;
    const p = source[at]!;
    const paragraphs: string[] = [];
    let len = 0;
    while (at < source.length && len < want && (paragraphs.length === 0 || source[at]!.book === p.book)) {
      for (const para of source[at]!.paragraphs) {
        if (len >= want) break;
        const cut = para.slice(0, Math.max(60, want - len));
        paragraphs.push(markdownText(cut));
        len += cut.length;
      }
      at++;
    }
    // The docket ends with the story that brings it nearest its size.
    const area = AREA.perChar * len + AREA.head + (n % 3 === 0 ? AREA.photo : 0);
    if (cells + area - target > target - cells) break;
    cells += area;
    const file = `s${String(n + 1).padStart(3, '0')}.md`;
    const front = [`title: ${yaml(p.title)}`];
    if (p.kicker) front.push(`kicker: ${yaml(p.kicker)}`);
    if (p.byline) front.push(`byline: ${yaml(p.byline)}`);
    const body = [...paragraphs];
    if (n % 3 === 0) {
      const img = `images/p${n + 1}.png`;
      await photo(path.join(dir, img), n, n % 2 === 0);
      body.unshift(`![图为${p.title}。](${img} "本报记者 摄"){.wide}`);
    }
    writeFileSync(path.join(dir, file), `---\n${front.join('\n')}\n---\n\n${body.join('\n\n')}\n`);
    entries.push(`  - { file: ${file}, priority: ${priority} }`);
  }
  writeFileSync(
    path.join(dir, 'edition.yaml'),
    [
      `title: ${yaml(`规划测试 ${opts.pages} 版`)}`,
      'publication: 测试日报',
      'date: 2022-06-15',
      'language: zh-CN',
      'paper: broadsheet',
      'pages: auto',
      `plan: { pages: ${opts.pages} }`,
      `# ${n} stories, about ${(cells / pagesCells(opts.pages)).toFixed(2)} × what ${opts.pages} page(s) hold (by their estimated area)`,
      'articles:',
      ...entries,
      '',
    ].join('\n'),
  );
  return { dir, size: cells / pagesCells(opts.pages) };
}
