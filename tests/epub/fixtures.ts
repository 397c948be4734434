/**
 * Editions for the EPUB tests. A small hand-made one: two sections, three articles (Chinese with
 * a figure, a footnote and a dateline; a boxed sidebar with an end byline; one in English with a
 * footnote), in the shape the render stage produces (markdown-it, xhtmlOut, footnote docIds).
 * An English one from Markdown (tests/epub/english/), through the real load and render stages.
 * And the checkers: epubcheck, DAISY Ace.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { EditionSchema } from '../../src/config/schema.ts';
import { Diagnostics } from '../../src/diagnostics.ts';
import type { EpubInput } from '../../src/epub/index.ts';
import { loadEdition } from '../../src/load/edition.ts';
import { renderArticles } from '../../src/markdown/render.ts';
import type { EditionConfig, RenderedArticle } from '../../src/model.ts';

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A valid RGB PNG of one colour. */
export function tinyPng(width: number, height: number, rgb: [number, number, number]): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'ascii');
    out.set(data, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter, no interlace
  const row = [0, ...Array.from({ length: width }, () => rgb).flat()];
  const raw = Uint8Array.from(Array.from({ length: height }, () => row).flat());
  const sig = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array())]);
}

export function config(over: Partial<Record<keyof EditionConfig, unknown>> = {}): EditionConfig {
  return EditionSchema.parse({
    title: '闪亮“浙”五年·特别报道 & 测试',
    publication: '浙江日报',
    date: '2022-06-15',
    language: 'zh-CN',
    subjects: ['浙江', '组织工作'],
    pages: [{ layout: 'front' }],
    ...over,
  });
}

type Front = RenderedArticle['front'];

export function article(id: string, front: Partial<Front> & { title: string }, html: string, extra: Partial<RenderedArticle> = {}): RenderedArticle {
  return {
    id,
    file: `${id}.md`,
    front: { bylinePosition: 'top', kind: 'article', ...front } as Front,
    html,
    text: html.replace(/<[^>]+>/g, ''),
    figures: [],
    hasFootnotes: html.includes('class="footnotes"'),
    language: front.lang ?? 'zh-CN',
    ...extra,
  };
}

/** The three articles and two sections; the figure's PNG is written to a temporary folder. */
export async function editionInput(): Promise<EpubInput> {
  const dir = await mkdtemp(path.join(tmpdir(), 'paiban-epub-'));
  const photo = path.join(dir, 'photo.png');
  await writeFile(photo, tinyPng(24, 16, [40, 90, 160]));

  const interview = article(
    'interview',
    { title: '交出守好“红色根脉”的新时代组工答卷', kicker: '闪亮“浙”五年', deck: '——专访省委组织部常务副部长张学伟', byline: '本报记者 沈吟', dateline: '本报杭州6月14日讯' },
    [
      '<p>“组织新形态、干部好状态。”张学伟说<sup class="footnote-ref"><a href="#fn-interview-1" id="fnref-interview-1">[1]</a></sup>，五年来成效全面彰显。</p>',
      '<h2>干部队伍全面加强</h2>',
      '<p>人才强省、创新强省首位战略扎实推进，详见<a href="talent.md">鲲鹏行动</a>与<a href="#nowhere">附表</a>。</p>',
      '<figure class="figure"><img src="images/photo.png" alt="图为浙江大学数学高等研究院“梦之队”" /><figcaption><span class="caption">图为浙江大学数学高等研究院“梦之队”</span><span class="credit">省委组织部供图</span></figcaption></figure>',
      '<blockquote class="pullquote">\n<p>唯实惟先、善作善成</p>\n</blockquote>',
      '<ol start="3">\n<li>整乡推进</li>\n<li>整县提升</li>\n</ol>',
      '<hr class="footnotes-sep" />\n<section class="footnotes">\n<ol class="footnotes-list">',
      '<li id="fn-interview-1" class="footnote-item"><p>见省委组织部2022年工作报告。 <a href="#fnref-interview-1" class="footnote-backref">↩︎</a></p>\n</li>',
      '</ol>\n</section>\n',
    ].join('\n'),
    { figures: [{ src: 'images/photo.png', absPath: photo, caption: '图为浙江大学数学高等研究院“梦之队”', credit: '省委组织部供图', alt: '图为浙江大学数学高等研究院“梦之队”' }] },
  );
  const talent = article(
    'talent',
    { title: '从“鲲鹏行动”计划 看浙江打造人才高地', byline: '本报记者 沈吟', bylinePosition: 'end', kind: 'sidebar' },
    '<p>“鲲鹏行动”计划是浙江深入实施人才强省战略的核心举措。</p>\n<aside class="sidebar">\n<p class="box-title">链接</p>\n<p>浙江已遴选产生48名顶尖人才。</p>\n</aside>\n',
  );
  const reform = article(
    'reform-en',
    { title: 'Reform, rebuilt & renewed', deck: 'How Zhejiang put party building at the centre of digital government', byline: 'Shen Yin', bylinePosition: 'end', lang: 'en' },
    [
      '<p>The province calls it <span lang="zh-CN">整体智治</span><sup class="footnote-ref"><a href="#fn-reform-en-1" id="fnref-reform-en-1">[1]</a></sup>: integrated, intelligent governance.</p>',
      '<p>Every county now runs its services on one platform.</p>',
      '<hr class="footnotes-sep" />\n<section class="footnotes">\n<ol class="footnotes-list">',
      '<li id="fn-reform-en-1" class="footnote-item"><p>Literally “whole, intelligent governance”. <a href="#fnref-reform-en-1" class="footnote-backref">↩︎</a></p>\n</li>',
      '</ol>\n</section>\n',
    ].join('\n'),
  );
  return {
    config: config(),
    slug: 'test-edition',
    sections: [
      { title: '第1版 特别报道', articles: [interview, talent] },
      { title: '第2版 要闻', articles: [reform] },
    ],
    cover: { image: tinyPng(30, 40, [230, 230, 220]) },
    timestamp: new Date('2022-06-15T08:30:00Z'),
    generator: 'paiban 0.1.0',
  };
}

