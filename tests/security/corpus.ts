/**
 * The corpus of bad and hostile editions, each with its expected outcome: exit code, and either
 * the error code that stops the build or the diagnostic rule it must report, with the file, the
 * line where there is one, and a fragment of the message. Editions are generated into temp
 * folders (tiny: a4, one short article) so that each build takes a second or two.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ErrorCode } from '../../src/errors.ts';
import { BASE_YAML, PHOTO, article, editionYaml, makeEdition, ownTemplate, png, type FileSpec } from './helpers.ts';

export interface Expected {
  exit: 0 | 1;
  /** The error code that stops the build (thrown before or after the browser). */
  code?: ErrorCode;
  /** Or the diagnostic rule reported (a warning for a refused reference, an error for a content error). */
  rule?: string;
  file?: string;
  line?: number;
  fragment?: string;
}

export interface Case {
  name: string;
  make: () => Promise<string>;
  expect: Expected;
}

const ed = (files: Record<string, FileSpec>) => () => makeEdition(files);
const yaml = (...lines: string[]) => lines.join('\n') + '\n';
/** edition.yaml lines 1-5 are BASE_YAML; `pages:` is line 6, the layout 7, the first article 9. */
const withArticles = (...files: string[]) => editionYaml({ articles: files });
const body = (text: string, front: Record<string, string> = { title: 'Case' }) => article(text, front); // body starts at line 5
const bad = Buffer.from([0xd5, 0xe3, 0xbd]); // GB18030 bytes: not UTF-8
const aliasBomb = ['a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]', 'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]'];

async function withTheme(edit: Parameters<typeof ownTemplate>[1], files: Record<string, FileSpec> = {}): Promise<string> {
  const dir = await makeEdition({ 'edition.yaml': editionYaml({ extra: ['template: ./theme'] }), ...files });
  await ownTemplate(dir, edit);
  return dir;
}

