/**
 * Stage 1, load: read edition.yaml and every article's front matter, validate them against the
 * schema, and return a typed Edition. Mistakes here are errors with file and line.
 */
import { existsSync, statSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { EditionSchema, FrontMatterSchema } from '../config/schema.ts';
import { suggestFile } from './suggest-file.ts';
import { PaibanError, PaibanErrors } from '../errors.ts';
import { LIMITS, formatBytes, limitName } from '../limits.ts';
import type { ArticleSource, Edition, EditionConfig, InputFile } from '../model.ts';
import { readUtf8, resolveInside, sha256 } from './files.ts';
import { editionFolder } from './folder.ts';
import { parseYaml, type Locator } from './yaml.ts';

export interface LoadedEdition extends Edition {
  /** Where a value of edition.yaml sits, for errors found by later checks (layouts, slots). */
  locate: Locator;
  /** The docket's stories (articles:, for planning: src/plan/), in its order; `articles` holds those the pages place. */
  docket: ArticleSource[];
}

/** Stage 1: read and validate an edition folder (edition.yaml and its articles); mistakes are thrown with file:line. */
export async function loadEdition(dirArg: string): Promise<LoadedEdition> {
  let dir: string;
  const given = dirArg;
  dirArg = editionFolder(dirArg);
  try {
    dir = await realpath(dirArg);
    if (!(await stat(dir)).isDirectory()) throw new Error('not a folder');
  } catch {
    throw notFound(given);
  }
  const configFile = path.join(dir, 'edition.yaml');
  let raw;
  try {
    raw = await readUtf8(configFile, 'edition.yaml', { bytes: LIMITS.configBytes, name: 'configBytes', what: 'edition.yaml', hint: 'edition.yaml holds metadata and the page plan: keep article text in the articles' });
  } catch (e) {
    if (e instanceof PaibanError) throw e;
    throw new PaibanError('EditionNotFound', `no edition.yaml in ${dirArg}`, {
      where: { file: path.join(dirArg, 'edition.yaml') },
      hint: 'create edition.yaml (paiban new DIR makes one; its fields: docs/writing.md)',
    });
  }
  const inputs: InputFile[] = [{ path: 'edition.yaml', sha256: sha256(raw.bytes), size: raw.bytes.length }];
  const { value: config, locate } = parseYaml(raw.text, EditionSchema, 'edition.yaml', 'EditionInvalid');
  checkPlanLimits(config.pages, locate);
  if ((config.articles?.length ?? 0) > LIMITS.articles) {
    throw new PaibanError('LimitExceeded', `articles: lists ${config.articles!.length} stories: paiban plans at most ${LIMITS.articles} (${limitName('articles')})`, {
      where: { file: 'edition.yaml', ...locate(['articles', LIMITS.articles]) },
      hint: 'split the docket over several editions',
    });
  }

  const errors: PaibanError[] = [];
  const articles: ArticleSource[] = [];
  const seen = new Map<string, ArticleSource>();
  let total = 0;
  const ids = new Set<string>();
  // The articles the pages place, then the docket's (an edition planned by paiban: src/plan/).
  const refs = [
    ...config.pages.flatMap((page, pi) => page.articles.map((plan, ai) => ({ file: plan.file, path: ['pages', pi, 'articles', ai, 'file'], again: !!plan.continue, docket: false }))),
    ...(config.articles ?? []).map((d, di) => ({ file: d.file, path: ['articles', di, 'file'], again: false, docket: true })),
  ];
  const docketSeen = new Set<string>();
  const docket: ArticleSource[] = [];
  for (const plan of refs) {
    const where = { file: 'edition.yaml', ...locate(plan.path) };
    const found = await resolveInside(dir, plan.file);
    if ('problem' in found) {
      const guess = found.problem === 'missing' ? await suggestFile(dir, plan.file) : undefined;
      errors.push(
        found.problem === 'missing'
          ? new PaibanError('ArticleMissing', `article file "${plan.file}" does not exist${guess ? `: did you mean "${guess}"?` : ''}`, { where, hint: guess ? `change it to ${guess}, or create ${plan.file}` : 'check the file name, or create the article' })
          : found.problem === 'notfile'
            ? new PaibanError('ArticleMissing', `article "${plan.file}" is not a regular file (a folder, a pipe or a device)`, { where, hint: 'give the path of a Markdown file' })
            : new PaibanError('PathOutsideEdition', `article file "${plan.file}" is outside the edition folder`, {
                where,
                hint: 'articles must be files inside the edition folder, given by a relative path without ../',
              }),
      );
      continue;
    }
    total += found.size;
    if (total > LIMITS.editionBytes && found.size <= LIMITS.articleBytes) {
      errors.push(
        new PaibanError('LimitExceeded', `the articles up to "${plan.file}" add up to ${formatBytes(total)}: paiban takes at most ${formatBytes(LIMITS.editionBytes)} of articles per edition (${limitName('editionBytes')})`, {
          where,
          hint: 'split the edition into several',
        }),
      );
      break;
    }
    if (plan.docket) {
      if (docketSeen.has(found.abs)) {
        errors.push(new PaibanError('EditionInvalid', `article "${plan.file}" is on the docket twice`, { where, hint: 'list each story once under articles:' }));
        continue;
      }
      docketSeen.add(found.abs);
    }
    if (seen.has(found.abs)) {
      if (plan.docket) docket.push(seen.get(found.abs)!);
      // The docket names the stories the pages place too (a plan written by paiban plan).
      if (!plan.again && !plan.docket) {
        // Placing the same article twice is almost always a copy-paste mistake.
        errors.push(new PaibanError('EditionInvalid', `article "${plan.file}" is placed twice`, { where, hint: 'place each article once; use continue: to jump it to another page' }));
      }
      continue;
    }
    try {
      const article = await loadArticle(found.abs, plan.file, ids);
      inputs.push(article.input);
      // A docket story no page places (held over, or not planned yet) is not built.
      if (plan.docket) docket.push(article.source);
      else articles.push(article.source);
      seen.set(found.abs, article.source);
    } catch (e) {
      if (e instanceof PaibanErrors) errors.push(...e.errors);
      else if (e instanceof PaibanError) errors.push(e);
      else throw e;
    }
  }
  if (errors.length) throw new PaibanErrors(errors);
  return { dir, slug: path.basename(dir), configFile, config, articles, inputs, locate, docket };
}

/** EditionNotFound for an argument that is no edition folder, with what it is and what to give instead. */
function notFound(arg: string): PaibanError {
  const st = (() => {
    try {
      return statSync(arg);
    } catch {
      return undefined;
    }
  })();
  const parent = path.dirname(path.resolve(arg));
  if (st?.isFile()) {
    const hint = existsSync(path.join(parent, 'edition.yaml'))
      ? `give the edition's folder instead: ${path.dirname(arg) || '.'}`
      : 'give the path of a folder holding edition.yaml (paiban new DIR scaffolds one)';
    return new PaibanError('EditionNotFound', `${arg} is a file, not an edition folder`, { where: { file: arg }, hint });
  }
  return new PaibanError('EditionNotFound', `no edition folder at ${arg}`, {
    where: { file: arg },
    hint: 'give the path of a folder holding edition.yaml (paiban new DIR scaffolds one)',
  });
}

/** Too many pages or articles in the plan: LimitExceeded at the line of the first one over. */
function checkPlanLimits(pages: EditionConfig['pages'], locate: Locator): void {
  if (pages.length > LIMITS.planPages) {
    throw new PaibanError('LimitExceeded', `pages: has ${pages.length} entries: paiban takes at most ${LIMITS.planPages} (${limitName('planPages')})`, {
      where: { file: 'edition.yaml', ...locate(['pages', LIMITS.planPages]) },
      hint: 'split the edition into several',
    });
  }
  let n = 0;
  for (const [pi, page] of pages.entries()) {
    for (const ai of page.articles.keys()) {
      if (++n > LIMITS.articles) {
        throw new PaibanError('LimitExceeded', `pages: places more than ${LIMITS.articles} articles: paiban takes at most ${LIMITS.articles} (${limitName('articles')})`, {
          where: { file: 'edition.yaml', ...locate(['pages', pi, 'articles', ai]) },
          hint: 'split the edition into several',
        });
      }
    }
  }
}

const FRONT = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

async function loadArticle(abs: string, file: string, ids: Set<string>): Promise<{ source: ArticleSource; input: InputFile }> {
  const { text, bytes } = await readUtf8(abs, file, {
    bytes: LIMITS.articleBytes,
    name: 'articleBytes',
    what: 'the article',
    hint: 'split it into several articles (one file each in pages:), or check that this is the right file',
  });
  const m = FRONT.exec(text);
  if (!m) {
    throw new PaibanError('FrontMatterInvalid', 'the article has no front matter', {
      where: { file, line: 1 },
      hint: 'start the file with a YAML block between --- lines holding at least `title:`',
    });
  }
  const { value: front } = parseYaml(m[1] ?? '', FrontMatterSchema, file, 'FrontMatterInvalid', 2);
  const bodyLine = m[0].split('\n').length;
  const id = uniqueId(file, ids);
  return {
    source: { id, file, absPath: abs, front, body: text.slice(m[0].length), bodyLine },
    input: { path: file, sha256: sha256(bytes), size: bytes.length },
  };
}

/** `news/Interview 1.md` → `news-interview-1`; ASCII only, unique within the edition. */
function uniqueId(file: string, ids: Set<string>): string {
  const base =
    file
      .replace(/\.[^.]+$/, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || `a${sha256(file).slice(0, 8)}`;
  let id = base;
  for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
  ids.add(id);
  return id;
}
