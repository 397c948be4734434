/** YAML with line numbers: parse, validate against a zod schema, and point errors at the line. */
import { LineCounter, parseDocument, isCollection, isMap, isScalar, type Document } from 'yaml';
import type { z } from 'zod';
import { PaibanError, PaibanErrors } from '../errors.ts';
import { LIMITS, limitName } from '../limits.ts';
import { closest, knownKeys } from './suggest.ts';
import { explainSyntax } from './yaml-hints.ts';

export type Locator = (path: readonly PropertyKey[]) => { line?: number; column?: number };

export interface ParsedYaml<T> {
  value: T;
  locate: Locator;
}

/**
 * Parse `text` (from `file`, whose first line is `firstLine`) and validate it. Every schema problem
 * becomes a PaibanError at the line of the offending value (or of its parent when it is missing).
 */
export function parseYaml<S extends z.ZodType>(
  text: string,
  schema: S,
  file: string,
  code: 'EditionInvalid' | 'FrontMatterInvalid',
  firstLine = 1,
): ParsedYaml<z.infer<S>> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line + firstLine - 1, column: p.col };
  };
  if (doc.errors.length > 0) {
    const p = explainSyntax(text, doc.errors, whatFile(file, code));
    throw new PaibanError(code, p.message, { where: { file, ...at(p.offset) }, hint: p.hint });
  }
  const locate: Locator = (path) => locateIn(doc, path, at);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: LIMITS.yamlAliases });
  } catch (e) {
    // The only failure left after a clean parse: aliases that expand too much ("billion laughs").
    const alias = /(^|[\s,[{:-])\*[^\s,\]}]+/m.exec(text);
    throw new PaibanError(code, `YAML aliases (*name) expand too much: ${(e as Error).message} (${limitName('yamlAliases')})`, {
      where: { file, ...(alias ? at(alias.index) : { line: firstLine }) },
      hint: 'write the values out instead of repeating aliases',
    });
  }
  const result = schema.safeParse(data ?? {});
  if (!result.success) {
    const problems = explain(flatten(result.error.issues), schema, data, (path) => hintFor(code, file, path));
    throw new PaibanErrors(problems.map((p) => new PaibanError(code, p.message, { where: { file, ...locateKey(doc, p.path, at) }, hint: p.hint })));
  }
  return { value: result.data, locate };
}

/** What kind of file this is, for hints. */
function whatFile(file: string, code: string): string {
  if (code === 'FrontMatterInvalid') return `the front matter of ${file}`;
  return file;
}

type Issue = z.core.$ZodIssue;

/** A union that failed in every branch: the branch that got furthest (not wrong at its root). */
function flatten(issues: readonly Issue[]): Issue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union' || !issue.errors?.length) return [issue];
    // A branch wrong at its root (another type, another literal such as `auto`) is not the one meant.
    const branches = issue.errors.filter((b) => !b.every((x) => (x.code === 'invalid_type' || x.code === 'invalid_value') && x.path.length === 0));
    const chosen = branches.length === 1 ? branches[0]! : undefined;
    if (!chosen) return [issue];
    return flatten(chosen.map((x) => ({ ...x, path: [...issue.path, ...x.path] }) as Issue));
  });
}

interface Problem {
  /** Where it is: the path of the key itself for an unknown or misspelt key. */
  path: PropertyKey[];
  message: string;
  hint: string;
}

/**
 * One problem per mistake: a misspelt key is "unknown field … did you mean", and the field it
 * should have been is not also reported missing; a missing field with a near-miss in the data
 * points at the near-miss.
 */