const HOSTILE = '<script>alert("x")</script> & Co';

/**
 * An English book without a cover, whose every front-matter field tries to break out of its
 * context, with a broken WebP (a header and nothing else) and one inline image: neither can be carried.
 */
export async function hostileInput(): Promise<EpubInput> {
  const base = await editionInput();
  const figure = base.sections[0]!.articles[0]!.figures[0]!;
  const webp = `${figure.absPath}.broken.webp`;
  await writeFile(webp, Uint8Array.from([0x52, 0x49, 0x46, 0x46, 0x1a, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x20]));
  const a = article(
    'hostile',
    { title: HOSTILE, kicker: 'a < b', deck: `"quoted" & 'single'`, byline: '<i>nobody</i>', dateline: 'HANGZHOU & <elsewhere>', lang: 'en' },
    [
      '<p>Inline <img src="images/inline.png" alt="" /> image.</p>',
      '<figure class="figure"><img src="images/x.webp" alt="A WebP" /><figcaption><span class="caption">A WebP</span></figcaption></figure>',
    ].join('\n'),
    { figures: [{ src: 'images/x.webp', absPath: webp, caption: 'A WebP', alt: 'A WebP' }] },
  );
  return {
    config: config({ title: 'A & B <C>', language: 'en', identifier: 'urn:paiban:test&id', subjects: [] }),
    slug: 'hostile',
    sections: [{ title: '<Page 1> & "Features"', articles: [a] }, { title: 'Empty', articles: [] }],
    timestamp: new Date(0),
    generator: 'paiban <test>',
  };
}

export const EPUBCHECK = '/usr/share/java/epubcheck.jar';

/** Run epubcheck on the bytes; returns its whole output (stdout + stderr). */
export async function epubcheck(bytes: Uint8Array, name: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'paiban-epubcheck-'));
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  const r = spawnSync('java', ['-jar', EPUBCHECK, file], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
}

/** An English edition in Markdown: every element the stylesheet styles. */
export const ENGLISH_EDITION = fileURLToPath(new URL('./english', import.meta.url));

/** The English edition through load and render, by page of its plan ("Page 1 · News"); no cover. */
export async function englishInput(): Promise<{ input: EpubInput; diagnostics: Diagnostics }> {
  const edition = await loadEdition(ENGLISH_EDITION);
  const diagnostics = new Diagnostics();
  const articles = await renderArticles(edition.articles, { editionDir: edition.dir, config: edition.config, diagnostics });
  const byFile = new Map(articles.map((a) => [a.file, a]));
  const sections = edition.config.pages.map((p, i) => ({
    title: [`Page ${i + 1}`, p.section].filter(Boolean).join(' · '),
    articles: p.articles.map((x) => byFile.get(x.file)!),
  }));
  return { input: { config: edition.config, slug: edition.slug, sections, timestamp: new Date(`${edition.config.date}T00:00:00Z`), generator: 'paiban 0.1.0' }, diagnostics };
}

/** DAISY Ace (devDependency @daisy/ace-cli), run on Debian's Chromium. */
export const ACE = fileURLToPath(new URL('../../node_modules/@daisy/ace-cli/bin/ace.js', import.meta.url));
const CHROME = process.env.PAIBAN_CHROME ?? '/usr/bin/chromium';

export interface AceViolation {
  file: string;
  impact: string;
  rule: string;
  description: string;
}

export interface AceResult {
  outcome: string;
  violations: AceViolation[];
  /** Accessibility metadata Ace found present and missing in the package document. */
  metadata: { present: string[]; missing: string[] };
  /** Ace's whole report.json. */
  report: unknown;
}

interface AceReport {
  'earl:result': { 'earl:outcome': string };
  'a11y-metadata': { present: string[]; missing: string[] };
  assertions: {
    'earl:testSubject': { url: string };
    assertions?: { 'earl:test': { 'earl:impact': string; 'dct:title': string }; 'earl:result': { 'dct:description'?: string } }[];
  }[];
}

/**
 * Ace on the bytes: axe-core in Chromium on every content document, plus its package checks.
 * Ace's puppeteer finds the browser through PUPPETEER_EXECUTABLE_PATH; it launches it with
 * --no-sandbox itself and aborts every http(s) request, so it runs offline.
 */
export async function ace(bytes: Uint8Array, name: string): Promise<AceResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'paiban-ace-'));
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  const out = path.join(dir, 'report');
  const r = spawnSync(process.execPath, [ACE, '--silent', '--force', '--outdir', out, file], {
    encoding: 'utf8',
    env: { ...process.env, PUPPETEER_EXECUTABLE_PATH: CHROME },
    timeout: 170_000,
  });
  const reportFile = path.join(out, 'report.json');
  if (r.status !== 0 || !existsSync(reportFile)) throw new Error(`ace failed (exit ${r.status}, ${r.signal ?? 'no signal'}): ${r.stdout}${r.stderr}`);
  const report = JSON.parse(await readFile(reportFile, 'utf8')) as AceReport;
  const violations = report.assertions.flatMap((doc) =>
    (doc.assertions ?? []).map((a) => ({
      file: doc['earl:testSubject'].url,
      impact: a['earl:test']['earl:impact'],
      rule: a['earl:test']['dct:title'],
      description: a['earl:result']['dct:description'] ?? '',
    })),
  );
  return { outcome: report['earl:result']['earl:outcome'], violations, metadata: report['a11y-metadata'], report };
}
