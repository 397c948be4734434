/** YAML with line numbers: parse, validate against a zod schema, and point errors at the line. */
import { LineCounter, parseDocument, isCollection, isMap, isScalar, type Document } from 'yaml';
import type { z } from 'zod';
import { PaibanError, PaibanErrors } from '../errors.ts';
import { LIMITS, limitName } from '../limits.ts';

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
    throw new PaibanErrors(
      doc.errors.map(
        (e) =>
          new PaibanError(code, `YAML syntax: ${e.message.split('\n')[0]}`, {
            where: { file, ...at(e.pos[0]) },
            hint: 'fix the YAML syntax (indentation, a missing colon or quote)',
          }),
      ),
    );
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
    throw new PaibanErrors(
      result.error.issues.map((issue) => {
        // An unknown key is reported at its parent's path: point at the key itself.
        const path = issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined ? [...issue.path, issue.keys[0]] : issue.path;
        const where = { file, ...locateKey(doc, path, at) };
        const key = issue.path.length ? issue.path.join('.') : '(top level)';
        return new PaibanError(code, `${key}: ${describeIssue(issue)}`, { where, hint: hintFor(issue, code) });
      }),
    );
  }
  return { value: result.data, locate };
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

function describeIssue(issue: z.core.$ZodIssue): string {
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_union') && (issue as { input?: unknown }).input === undefined) return 'is required but missing';
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_type':
      return issue.message.includes('received undefined') ? 'is required but missing' : issue.message;
    default:
      return issue.message;
  }
}

function hintFor(issue: z.core.$ZodIssue, code: string): string {
  if (issue.code === 'unrecognized_keys') return 'remove it or check its spelling (the fields: docs/writing.md)';
  if (code === 'FrontMatterInvalid') return 'fix the front matter between the --- lines at the top of the article';
  return 'fix edition.yaml (the fields: docs/writing.md)';
}