function explain(issues: Issue[], schema: z.ZodType, data: unknown, fallbackHint: (path: readonly PropertyKey[]) => string): Problem[] {
  const problems: Problem[] = [];
  const suggested = new Set<string>();
  const name = (path: readonly PropertyKey[]) => path.join('.');
  const at = (path: readonly PropertyKey[]) => (path.length ? `${name(path)}: ` : '');
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const known = knownKeys(schema, issue.path);
    for (const key of issue.keys) {
      const present = new Set(Object.keys(valueAt(data, issue.path) ?? {}));
      const guess = closest(key, known.filter((k) => !present.has(k)));
      if (guess) suggested.add(`${name(issue.path)}\0${guess}`);
      problems.push({
        path: [...issue.path, key],
        message: `${at(issue.path)}unknown field "${key}"${guess ? `: did you mean "${guess}"?` : ''}`,
        hint: guess ? `rename it to ${guess}` : known.length ? `remove it, or use one of: ${known.join(', ')}` : 'remove it',
      });
    }
  }
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') continue;
    const missing = isMissing(issue, data);
    const parent = issue.path.slice(0, -1);
    const last = issue.path.at(-1);
    if (missing && typeof last === 'string') {
      if (suggested.has(`${name(parent)}\0${last}`)) continue; // reported as the misspelling above
      const present = Object.keys(valueAt(data, parent) ?? {});
      const near = present.find((k) => k !== last && closest(k, [last]) === last);
      if (near) {
        problems.push({ path: [...parent, near], message: `${at(issue.path)}is required but missing, and "${near}" looks like a misspelling of it`, hint: `rename ${near} to ${last}` });
        continue;
      }
    }
    const params = (issue as { params?: { hint?: unknown } }).params;
    problems.push({ path: [...issue.path], message: `${issue.path.length ? at(issue.path) : '(top level): '}${missing ? 'is required but missing' : describe(issue, rawAt(data, issue.path))}`, hint: typeof params?.hint === 'string' ? params.hint : fallbackHint(issue.path) });
  }
  return problems;
}

/** A field absent from the data (zod leaves out an issue's input unless asked: look in the data). */
function isMissing(issue: Issue, data: unknown): boolean {
  return (issue.code === 'invalid_type' || issue.code === 'invalid_union') && rawAt(data, issue.path) === undefined;
}

function describe(issue: Issue, input: unknown): string {
  if (issue.code === 'invalid_value' && issue.values.length) {
    const options = issue.values.map(String);
    const guess = typeof input === 'string' ? closest(input, options) : undefined;
    return `${JSON.stringify(input)} is not one of ${options.map((v) => `"${v}"`).join(', ')}${guess ? `: did you mean "${guess}"?` : ''}`;
  }
  // The schema's own words for a pattern say what is expected ("a BCP 47 language tag such as …").
  if (issue.code === 'invalid_format' && typeof input === 'string' && /^an? /.test(issue.message)) return `${JSON.stringify(input)} is not ${issue.message}`;
  return issue.message;
}

function rawAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): Record<string, unknown> | undefined {
  const v = rawAt(data, path);
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function locateIn(doc: Document, path: readonly PropertyKey[], at: (o: number) => { line: number; column: number }) {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) {
      // A missing key points at its parent collection's start; an existing value at itself.
      return at(range[0]);
    }
    if (n === 0 && !isCollection(doc.contents)) return { line: 1 };
  }
  return {};
}

/** Like locateIn, but for a key that exists: the line of the key itself rather than its value. */
function locateKey(doc: Document, path: readonly PropertyKey[], at: (o: number) => { line: number; column: number }) {
  const parent = path.length ? doc.getIn(path.slice(0, -1) as unknown[], true) : undefined;
  if (path.length && isMap(parent)) {
    const last = path[path.length - 1];
    const pair = parent.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === last);
    const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
    if (range) return at(range[0]);
  }
  return locateIn(doc, path, at);
}

function hintFor(code: string, file: string, path: readonly PropertyKey[]): string {
  if (code === 'FrontMatterInvalid') return 'fix the front matter between the --- lines at the top of the article';
  if (file.endsWith('template.yaml')) return 'fix template.yaml (see templates/newspaper/README.md for what a template holds)';
  // The docket and the page budget are the planner's input, described with it.
  if (path[0] === 'articles' || path[0] === 'plan') return 'fix edition.yaml (the docket and plan: fields: docs/planning.md)';
  return 'fix edition.yaml (the fields: docs/writing.md)';
}
