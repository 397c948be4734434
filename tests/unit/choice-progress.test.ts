/**
 * Two small pieces of the command line's honesty: which CSS only Paged.js implements (found with
 * file, line and column, never in comments or strings) and which paginator is in force; and the
 * progress line (only on a terminal, only after a delay, erased before anything else is printed).
 */
import { describe, expect, it } from 'vitest';
import { startProgress } from '../../src/cli/progress.ts';
import { decidePaginator, pagedJsOnlyRules, paginatorChoice } from '../../src/paginate/choice.ts';
import { PaibanError } from '../../src/errors.ts';

describe('CSS only Paged.js implements', () => {
  it.each([
    ['h1 { string-set: title content(text); }', 'string-set'],
    ['@page { @top-center { content: string(title, first); } }', 'string()'],
    ['header { position: running(head); }', 'position: running()'],
    ['@page { @top-left { content: element(head); } }', 'element()'],
    ['a::after { content: target-counter(attr(href url), page); }', 'target-counter()'],
    ['a::after { content: target-text(attr(href url)); }', 'target-text()'],
    ['.note { float: footnote; }', 'float: footnote'],
    ['.note { footnote-display: inline; }', 'footnote-display/footnote-policy'],
    ['.note::footnote-call { content: counter(footnote); }', '::footnote-call/::footnote-marker'],
    ['@page { @footnote { border-top: 1px solid; } }', '@footnote'],
    ['@page :nth(1) { margin-top: 5cm; }', '@page :nth()'],
    ['@page :blank { @top-center { content: none; } }', '@page :blank'],
  ])('%s → %s', (css, rule) => {
    expect(pagedJsOnlyRules('x.css', `/* line 1 */\n${css}\n`, 'css').map((f) => [f.rule, f.line])).toEqual([[rule, 2]]);
  });

  it('not in comments or strings; Chromium\'s own rules are fine', () => {
    const css = '/* string-set: x; float: footnote */\n.a::before { content: "float: footnote; string(x)"; }\n@page :first { @top-center { content: counter(page) " / " counter(pages); } }\n.b { float: left; position: relative; }\n';
    expect(pagedJsOnlyRules('x.css', css, 'css')).toEqual([]);
  });

  it('in a template file: only <style> blocks and style attributes, with their lines and columns', () => {
    const hbs = '<p>float: footnote in the text is text</p>\n<style>\n  .n { float: footnote; }\n</style>\n<span style="string-set: a content()">x</span>\n';
    expect(pagedJsOnlyRules('layouts/flow.hbs', hbs, 'html').map((f) => [f.rule, f.line, f.column])).toEqual([
      ['float: footnote', 3, 8],
      ['string-set', 5, 14],
    ]);
  });
});

describe('which paginator', () => {
  it('--paginator, then PAIBAN_PAGINATOR, then edition.yaml, then auto', () => {
    expect(paginatorChoice('chromium', 'pagedjs', { PAIBAN_PAGINATOR: 'pagedjs' })).toEqual({ choice: 'chromium', source: '--paginator' });
    expect(paginatorChoice(undefined, 'chromium', { PAIBAN_PAGINATOR: 'PagedJS' })).toEqual({ choice: 'pagedjs', source: 'PAIBAN_PAGINATOR' });
    expect(paginatorChoice(undefined, 'chromium', {})).toEqual({ choice: 'chromium', source: 'edition.yaml' });
    expect(paginatorChoice(undefined, undefined, {})).toEqual({ choice: 'auto', source: 'default' });
  });

  it('a PAIBAN_PAGINATOR it does not know is a usage error', () => {
    expect(() => paginatorChoice(undefined, undefined, { PAIBAN_PAGINATOR: 'paged' })).toThrow(PaibanError);
  });

  it('chromium refuses an elastic layout; auto lays it out with Paged.js and says why', () => {
    expect(() => decidePaginator({ choice: 'chromium', source: '--paginator' }, [], ['briefs'])).toThrow(/layout "briefs" has slots that grow with their text, which only Paged.js lays out/);
    expect(decidePaginator({ choice: 'auto', source: 'default' }, [], ['briefs'])).toMatchObject({ pagedjs: false, reason: 'layout "briefs" has slots that grow with their text' });
    expect(decidePaginator({ choice: 'auto', source: 'default' }, [], [])).toEqual({ choice: 'auto', source: 'default', pagedjs: false });
  });
});

describe('the progress line', () => {
  function fakeTerminal(isTTY: boolean) {
    const written: string[] = [];
    return { written, stream: { isTTY, columns: 60, write: (s: string) => (written.push(s), true) } };
  }

  it('shows the stage and pages after the delay, erases itself before other output', async () => {
    let now = 0;
    const t = fakeTerminal(true);
    const p = startProgress({ enabled: true, stream: t.stream, env: {}, delayMs: 2000, everyMs: 5, now: () => now });
    const report = p.reporter('/tmp/x/ed/');
    report({ stage: 'fonts' });
    await new Promise((r) => setTimeout(r, 20));
    expect(t.written).toEqual([]); // nothing before the delay
    now = 3000;
    report({ stage: 'paginate', pages: 12 });
    await new Promise((r) => setTimeout(r, 20));
    expect(t.written).toEqual(['\r\x1b[2Kpaiban: ed: laying out pages (12 pages) … 3 s']);
    p.clear();
    expect(t.written.at(-1)).toBe('\r\x1b[2K');
    p.done('/tmp/x/ed/');
    expect(p.line()).toBe('');
    p.stop();
  });

  it('says nothing when stderr is not a terminal, with --json, or on a dumb terminal', async () => {
    for (const [isTTY, enabled, env] of [[false, true, {}], [true, false, {}], [true, true, { TERM: 'dumb' }]] as const) {
      const t = fakeTerminal(isTTY);
      const p = startProgress({ enabled, stream: t.stream, env, delayMs: 0, everyMs: 5, now: () => 10_000 });
      p.reporter('ed')({ stage: 'paginate', pages: 3 });
      await new Promise((r) => setTimeout(r, 20));
      p.stop();
      expect(t.written).toEqual([]);
    }
  });
});
