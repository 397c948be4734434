/**
 * `npm run docs`: regenerate what docs/ and the README show from the real code.
 *
 *   npm run docs                 pictures (demo pages, the EPUB on a phone, every layout), the
 *                                samples of command output, the tables, the API reference
 *   npm run docs -- --text       all but the pictures (no layout or demo build for pictures)
 *   npm run docs -- --images     only the pictures and the layout record
 *
 * Pictures go to docs/images/, the API reference to docs/api/README.md; blocks marked
 * `<!-- generated: NAME (npm run docs) -->` in README.md and docs/*.md are filled in place.
 * tests/docs checks that all of it is current.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { apiReference } from './api.ts';
import { fillBlocks } from './blocks.ts';
import { docFiles, LAYOUT_RECORD, staticBlocks } from './generate.ts';
import { drawLayouts } from './layouts.ts';
import { drawDemo } from './pictures.ts';
import { makeSamples } from './samples.ts';

const root = path.resolve(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const images = !args.includes('--text');
const text = !args.includes('--images');
const work = mkdtempSync(path.join(os.tmpdir(), 'paiban-docs-'));
const say = (s: string) => process.stderr.write(`docs: ${s}\n`);

try {
  if (images) {
    const dir = path.join(root, 'docs', 'images');
    say('drawing the layouts…');
    const record = await drawLayouts(path.join(work, 'layouts'), dir, path.join(root, 'docs'));
    writeFileSync(path.join(root, LAYOUT_RECORD), `${JSON.stringify(record, null, 2)}\n`);
    say('drawing the demo (printed pages, the EPUB on a phone)…');
    await drawDemo(root, path.join(work, 'demo'), dir);
  }
  if (text) {
    say('running the samples…');
    mkdirSync(path.join(work, 'news'), { recursive: true });
    const blocks = new Map([...staticBlocks(root), ...makeSamples(root, path.join(work, 'news')).blocks]);
    for (const file of docFiles(root)) {
      const before = readFileSync(file, 'utf8');
      const after = fillBlocks(before, blocks);
      if (after !== before) {
        writeFileSync(file, after);
        say(`updated ${path.relative(root, file)}`);
      }
    }
    say('writing the API reference…');
    mkdirSync(path.join(root, 'docs', 'api'), { recursive: true });
    writeFileSync(path.join(root, 'docs', 'api', 'README.md'), apiReference(root));
  }
  say('done');
} finally {
  rmSync(work, { recursive: true, force: true });
}
