/** The pieces of `npm run docs`, on small inputs. */
import { strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { docText, elide, readDeclarations, slugger, splitStatements } from '../../scripts/docs/api.ts';
import { blocksOf, fillBlocks, maskVolatile } from '../../scripts/docs/blocks.ts';
import { geometry, outlines } from '../../scripts/docs/layouts.ts';
import { firstChapter } from '../../scripts/docs/pictures.ts';
import { readQuickstart } from '../../scripts/docs/quickstart.ts';
import { linksOf } from './links.ts';

describe('generated blocks', () => {
  const doc = 'intro\n<!-- generated: a (npm run docs) -->\nold\n<!-- /generated: a -->\nmiddle\n<!-- generated: b (npm run docs) -->\n<!-- /generated: b -->\nend\n';
  it('are filled in place, the rest of the file kept, unknown ones left alone', () => {
    const out = fillBlocks(doc, new Map([['b', 'new b']]));
    expect(out).toBe(doc.replace('<!-- generated: b (npm run docs) -->\n', '<!-- generated: b (npm run docs) -->\nnew b\n'));
    expect(blocksOf(out)).toEqual(new Map([['a', 'old\n'], ['b', 'new b\n']]));
  });
  it('are compared without durations, sizes and hashes, but with everything else', () => {
    const a = 'wrote out/x.pdf (33 KB, 1 pages)\nbuilt in 4.1 s\ninput changed: x.md (sha256 04f45b74ed13 → 49cca8123390, 621 → 641 bytes)\n"seconds": 2.5, "timings": {\n "load": 12\n}';
    const b = 'wrote out/x.pdf (35 KB, 1 pages)\nbuilt in 12.9 s\ninput changed: x.md (sha256 aaaaaaaaaaaa → bbbbbbbbbbbb, 700 → 720 bytes)\n"seconds": 9, "timings": {\n "load": 99\n}';
    expect(maskVolatile(a)).toBe(maskVolatile(b));
    expect(maskVolatile(a)).not.toBe(maskVolatile(a.replace('1 pages', '2 pages')));
    expect(maskVolatile(a)).not.toBe(maskVolatile(a.replace('x.md', 'y.md')));
  });
});

describe("the README's five-minute edition", () => {
  it('is read from **`first/…`** lines and the fenced blocks after them, with the build command', () => {
    const readme = 'Text\n\n**`first/edition.yaml`**\n\n```yaml\ntitle: T\n```\n\n**`first/a.md`**\n\n```markdown\n---\ntitle: A\n---\n\n## Sub\n```\n\n```sh\nbin/paiban build first   # a comment\n```\n';
    const q = readQuickstart(readme);
    expect(q.files).toEqual(new Map([['first/edition.yaml', 'title: T\n'], ['first/a.md', '---\ntitle: A\n---\n\n## Sub\n']]));
    expect(q.command).toBe('bin/paiban build first');
    expect(() => readQuickstart('no edition here')).toThrow(/no five-minute edition/);
  });
});

describe('the API reference', () => {
  const dts = `import { type B } from './b.ts';
/** Build it. */
export declare function build(dir: string): Promise<R>;
export interface R {
    /** Files. */
    outputs: {
        path: string;
    }[];
}
interface Local {
    x: number;
}
export declare const S: z.ZodObject<{
    a: string;
}, z.core.$strict>;
export { B };
`;
  it('splits tsc declarations into statements with their doc comments', () => {
    const st = splitStatements(dts);
    expect(st.map((s) => s.code.split('\n')[0])).toEqual(["import { type B } from './b.ts';", 'export declare function build(dir: string): Promise<R>;', 'export interface R {', 'interface Local {', 'export declare const S: z.ZodObject<{', 'export { B };']);
    expect(st[1]!.comment).toBe('/** Build it. */');
    expect(st[2]!.code.split('\n')).toHaveLength(6);
  });
  it('reads names, kinds, docs, imports and re-exports', () => {
    const f = readDeclarations('x/a.ts', dts, '/**\n * The module.\n */\n\nimport x from "y";\n');
    expect(f.moduleDoc).toBe('The module.');
    expect(f.declarations.map((d) => [d.name, d.kind, d.exported, d.doc])).toEqual([['build', 'function', true, 'Build it.'], ['R', 'interface', true, ''], ['Local', 'interface', false, ''], ['S', 'const', true, '']]);
    expect(f.imports.get('B')).toEqual(['x/b.ts', 'B']);
    expect(f.reexports.get('B')).toEqual(['x/b.ts', 'B']);
  });
  it('turns doc comments into text, shortens long inferred types, and anchors headings as GitHub does', () => {
    expect(docText('/**\n * One.\n *\n * Two `x`.\n */')).toBe('One.\n\nTwo `x`.');
    const long = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n');
    expect(elide(long).split('\n')).toHaveLength(22);
    expect(elide(long)).toContain('// … 19 more lines of the inferred type');
    expect(elide('a\nb')).toBe('a\nb');
    const slug = slugger();
    expect([slug('timeBudgets'), slug('TimeBudgets'), slug('src/build.ts'), slug('Two paginators')]).toEqual(['timebudgets', 'timebudgets-1', 'srcbuildts', 'two-paginators']);
  });
});

describe('the pictures', () => {
  it("name a slot's template fields, description apart", () => {
    expect(geometry({ column: 1, columns: 5, row: 1, rows: 22, description: 'the main story' })).toBe('column 1 · columns 5 · row 1 · rows 22');
  });
  it('outline each slot at its printed box, scaled to the picture', () => {
    const svg = outlines([{ page: 1, slot: 'lead', box: { x: 72, y: 144, width: 360, height: 72 } }], 500, 700, 72);
    expect(svg).toContain('<rect x="73" y="145" width="358" height="70"');
    expect(svg).toContain('>lead</text>');
  });
  it("open the EPUB's first chapter by its spine, past the cover and the contents", () => {
    const files = {
      'META-INF/container.xml': strToU8('<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'),
      'OEBPS/content.opf': strToU8('<manifest><item id="cover" href="cover.xhtml"/><item id="nav" href="nav.xhtml" properties="nav"/><item id="article-a" href="article-a.xhtml"/></manifest><spine><itemref idref="cover" /><itemref idref="nav" /><itemref idref="article-a" /></spine>'),
    };
    expect(firstChapter(files)).toBe('OEBPS/article-a.xhtml');
  });
});

describe('the link checker', () => {
  it('finds links and images outside code, with their lines', () => {
    expect(linksOf('[a](x.md#h) `[b](no.md)`\n```\n[c](no.md)\n```\n<img src="i.png" width="1"> ![d](j.png "t")')).toEqual([
      { line: 1, target: 'x.md#h' },
      { line: 5, target: 'j.png' },
      { line: 5, target: 'i.png' },
    ]);
  });
});
