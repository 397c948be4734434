/**
 * The benchmark's editions, written into a folder from the real texts of texts.ts:
 * - `newspaper-N`: N broadsheet pages of the newspaper template, section fronts (`front`) and inside
 *   pages (`feature`), every slot filled with an article cut to about what the slot holds, photos
 *   from the demo edition; Chinese with an English section.
 * - `flow-N`: about N book-sized pages (148 × 210 mm) of `flow` layout, one third classical Chinese
 *   prose and two thirds English novels, alternating by part, the same mix at every N, so time per
 *   page can be compared across sizes.
 * Generated, not committed: the same package versions give byte-identical editions.
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chinesePieces, englishPieces, markdownText, size, type Piece } from './texts.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEMO = path.join(ROOT, 'content', 'zjrb-2022-06-15');

/**
 * Characters a flow page holds (measured with paiban on these texts, 148 × 210 mm, 10.5 pt in two
 * columns): used to budget the text for a page count. When the template changes, the bench's
 * warm-up build finds the count off and regenerates the edition with the text scaled to fit.
 */
export const FLOW_CHARS_PER_PAGE = { zh: 530, en: 1450 };
/** Share of the flow edition's pages set in Chinese. */
const ZH_SHARE = 1 / 3;

function yamlString(s: string): string {
  return JSON.stringify(s);
}

/** An article file; `body` is Markdown blocks. */
function article(p: Piece, body: string[]): string {
  const front = [`title: ${yamlString(p.title)}`];
  if (p.kicker) front.push(`kicker: ${yamlString(p.kicker)}`);
  if (p.byline) front.push(`byline: ${yamlString(p.byline)}`);
  if (p.lang === 'en') front.push('lang: en');
  return `---\n${front.join('\n')}\n---\n\n${body.join('\n\n')}\n`;
}

function editionYaml(fields: Record<string, string>, pages: string[]): string {
  return `${Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('\n')}\npages:\n${pages.join('\n')}\n`;
}

function fresh(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}

/**
 * Flow edition of about `pages` pages; `scale` multiplies the text (the bench calibrates it when the
 * layout has changed and the count is off). Returns the edition folder.
 */
export function writeFlowEdition(parent: string, pages: number, scale = 1): string {
  const dir = path.join(parent, `flow-${pages}`);
  fresh(dir);
  const take = (pieces: Piece[], budget: number) => {
    const out: Piece[] = [];
    let n = 0;
    for (const p of pieces) {
      if (n >= budget) break;
      out.push(p);
      n += size(p);
    }
    if (n < budget) throw new Error(`the texts hold ${n} characters, fewer than the ${budget} a ${pages}-page flow edition needs`);
    return out;
  };
  const zh = take(chinesePieces(), pages * ZH_SHARE * FLOW_CHARS_PER_PAGE.zh * scale);
  const en = take(englishPieces(), pages * (1 - ZH_SHARE) * FLOW_CHARS_PER_PAGE.en * scale);
  // Parts in order, alternating: a Chinese part, then English until the English share catches up.
  const parts = (list: Piece[]) => {
    const m = new Map<string, Piece[]>();
    for (const p of list) m.set(p.part, [...(m.get(p.part) ?? []), p]);
    return [...m.entries()];
  };
  const zhParts = parts(zh);
  const enParts = parts(en);
  const order: [string, Piece[]][] = [];
  let zi = 0;
  let ei = 0;
  let zhDone = 0;
  let enDone = 0;
  const zhTotal = zh.reduce((a, p) => a + size(p), 0);
  const enTotal = en.reduce((a, p) => a + size(p), 0);
  while (zi < zhParts.length || ei < enParts.length) {
    const zhAhead = zhDone / zhTotal > enDone / enTotal;
    if (ei < enParts.length && (zhAhead || zi >= zhParts.length)) {
      const part = enParts[ei++]!;
      order.push(part);
      enDone += part[1].reduce((a, p) => a + size(p), 0);
    } else {
      const part = zhParts[zi++]!;
      order.push(part);
      zhDone += part[1].reduce((a, p) => a + size(p), 0);
    }
  }
  const plan: string[] = [];
  let n = 0;
  for (const [part, pieces] of order) {
    plan.push(`  - layout: flow\n    section: ${yamlString(part)}\n    articles:`);
    for (const p of pieces) {
      const file = `a${String(++n).padStart(4, '0')}.md`;
      writeFileSync(path.join(dir, file), article(p, p.paragraphs.map(markdownText)));
      plan.push(`      - { file: ${file} }`);
    }
  }
  writeFileSync(
    path.join(dir, 'edition.yaml'),
    editionYaml(
      {
        title: yamlString(`古文與小說 Classical prose and novels (${pages} pages)`),
        publication: yamlString('paiban bench'),
        date: '2024-01-15',
        language: 'zh-CN',
        description: yamlString('A long flowing edition for paiban\'s benchmark: 古文觀止, 孟子, 论语, Moby Dick, Emma, Sense and Sensibility'),
        paper: '{ width: 148mm, height: 210mm }',
        type: '{ body: 10.5pt, leading: 1.6 }',
        print: '{ bleed: 3mm, marks: false }',
      },
      plan,
    ),
  );
  return dir;
}

