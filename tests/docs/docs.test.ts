/**
 * The README and docs/ stay true: the README fits under 10 KB and its five-minute edition builds as
 * written; every sample output, table, picture and the API reference shown in the docs is what the
 * code makes today (`npm run docs` regenerates them); every link resolves; every field of the
 * edition format and every environment variable the code reads is documented.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArticlePlan, DocketEntry, EditionFields, FrontMatterSchema, PagePlan, PlanOptions } from '../../src/config/schema.ts';
import { loadTemplate } from '../../src/compose/template.ts';
import { apiReference } from '../../scripts/docs/api.ts';
import { blockNames, blocksOf, maskVolatile } from '../../scripts/docs/blocks.ts';
import { docFiles, LAYOUT_RECORD, staticBlocks } from '../../scripts/docs/generate.ts';
import type { LayoutRecord } from '../../scripts/docs/layouts.ts';
import { readQuickstart } from '../../scripts/docs/quickstart.ts';
import { makeSamples, SampleRunner, type Samples } from '../../scripts/docs/samples.ts';
import { anchorsOf, linksOf } from './links.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const README = path.join(ROOT, 'README.md');
const REGENERATE = 'run `npm run docs -- --text` (and commit what it changes)';
/** Docs other branches write: the index links them before they land. */
const OWNED_ELSEWHERE = new Set(['farm.md', 'errors.md', 'proofing.md', 'testing.md', 'planning.md', 'fonts.md', 'print-standards.md'].map((f) => path.join(ROOT, 'docs', f)));

const read = (f: string) => readFileSync(f, 'utf8');
const rel = (f: string) => path.relative(ROOT, f);

describe('the README', () => {
  it('is under 10 KB', () => {
    expect(Buffer.byteLength(read(README))).toBeLessThan(10_000);
  });

  it('names every command paiban has in its commands at a glance', () => {
    const run = new SampleRunner(ROOT, ROOT);
    const help = run.paiban('--help').output;
    const commands = (/\nCommands:\n([\s\S]*)/.exec(help)?.[1] ?? '').split('\n').map((l) => /^ {2}([\w-]+)/.exec(l)?.[1]).filter((c) => c && c !== 'help');
    expect(commands.length).toBeGreaterThan(3);
    const glance = /## Commands at a glance\n([\s\S]*?)\n## /.exec(read(README))?.[1] ?? '';
    const missing = commands.filter((c) => !glance.includes(`\`paiban ${c}`));
    expect(missing, 'add a line for each to the README\'s "Commands at a glance"').toEqual([]);
  });

  it('gives a complete five-minute edition and its build command', () => {
    const q = readQuickstart(read(README));
    expect([...q.files.keys()].sort()).toEqual(['first/edition.yaml', 'first/harbour.md']);
    expect(q.command).toBe('bin/paiban build first');
  });
});

describe('what the docs show of the command line', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'paiban-docs-test-'));
  let samples: Samples;
  beforeAll(() => {
    samples = makeSamples(ROOT, work);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("builds the README's edition as the README says, with no error", () => {
    const r = samples.runs.quickstart!;
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/wrote .*first\.pdf \(\d+ KB, 1 pages?\)/);
    // Warnings (a page not full) are shown in the README as they come; errors would stop a newcomer.
    expect(r.output).not.toMatch(/ error /);
    for (const ext of ['pdf', 'epub', 'manifest.json']) expect(existsSync(path.join(work, 'output', `first.${ext}`)), ext).toBe(true);
    // The other samples ran as the docs say they do.
    expect(samples.runs.check!.code).toBe(0);
    expect(samples.runs.identical!.output).toMatch(/^identical: /m);
    expect(samples.runs.differs!.code).toBe(1);
    expect(samples.runs.error!.code).toBe(1);
    expect(samples.runs.error!.output).toMatch(/typo\/edition\.yaml:\d+:\d+: error \w+: .*\n {2}→ /);
    expect(JSON.parse(samples.runs.json!.output)).toMatchObject({ ok: true });
  });

  it('shows each sample output as the code prints it today (durations, sizes and hashes aside)', () => {
    const stale: string[] = [];
    for (const file of docFiles(ROOT)) {
      for (const [name, shown] of blocksOf(read(file))) {
        const made = samples.blocks.get(name);
        if (made !== undefined && maskVolatile(shown) !== maskVolatile(made)) stale.push(`${rel(file)}: ${name}`);
      }
    }
    expect(stale, REGENERATE).toEqual([]);
  });
});