export const CORPUS: Case[] = [
  // --- edition.yaml: errors with file and line -------------------------------------------
  { name: 'no edition.yaml', make: ed({ 'edition.yaml': null }), expect: { exit: 1, code: 'EditionNotFound', fragment: 'no edition.yaml' } },
  { name: 'YAML syntax error', make: ed({ 'edition.yaml': yaml('title: [unclosed', ...BASE_YAML.slice(1), 'pages: []') }), expect: { exit: 1, code: 'EditionInvalid', file: 'edition.yaml', fragment: 'YAML syntax' } },
  { name: 'unknown field', make: ed({ 'edition.yaml': editionYaml({ extra: ['colour: red'] }) }), expect: { exit: 1, code: 'EditionInvalid', file: 'edition.yaml', line: 6, fragment: 'unknown field "colour"' } },
  { name: 'a date that is not a date', make: ed({ 'edition.yaml': withArticles('a.md').replace('2022-06-15', '2022-02-30') }), expect: { exit: 1, code: 'EditionInvalid', file: 'edition.yaml', line: 3, fragment: 'not a real calendar date' } },
  { name: 'no pages', make: ed({ 'edition.yaml': yaml(...BASE_YAML, 'pages: []') }), expect: { exit: 1, code: 'EditionInvalid', file: 'edition.yaml', line: 6, fragment: 'pages' } },
  { name: 'a missing article', make: ed({ 'edition.yaml': withArticles('missing.md') }), expect: { exit: 1, code: 'ArticleMissing', file: 'edition.yaml', line: 9, fragment: 'missing.md' } },
  { name: 'an article outside the edition (../)', make: async () => { const d = await makeEdition({ 'edition.yaml': withArticles('../outside.md') }); await writeFile(path.join(d, '..', 'outside.md'), body('Outside.')); return d; }, expect: { exit: 1, code: 'PathOutsideEdition', file: 'edition.yaml', line: 9, fragment: '../outside.md' } },
  { name: 'an absolute article path', make: ed({ 'edition.yaml': withArticles('/etc/passwd') }), expect: { exit: 1, code: 'PathOutsideEdition', line: 9, fragment: '/etc/passwd' } },
  { name: 'a file: URL as article', make: ed({ 'edition.yaml': withArticles('"file:///etc/passwd"') }), expect: { exit: 1, code: 'PathOutsideEdition', line: 9, fragment: 'file:///etc/passwd' } },
  { name: 'an article symlinked out of the edition', make: ed({ 'a.md': { symlink: '/etc/passwd' } }), expect: { exit: 1, code: 'PathOutsideEdition', line: 9, fragment: 'outside the edition' } },
  { name: 'an article that is a folder', make: ed({ 'a.md': { dir: true } }), expect: { exit: 1, code: 'ArticleMissing', line: 9, fragment: 'not a regular file' } },
  { name: 'an article that is a named pipe (would block a read)', make: ed({ 'a.md': { fifo: true } }), expect: { exit: 1, code: 'ArticleMissing', line: 9, fragment: 'not a regular file' } },
  { name: 'invalid UTF-8 in edition.yaml', make: ed({ 'edition.yaml': Buffer.concat([Buffer.from('title: Hostile\npublication: '), bad, Buffer.from(`\n${withArticles('a.md').split('\n').slice(2).join('\n')}`)]) }), expect: { exit: 1, code: 'InvalidUtf8', file: 'edition.yaml', line: 2, fragment: 'not valid UTF-8' } },
  { name: 'invalid UTF-8 in an article', make: ed({ 'a.md': Buffer.concat([Buffer.from(body('Fine.')), bad, Buffer.from('\n')]) }), expect: { exit: 1, code: 'InvalidUtf8', file: 'a.md', line: 6, fragment: 'not valid UTF-8' } },
  { name: 'invalid UTF-8 in an own template', make: () => withTheme({ files: { 'partials/banner.hbs': Buffer.concat([Buffer.from('<!-- banner -->\n'), bad]) } }), expect: { exit: 1, code: 'InvalidUtf8', file: 'theme/partials/banner.hbs', line: 2, fragment: 'not valid UTF-8' } },
  { name: 'YAML alias bomb in edition.yaml', make: ed({ 'edition.yaml': editionYaml({ extra: aliasBomb }) }), expect: { exit: 1, code: 'EditionInvalid', file: 'edition.yaml', fragment: 'aliases' } },
  // --- articles: front matter ----------------------------------------------------------------
  { name: 'front matter without a title', make: ed({ 'a.md': body('Text.', { byline: 'Someone' }) }), expect: { exit: 1, code: 'FrontMatterInvalid', file: 'a.md', fragment: 'title' } },
  { name: 'an article without front matter', make: ed({ 'a.md': '# Heading\n\nText.\n' }), expect: { exit: 1, code: 'FrontMatterInvalid', file: 'a.md', line: 1, fragment: 'no front matter' } },
  { name: 'YAML alias bomb in front matter', make: ed({ 'a.md': ['---', 'title: Case', ...aliasBomb, '---', '', 'Text.'].join('\n') }), expect: { exit: 1, code: 'FrontMatterInvalid', file: 'a.md', fragment: 'aliases' } },
  // --- template and plan -----------------------------------------------------------------------
  { name: 'an unknown template', make: ed({ 'edition.yaml': editionYaml({ extra: ['template: nosuch'] }) }), expect: { exit: 1, code: 'TemplateNotFound', fragment: 'nosuch' } },
  { name: 'an unknown layout', make: ed({ 'edition.yaml': withArticles('a.md').replace('layout: flow', 'layout: nope') }), expect: { exit: 1, code: 'LayoutUnknown', file: 'edition.yaml', line: 7, fragment: 'nope' } },
  { name: 'an unknown slot', make: ed({ 'edition.yaml': withArticles('a.md').replace('layout: flow', 'layout: front').replace('{ file: a.md }', '{ file: a.md, slot: nope }') }), expect: { exit: 1, code: 'SlotUnknown', file: 'edition.yaml', line: 9, fragment: 'nope' } },
  { name: 'a template stylesheet outside the template folder', make: async () => { const d = await withTheme({}); const y = path.join(d, 'theme', 'template.yaml'); const { readFile } = await import('node:fs/promises'); await writeFile(y, (await readFile(y, 'utf8')).replace(/^styles: \[(.*)\]/m, 'styles: [$1, ../../secret.txt]')); await writeFile(path.join(d, '..', 'secret.txt'), 'secret'); return d; }, expect: { exit: 1, code: 'TemplateInvalid', fragment: 'outside the template folder' } },
  { name: 'a font that is a secret file, not a font', make: async () => { const d = await makeEdition({}); const secret = path.join(d, '..', 'secret.txt'); await writeFile(secret, 'SECRET'); await writeFile(path.join(d, 'edition.yaml'), editionYaml({ extra: [`fonts: { body: ${secret}, heading: ${secret}, caption: ${secret}, latin: ${secret}, latinHeading: ${secret} }`] })); return d; }, expect: { exit: 1, code: 'FontsFailed', file: 'edition.yaml', line: 6, fragment: 'secret.txt' } },
  // --- limits --------------------------------------------------------------------------------
  { name: 'a 10 MB article', make: ed({ 'a.md': body('x'.repeat(10 * 1024 * 1024)) }), expect: { exit: 1, code: 'LimitExceeded', file: 'a.md', fragment: 'limits.articleBytes' } },
  { name: 'edition.yaml over 1 MB', make: ed({ 'edition.yaml': editionYaml({ extra: [`description: ${'d'.repeat(1100 * 1024)}`] }) }), expect: { exit: 1, code: 'LimitExceeded', file: 'edition.yaml', fragment: 'limits.configBytes' } },
  { name: '501 pages in the plan', make: ed({ 'edition.yaml': yaml(...BASE_YAML, 'pages:', ...Array.from({ length: 501 }, () => '  - { layout: flow, articles: [] }')) }), expect: { exit: 1, code: 'LimitExceeded', file: 'edition.yaml', line: 507, fragment: 'limits.planPages' } },
  { name: '3000 images', make: ed({ 'images/p.png': PHOTO, 'a.md': body(Array.from({ length: 3000 }, (_, i) => `![${i}](images/p.png)`).join('\n\n')) }), expect: { exit: 1, code: 'LimitExceeded', file: 'a.md', fragment: 'limits.images' } },
  // --- refused inside an article body: a warning naming the article and line, the build goes on -
  { name: 'a remote image', make: ed({ 'a.md': body('Text.\n\n![x](http://127.0.0.1:9/x.png)') }), expect: { exit: 0, rule: 'refused-url', file: 'a.md', line: 7, fragment: 'only files inside the edition' } },
  { name: 'an image outside the edition (../)', make: ed({ 'a.md': body('![x](../secret.png)') }), expect: { exit: 0, rule: 'refused-url', file: 'a.md', line: 5, fragment: 'leaves the edition folder' } },
  { name: 'an image by absolute path', make: ed({ 'a.md': body('![x](/etc/passwd)') }), expect: { exit: 0, rule: 'refused-url', file: 'a.md', line: 5, fragment: 'only files inside the edition' } },
  { name: 'an image symlinked to /etc/passwd', make: ed({ 'images/p.png': { symlink: '/etc/passwd' }, 'a.md': body('![x](images/p.png)') }), expect: { exit: 0, rule: 'refused-url', file: 'a.md', line: 5, fragment: 'leaves the edition folder' } },
  { name: 'an image that is a named pipe', make: ed({ 'images/p.png': { fifo: true }, 'a.md': body('![x](images/p.png)') }), expect: { exit: 0, rule: 'refused-url', file: 'a.md', line: 5, fragment: 'not a regular file' } },
  { name: 'a missing image', make: ed({ 'a.md': body('![x](images/none.png)') }), expect: { exit: 0, rule: 'missing-image', file: 'a.md', line: 5, fragment: 'does not exist' } },
  { name: 'a decompression bomb (PNG claiming 100000 × 100000)', make: ed({ 'images/p.png': png(8, 8, { width: 100000, height: 100000 }), 'a.md': body('![x](images/p.png)') }), expect: { exit: 0, rule: 'image-too-large', file: 'a.md', line: 5, fragment: 'limits.imagePixels' } },
  { name: 'a javascript: link', make: ed({ 'a.md': body("Text with [a link](javascript:document.title='PWNED').") }), expect: { exit: 0, rule: 'refused-url', file: 'a.md', line: 5, fragment: 'javascript:' } },
  { name: 'raw HTML while html is off', make: ed({ 'a.md': body('<script>document.title="PWNED"</script>\n\nText.') }), expect: { exit: 0, rule: 'raw-html', file: 'a.md', line: 5, fragment: 'raw HTML dropped' } },
  { name: 'html: true with scripts, handlers and 5000 nested elements', make: ed({ 'edition.yaml': editionYaml({ extra: ['html: true'] }), 'a.md': body(`<img src=x onerror="document.title='PWNED'"><script>document.title='PWNED'</script>\n\n${'<div>'.repeat(5000)}deep${'</div>'.repeat(5000)}\n\nText.`) }), expect: { exit: 0 } },
  { name: 'front matter that looks like a template', make: ed({ 'a.md': body('Text {{constructor.constructor}}.', { title: '{{constructor.constructor}} {{> secret}}', byline: '{{#each this}}{{@key}}{{/each}}' }) }), expect: { exit: 0 } },
  { name: 'a url() to the network in an own template\'s stylesheet', make: () => withTheme({ css: 'body {\n  background: url(http://127.0.0.1:9/bg.png);\n}\n' }), expect: { exit: 0, rule: 'refused-request', file: 'theme/extra.css', line: 2, fragment: '127.0.0.1:9/bg.png' } },
  // --- the mistakes a new user makes (issue 13): each answered with the file, the line and the fix -
  { name: 'a length without a unit (bleed: 3)', make: ed({ 'edition.yaml': editionYaml({ extra: ['print: { bleed: 3 }'] }) }), expect: { exit: 1, code: 'EditionInvalid', file: 'edition.yaml', line: 6, fragment: 'print.bleed: 3 has no unit' } },
  { name: 'a paper size paiban does not know', make: ed({ 'edition.yaml': withArticles('a.md').replace('paper: a4', 'paper: A5') }), expect: { exit: 1, code: 'EditionInvalid', file: 'edition.yaml', line: 5, fragment: 'paper: "A5" is not a paper size paiban knows' } },
  { name: 'a misspelt key', make: ed({ 'edition.yaml': withArticles('a.md').replace('publication:', 'publicaton:') }), expect: { exit: 1, code: 'EditionInvalid', file: 'edition.yaml', line: 2, fragment: 'unknown field "publicaton": did you mean "publication"?' } },
  { name: 'a title with an ASCII colon, unquoted', make: ed({ 'edition.yaml': withArticles('a.md').replace('title: Hostile', 'title: 特别报道: 五年') }), expect: { exit: 1, code: 'EditionInvalid', file: 'edition.yaml', line: 1, fragment: 'the value of title holds ": "' } },
  { name: 'an unclosed [ in edition.yaml', make: ed({ 'edition.yaml': withArticles('a.md').replace('title: Hostile', 'title: [Hostile') }), expect: { exit: 1, code: 'EditionInvalid', file: 'edition.yaml', line: 1, fragment: 'the [ opened here is never closed' } },
  { name: 'Paged.js-only CSS with paginator: chromium', make: async () => { const d = await withTheme({ css: '.pb-title {\n  string-set: head content(text);\n}\n' }); const y = path.join(d, 'edition.yaml'); const { readFile } = await import('node:fs/promises'); await writeFile(y, (await readFile(y, 'utf8')).replace('template: ./theme', 'template: ./theme\npaginator: chromium')); return d; }, expect: { exit: 1, code: 'PaginatorUnsupported', file: 'theme/extra.css', line: 2, fragment: 'string-set (named strings for running heads) needs Paged.js' } },
  { name: 'an article with a headline and no text', make: ed({ 'a.md': body('') }), expect: { exit: 0, rule: 'empty-article', file: 'a.md', line: 4, fragment: 'has a headline and no text' } },
  { name: 'a continue: whose article fits its slot', make: ed({ 'edition.yaml': yaml(...BASE_YAML, 'pages:', '  - layout: front', '    articles:', '      - { file: a.md, slot: lead, continue: { page: 2, slot: top } }', '  - layout: feature', '    articles: []') }), expect: { exit: 0, rule: 'continue-unused', file: 'edition.yaml', line: 9, fragment: 'nothing continues on page 2' } },
  { name: 'a 100,000-character paragraph with no spaces', make: ed({ 'a.md': body(`Start ${'x'.repeat(100_000)} end.`) }), expect: { exit: 0 } },
];
