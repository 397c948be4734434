/**
 * Diagnostics travel with the file they are about (like vfile messages). Content problems are
 * diagnostics: the build goes on and reports them all. Errors that stop a build are PaibanError.
 */

/** How serious a diagnostic is: any error means no output is written (or replaced). */
export type Severity = 'error' | 'warning' | 'info';

/** One thing a build found, tied to the file (and line) it is about, with a stable rule name. */
export interface Diagnostic {
  /** Path relative to the edition folder (or absolute when outside it). */
  file: string;
  line?: number;
  column?: number;
  severity: Severity;
  /** Stable rule name, e.g. `overset`, `refused-url`, `missing-glyph`. */
  rule: string;
  message: string;
}

/** The diagnostics of a build, in the order they were found. */
export class Diagnostics {
  readonly items: Diagnostic[] = [];

  add(d: Diagnostic): void {
    this.items.push(d);
  }
  warn(file: string, rule: string, message: string, line?: number): void {
    this.add({ file, line, severity: 'warning', rule, message });
  }
  info(file: string, rule: string, message: string, line?: number): void {
    this.add({ file, line, severity: 'info', rule, message });
  }
  error(file: string, rule: string, message: string, line?: number): void {
    this.add({ file, line, severity: 'error', rule, message });
  }
  get errors(): Diagnostic[] {
    return this.items.filter((d) => d.severity === 'error');
  }
  merge(other: Diagnostics): void {
    this.items.push(...other.items);
  }
  /** Warnings under these rules become errors (`--strict`). */
  escalate(rules: ReadonlySet<string>): void {
    for (const d of this.items) if (d.severity === 'warning' && rules.has(d.rule)) d.severity = 'error';
  }
}

/**
 * Warnings about the printed page: overset, clipped or missing elements, images below resolution or
 * badly cropped, pages not filled. `--strict` makes each an error.
 */
export const PAGE_RULES: ReadonlySet<string> = new Set(['overset', 'slot-too-small', 'missing-image', 'image-resolution', 'photo-crop', 'underset', 'page-hole', 'page-underfull', 'page-count', 'missing-glyph', 'copyfit', 'font-type3']);

/** What keeps `paiban check` from calling an edition ready to print, warning or not. */
export const NOT_READY_RULES: ReadonlySet<string> = new Set(['overset', 'slot-too-small', 'missing-image', 'image-resolution', 'missing-glyph', 'font-type3', 'content-lost']);

/** Whether nothing overset, clipped, missing or below resolution stands in the way of printing. */
export function readyToPrint(d: Diagnostics): boolean {
  return !d.items.some((x) => x.severity === 'error' || (x.severity === 'warning' && NOT_READY_RULES.has(x.rule)));
}

/** `file:line:col severity rule: message`, the shape editors and CI logs understand. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.file, d.line, d.line !== undefined ? d.column : undefined].filter((x) => x !== undefined).join(':');
  return `${where} ${d.severity} ${d.rule}: ${d.message}`;
}
