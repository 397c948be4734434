/**
 * The error catalogue: every error that stops a build has a permanent name, and a message that says
 * what happened, why, and what to do. Content errors carry the file and line.
 */
export type ErrorCode =
  | 'EditionNotFound'
  | 'EditionInvalid'
  | 'FrontMatterInvalid'
  | 'InvalidUtf8'
  | 'ArticleMissing'
  | 'PathOutsideEdition'
  | 'TemplateNotFound'
  | 'TemplateInvalid'
  | 'LayoutUnknown'
  | 'SlotUnknown'
  | 'BrowserFailed'
  | 'FontsFailed'
  | 'OutputFailed'
  | 'ContentLost'
  | 'LimitExceeded'
  | 'PaginatorUnsupported'
  | 'PreviewFailed'
  | 'FarmUnavailable'
  | 'JobInvalid'
  | 'Usage';

export interface ErrorLocation {
  file: string;
  line?: number;
  column?: number;
}

/** An error that stops a build: a permanent code, where it happened (file:line) and what to do (hint). */
export class PaibanError extends Error {
  readonly code: ErrorCode;
  readonly where?: ErrorLocation;
  /** What the user should do about it. */
  readonly hint?: string;
  /** 1 for content and environment errors, 2 for usage errors. */
  readonly exitCode: 1 | 2;

  constructor(code: ErrorCode, message: string, opts: { where?: ErrorLocation; hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'PaibanError';
    this.code = code;
    this.where = opts.where;
    this.hint = opts.hint;
    this.exitCode = code === 'Usage' ? 2 : 1;
  }

  /** `file:line: message (Code)\n  hint`, without a stack trace. */
  format(): string {
    const w = this.where;
    const loc = w ? `${[w.file, w.line, w.line !== undefined ? w.column : undefined].filter((x) => x !== undefined).join(':')}: ` : '';
    return `${loc}error ${this.code}: ${this.message}${this.hint ? `\n  → ${this.hint}` : ''}`;
  }
}

/** Several content errors found together (e.g. all schema problems of edition.yaml). */
export class PaibanErrors extends Error {
  constructor(readonly errors: PaibanError[]) {
    super(errors.map((e) => e.format()).join('\n'));
    this.name = 'PaibanErrors';
  }
}