/** Characters each slot gets (9 pt broadsheet): about what it holds, so few slots are overset. */
const SLOT_CHARS: Record<string, number> = { lead: 2600, second: 1300, side: 2200, photo: 300, top: 2400, left: 1550, middle: 1500, right: 1150 };
// The front page's photo slot stays empty: its grid is broken when filled (see docs/performance.md).
const LAYOUT_SLOTS = { front: ['lead', 'second', 'side'], feature: ['top', 'left', 'middle', 'right'] } as const;
const IMAGES = ['huangdu-tea-garden.png', 'zju-math-team.png', 'village-election.png', 'courier-party-members.png', 'tiantai-flood-evacuation.png'];

function cut(paragraphs: string[], chars: number, lang: 'zh' | 'en'): string[] {
  const out: string[] = [];
  let n = 0;
  for (const p of paragraphs) {
    if (n + p.length <= chars) {
      out.push(p);
      n += p.length;
      continue;
    }
    // Cut the paragraph at the last sentence end that fits; keep at least one sentence.
    const room = chars - n;
    const ends = [...p.matchAll(lang === 'zh' ? /[。！？]”?/g : /[.!?]["”']?\s/g)].map((m) => m.index! + m[0].length).filter((i) => i <= room);
    const at = ends.length ? ends[ends.length - 1]! : out.length === 0 ? (p.match(lang === 'zh' ? /^.*?[。！？]/ : /^.*?[.!?]\s/)?.[0].length ?? p.length) : 0;
    if (at > 0) out.push(p.slice(0, at).trim());
    break;
  }
  return out;
}

/** Newspaper edition of `pages` broadsheet pages. Returns the edition folder. */
export function writeNewspaperEdition(parent: string, pages = 24): string {
  const dir = path.join(parent, `newspaper-${pages}`);
  fresh(dir);
  cpSync(path.join(DEMO, 'images'), path.join(dir, 'images'), { recursive: true });
  const zh = chinesePieces();
  const en = englishPieces();
  // Pages 1, 9, 17 … are section fronts; the last quarter of the pages is an English section.
  const englishFrom = Math.floor((pages * 3) / 4) + 1;
  const sections = ['要闻', '文史', '观察', 'World'];
  let zi = 0;
  let ei = 0;
  let img = 0;
  let n = 0;
  const plan: string[] = [];
  for (let page = 1; page <= pages; page++) {
    const english = page >= englishFrom;
    const layout = page === 1 || (page - 1) % 8 === 0 || page === englishFrom ? 'front' : 'feature';
    const section = english ? sections[3]! : sections[Math.min(2, Math.floor((page - 1) / 8))]!;
    const lines = [`  - layout: ${layout}`, `    section: ${yamlString(section)}`, `    editor: ${yamlString(english ? 'A. Editor' : '沈吟')}`];
    if (layout === 'front' && page === 1) lines.push(`    banner: ${yamlString('古文觀止·名篇选读')}`);
    lines.push('    articles:');
    for (const slot of LAYOUT_SLOTS[layout]) {
      const chars = SLOT_CHARS[slot]! * (english ? 1.9 : 1);
      // Classical essays are short: a slot takes the next ones, each under its own subhead, until it is full.
      const first = english ? en[ei++ % en.length]! : zh[zi++ % zh.length]!;
      const body: string[] = [];
      let room = chars;
      for (let p = first; ; p = zh[zi++ % zh.length]!) {
        const paras = p === first || room >= 300 ? cut(p.paragraphs, room, p.lang) : [];
        if (!paras.length) {
          if (p !== first) zi--;
          break;
        }
        if (p !== first) body.push(`## ${markdownText(p.title)}`);
        body.push(...paras.map(markdownText));
        room -= paras.reduce((a, s) => a + s.length, 0) + (p === first ? 0 : 20);
        if (english || room < chars * 0.1) break;
      }
      const extra: string[] = [];
      if (slot === 'lead' || slot === 'top') {
        const image = IMAGES[img++ % IMAGES.length]!;
        const caption = english ? `Pictured: ${first.title}, ${first.book}.` : `图为《${first.title}》配图（资料照片）。`;
        extra.push(`![${markdownText(caption)}](images/${image}){.wide}`);
      }
      const file = `p${String(page).padStart(2, '0')}-${slot}.md`;
      writeFileSync(path.join(dir, file), article(first, [...extra, ...body]));
      lines.push(`      - { file: ${file}, slot: ${slot} }`);
      n++;
    }
    plan.push(lines.join('\n'));
  }
  writeFileSync(
    path.join(dir, 'edition.yaml'),
    editionYaml(
      {
        title: yamlString('paiban 基准测试版'),
        publication: yamlString('排版日报'),
        date: '2024-01-15',
        language: 'zh-CN',
        description: yamlString(`A ${pages}-page newspaper edition for paiban's benchmark: ${n} articles from 古文觀止 and English novels`),
        template: 'newspaper',
        paper: 'broadsheet',
        print: '{ bleed: 3mm, marks: false }',
      },
      plan,
    ),
  );
  return dir;
}