describe('generated parts of the docs', () => {
  it('uses only blocks a generator makes, each filled', () => {
    const known = new Set([...staticBlocks(ROOT).keys(), 'quickstart-build', 'check', 'verify', 'build-json', 'error', 'new', 'cli-help']);
    for (const file of docFiles(ROOT)) {
      for (const name of blockNames(read(file))) {
        expect(known.has(name), `${rel(file)}: unknown block ${name}`).toBe(true);
        expect(blocksOf(read(file)).get(name)!.trim(), `${rel(file)}: block ${name} is empty: ${REGENERATE}`).not.toBe('');
      }
    }
  });

  it('shows the tables drawn from the code as the code has them (layouts, limits, folders)', () => {
    const made = staticBlocks(ROOT);
    for (const file of docFiles(ROOT)) {
      for (const [name, shown] of blocksOf(read(file))) {
        if (made.has(name)) expect(shown, `${rel(file)}: ${name} is out of date: ${REGENERATE}`).toBe(made.get(name));
      }
    }
  });

  it('has an API reference made from the doc comments as they are', () => {
    const file = path.join(ROOT, 'docs', 'api', 'README.md');
    expect(read(file) === apiReference(ROOT), `docs/api/README.md is out of date: ${REGENERATE}`).toBe(true);
  });

  it('pictures every layout of the template as template.yaml is now', async () => {
    const record = JSON.parse(read(path.join(ROOT, LAYOUT_RECORD))) as LayoutRecord;
    const yaml = path.join(ROOT, 'templates', record.template, 'template.yaml');
    const sha = createHash('sha256').update(readFileSync(yaml)).digest('hex');
    expect(sha, `${rel(yaml)} changed since the layout pictures were drawn: run \`npm run docs\``).toBe(record.templateSha256);
    const { meta } = await loadTemplate(record.template, ROOT);
    expect(record.layouts.map((l) => l.layout).sort()).toEqual(Object.keys(meta.layouts).sort());
    for (const l of record.layouts) {
      expect(Object.keys(l.slots).sort(), l.layout).toEqual(Object.keys(meta.layouts[l.layout]!.slots).sort());
      expect(existsSync(path.join(ROOT, 'docs', l.image)), l.image).toBe(true);
    }
  });
});

describe('links', () => {
  it('resolve, in the README and every doc, anchors included', () => {
    const broken: string[] = [];
    const files = [README, ...readdirSync(path.join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => path.join(ROOT, 'docs', f))];
    for (const file of files) {
      for (const { line, target } of linksOf(read(file))) {
        if (/^(https?|mailto):/.test(target)) continue;
        const [p, anchor] = target.split('#');
        const to = p ? path.resolve(path.dirname(file), decodeURIComponent(p)) : file;
        if (!existsSync(to)) {
          if (!OWNED_ELSEWHERE.has(to)) broken.push(`${rel(file)}:${line}: ${target} (no such file)`);
          continue;
        }
        if (anchor && to.endsWith('.md') && !anchorsOf(to).has(anchor)) broken.push(`${rel(file)}:${line}: ${target} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('the reference docs', () => {
  const docsText = () => readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => read(path.join(ROOT, 'docs', f))).join('\n');

  it('name every field of edition.yaml, of a page, of an article entry and of front matter', () => {
    const text = docsText();
    const fields = [EditionFields, PagePlan, ArticlePlan, FrontMatterSchema, DocketEntry, PlanOptions].flatMap((s) => Object.keys(s.shape));
    const print = EditionFields.shape.print.unwrap().shape;
    const missing = [...new Set([...fields, ...Object.keys(print)])].filter((f) => !new RegExp(`[\`{,\\s]${f}[\`?:]`).test(text));
    expect(missing, 'document these fields in docs/writing.md (or the doc of the feature they belong to)').toEqual([]);
  });

  it('list every environment variable the code reads in docs/cli.md', () => {
    const code = [path.join(ROOT, 'bin', 'paiban'), ...readdirSync(path.join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => path.join(ROOT, 'src', f))].map(read).join('\n');
    const used = [...new Set(code.match(/\bPAIBAN_[A-Z_]+\b/g))].sort();
    expect(used.length).toBeGreaterThan(5);
    const cli = read(path.join(ROOT, 'docs', 'cli.md'));
    expect(used.filter((v) => !cli.includes(v)), 'add them to the Environment table of docs/cli.md').toEqual([]);
  });
});
