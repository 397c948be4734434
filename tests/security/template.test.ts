/**
 * An edition's own template is trusted like a theme, but its Handlebars still runs without
 * prototype access: the known payloads (constructor.constructor, __proto__, the String.sub
 * gadget chain that reached process.mainModule in Handlebars < 4.6) render nothing harmful, run
 * nothing, pollute nothing. Front matter values are data: escaped, never compiled.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { compose } from '../../src/compose/compose.ts';
import { loadTemplate } from '../../src/compose/template.ts';
import { Diagnostics } from '../../src/diagnostics.ts';
import { loadEdition } from '../../src/load/edition.ts';
import { renderArticles } from '../../src/markdown/render.ts';
import { article, editionYaml, makeEdition, ownTemplate } from './helpers.ts';

const MARKER = path.join(os.tmpdir(), `paiban-hbs-pwned-${process.pid}`);

/** Payloads a hostile template (or someone who edits one) could try. */
const PAYLOADS = [
  '<p id="p1">{{constructor}}|{{constructor.constructor}}|{{constructor.name}}</p>',
  '<p id="p2">{{__proto__}}|{{__proto__.constructor}}|{{this.__proto__.constructor.name}}</p>',
  '<p id="p3">{{lookup this "constructor"}}|{{lookup (lookup this "constructor") "constructor"}}</p>',
  '<p id="p4">{{#with "constructor"}}{{lookup this "length"}}{{/with}}|{{#each this}}{{@key}},{{/each}}</p>',
  '<p id="p5">{{#with __proto__}}{{__defineGetter__}}{{__lookupGetter__}}{{valueOf}}{{/with}}</p>',
  // The gadget chain of CVE-2019-19919 / the 2019 Handlebars RCE write-ups.
  `<p id="p6">{{#with "s" as |string|}}{{#with "e"}}{{#with split as |conslist|}}{{this.pop}}{{this.push (lookup string.sub "constructor")}}{{this.pop}}{{#with string.split as |codelist|}}{{this.pop}}{{this.push "return process.mainModule.require('fs').writeFileSync('${MARKER}', 'x');"}}{{this.pop}}{{#each conslist}}{{#with (string.sub.apply 0 codelist)}}{{this}}{{/with}}{{/each}}{{/with}}{{/with}}{{/with}}{{/with}}</p>`,
  '<p id="p7">{{#each pages}}{{constructor.constructor}}{{this.constructor.prototype}}{{/each}}</p>',
].join('\n');

async function themeEdition(front: Record<string, string> = { title: 'Case' }) {
  const dir = await makeEdition({ 'edition.yaml': editionYaml({ extra: ['template: ./theme'] }), 'a.md': article('Safe text.', front) });
  await ownTemplate(dir, { document: (d) => d.replace('</body>', `${PAYLOADS}\n</body>`) });
  return dir;
}

async function composeEdition(dir: string): Promise<string> {
  const edition = await loadEdition(dir);
  const template = await loadTemplate(edition.config.template, edition.dir, edition.config.type);
  const articles = await renderArticles(edition.articles, { editionDir: edition.dir, config: edition.config, diagnostics: new Diagnostics() });
  return compose({ edition, template, articles, generator: 'test' }).html;
}

describe('Handlebars in an own template has no prototype access', () => {
  it('renders the payloads as nothing: no function source, no native code, no side effect', async () => {
    const warn = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const html = await composeEdition(await themeEdition());
      for (let i = 1; i <= 7; i++) {
        const p = new RegExp(`<p id="p${i}">([\\s\\S]*?)</p>`).exec(html)?.[1] ?? '';
        expect(p, `payload ${i}`).not.toMatch(/function|native code|Object|Function|\[object/);
      }
      expect(existsSync(MARKER)).toBe(false);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    } finally {
      warn.mockRestore();
    }
  });

  it('front matter values are data: escaped, never compiled as templates', async () => {
    const html = await composeEdition(
      await themeEdition({ title: '{{constructor.constructor}} {{> article}} <img src=x onerror=alert(1)>', byline: '{{#each this}}{{@key}}{{/each}}' }),
    );
    expect(html).toContain('{{constructor.constructor}} {{&gt; article}} &lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(html).toContain('{{#each this}}{{@key}}{{/each}}');
    expect(html).not.toContain('<img src=x');
  });

  it('a template file that is not valid UTF-8 is InvalidUtf8 with its file and line', async () => {
    const dir = await makeEdition({ 'edition.yaml': editionYaml({ extra: ['template: ./theme'] }) });
    await ownTemplate(dir);
    await writeFile(path.join(dir, 'theme', 'layouts', 'flow.hbs'), Buffer.concat([Buffer.from('<section>\n\n'), Buffer.from([0xff, 0xfe]), Buffer.from('</section>\n')]));
    const e = await loadTemplate('./theme', dir).catch((x: unknown) => x as { code: string; where: { file: string; line: number } });
    expect(e).toMatchObject({ code: 'InvalidUtf8', where: { file: 'theme/layouts/flow.hbs', line: 3 } });
  });
});
