/**
 * "Did you mean": the fields a schema knows at a path, and the closest of them to a misspelt one.
 * The schema is the single source (config/schema.ts, the template's schema): what it accepts is
 * what is suggested, so a new field is suggested as soon as it exists.
 */
import type { z } from 'zod';

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  options?: z.ZodType[];
};

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The object schemas a value at `path` may be checked against (wrappers, pipes and unions opened). */
function schemasAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType[] {
  let current = open(schema);
  for (const key of path) {
    const next: z.ZodType[] = [];
    for (const s of current) {
      const d = defOf(s);
      if (d.type === 'object' && typeof key === 'string' && d.shape?.[key]) next.push(...open(d.shape[key]));
      else if (d.type === 'array' && typeof key === 'number' && d.element) next.push(...open(d.element));
      else if (d.type === 'record' && d.valueType) next.push(...open(d.valueType));
    }
    current = next;
  }
  return current;
}

function open(s: z.ZodType, depth = 0): z.ZodType[] {
  if (depth > 20) return [];
  const d = defOf(s);
  if (d.innerType) return open(d.innerType, depth + 1);
  if (d.type === 'pipe' && d.in) return [...open(d.in, depth + 1), ...(d.out ? open(d.out, depth + 1) : [])];
  if (d.type === 'union' && d.options) return d.options.flatMap((o) => open(o, depth + 1));
  return [s];
}

/** The field names an object at `path` may have (empty when it is not an object of known shape). */
export function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const keys = new Set<string>();
  for (const s of schemasAt(schema, path)) {
    const d = defOf(s);
    if (d.type === 'object' && d.shape) for (const k of Object.keys(d.shape)) keys.add(k);
  }
  return [...keys];
}

/** The candidate closest to `word` when it is close enough to be a slip of the keyboard. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(w, c.toLowerCase());
    // Same letters in another case, one slip in a short word, about a third of a long one.
    const allowed = Math.max(1, Math.floor(Math.min(w.length, c.length) / 3));
    if (d <= allowed && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swapped neighbours. */
export function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}
