/**
 * The paginator choice. A template whose stylesheet uses CSS only Paged.js implements (running
 * heads from string-set, a running element, a footnote, a cross-reference with target-counter) is
 * laid out by Paged.js under `auto`, and each feature prints (checked on the PDF's text); the
 * report names the paginator of each page and why. `--paginator chromium` refuses it with an error
 * naming the rule, file and line; `pagedjs` (flag, PAIBAN_PAGINATOR, edition.yaml) lays out an
 * ordinary edition with Paged.js.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/build.ts';
import { launchBrowser, type BrowserHandle } from '../../src/paginate/browser.ts';
import { pdftotext, run } from '../helpers/tools.ts';
import { BIN, article, editionYaml, makeEdition, outcome, ownTemplate, tempDir } from '../security/helpers.ts';

/** The features, one a line (line numbers are asserted). */
export const PAGED_ONLY_CSS = [
  '.pb-title { string-set: runhead content(text); }',
  '@page { @bottom-left { content: "RUNHEAD " string(runhead); } @bottom-right { content: element(runner); } }',
  '.pb-runner { position: running(runner); }',
  '.pb-fn { float: footnote; }',
  'a.pb-xref::after { content: " (see page " target-counter(attr(href url), page) ")"; }',
].join('\n');

/** Two flow pages; page 1 carries the running element, a footnote and a cross-reference to the article on page 2. */
async function featureEdition(extra: string[] = []): Promise<string> {
  const pages = ['pages:', '  - layout: flow', '    articles:', '      - { file: a.md }', '  - layout: flow', '    articles:', '      - { file: b.md }'];
  const dir = await makeEdition({
    'edition.yaml': editionYaml({ extra: ['template: ./theme', ...extra] }).replace(/pages:[\s\S]*/, `${pages.join('\n')}\n`),
    'a.md': article('The first story has a few words.', { title: 'First Story Headline' }),
    'b.md': article('The second story has a few words too.', { title: 'Second Story Headline' }),
  });
  await ownTemplate(dir, { css: `${PAGED_ONLY_CSS}\n` });
  const flow = path.join(dir, 'theme', 'layouts', 'flow.hbs');
  const marks = '{{#if (eq number 1)}}<div class="pb-runner">RUNNING-ELEMENT-TEXT</div><p>XREF-START <a class="pb-xref" href="#a-b">the second story</a>.<span class="pb-fn">FOOTNOTE-TEXT-HERE</span></p>{{/if}}';
  writeFileSync(flow, readFileSync(flow, 'utf8').replace('{{> banner }}', `{{> banner }}\n  ${marks}`));
  return dir;
}

let browser: BrowserHandle;
let result: BuildResult;
let pages: string[];

beforeAll(async () => {
  browser = await launchBrowser();
  const out = await tempDir();
  result = await build(await featureEdition(), { out, pdf: true, browser });
  pages = pdftotext(path.join(out, 'ed.pdf'), '-layout').split('\f');
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

describe('CSS only Paged.js implements, under auto', () => {
  it('the pages are laid out by Paged.js, and the report says so and why', () => {
    expect(result.ok).toBe(true);
    expect(result.paginatorOfPage).toEqual(['pagedjs', 'pagedjs']);
    expect(result.paginatorReason).toBe('theme/extra.css:1 uses string-set (named strings for running heads), and the template also string(), element(), position: running(), float: footnote, target-counter(): CSS only Paged.js implements');
    expect(result.diagnostics.items.find((d) => d.rule === 'paginator')?.severity).toBe('info');
  });

  it('running heads from string-set name each page\'s article', () => {
    expect(pages[0]).toMatch(/RUNHEAD First Story Headline/);
    expect(pages[1]).toMatch(/RUNHEAD Second Story Headline/);
  });

  it('the running element is in the margin of every page', () => {
    expect(pages[0]).toContain('RUNNING-ELEMENT-TEXT');
    expect(pages[1]).toContain('RUNNING-ELEMENT-TEXT');
  });

  it('the footnote is set at the foot of its page, and the cross-reference names page 2', () => {
    expect(pages[0]).toMatch(/FOOTNOTE-TEXT-HERE/);
    const lines = pages[0]!.split('\n').filter((l) => l.trim());
    const foot = lines.findIndex((l) => l.includes('FOOTNOTE-TEXT-HERE'));
    const story = lines.findIndex((l) => l.includes('The first story'));
    expect(foot).toBeGreaterThan(story);
    expect(pages[0]).toContain('XREF-START the second story (see page 2)');
  });
});

describe('the paginator asked for', () => {
  it('chromium with such CSS is refused, naming the rule, file and line', async () => {
    const o = await outcome(await featureEdition(['paginator: chromium']), { out: await tempDir(), pdf: true, browser });
    expect(o.exit).toBe(1);
    const [e] = o.errors;
    expect([e!.code, e!.where, e!.message, e!.hint]).toEqual([
      'PaginatorUnsupported',
      { file: 'theme/extra.css', line: 1, column: 13 },
      "string-set (named strings for running heads) needs Paged.js, but Chromium's print layout was asked for (paginator: chromium in edition.yaml): it would print the pages without it (and 5 more such rules)",
      'use --paginator auto (the default), which lays such pages out with Paged.js, or remove the rule',
    ]);
  });

  it('--paginator chromium on the command line: exit 1, the same answer', async () => {
    const ed = await featureEdition();
    const r = run('node', [BIN, 'build', ed, '--pdf', '--paginator', 'chromium', '--out', await tempDir()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${ed}/theme/extra.css:1:13: error PaginatorUnsupported: string-set (named strings for running heads) needs Paged.js, but Chromium's print layout was asked for (--paginator chromium)`);
  });

  it('pagedjs from the flag, PAIBAN_PAGINATOR or edition.yaml; the report names it per page', async () => {
    const plain = await makeEdition({});
    const flag = run('node', [BIN, 'build', plain, '--pdf', '--paginator', 'pagedjs', '--out', await tempDir(), '--json']);
    expect(flag.code, flag.stderr).toBe(0);
    expect((JSON.parse(flag.stdout) as { results: BuildResult[] }).results[0]!.paginatorOfPage).toEqual(['pagedjs']);
    const saved = process.env.PAIBAN_PAGINATOR;
    process.env.PAIBAN_PAGINATOR = 'pagedjs';
    try {
      expect((await build(plain, { out: await tempDir(), pdf: true, browser })).paginatorOfPage).toEqual(['pagedjs']);
    } finally {
      if (saved === undefined) delete process.env.PAIBAN_PAGINATOR;
      else process.env.PAIBAN_PAGINATOR = saved;
    }
    const yamlChoice = await makeEdition({ 'edition.yaml': editionYaml({ extra: ['paginator: pagedjs'] }) });
    const r = run('node', [BIN, 'build', yamlChoice, '--pdf', '--out', await tempDir()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('ed: laid out page 1 by Paged.js (asked for by paginator: pagedjs in edition.yaml)\n');
  });

  it('an ordinary edition under auto: Chromium, said per page', async () => {
    const r = run('node', [BIN, 'build', await makeEdition({}), '--pdf', '--out', await tempDir()]);
    expect(r.stdout).toContain("ed: laid out page 1 by Chromium's print layout\n");
  });
});
