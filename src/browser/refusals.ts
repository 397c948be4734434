/**
 * What the page tried and was refused, reported against the file that asked for it. A refused
 * request (interception) or a blocked load (the Content-Security-Policy) carries only a URL: the
 * tracer looks for that URL in the articles and the template's files and names the file and line
 * where it is written, e.g. the url() in an edition's own stylesheet. Each URL is reported once.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { ASSET_PREFIX, EDITION_PREFIX, ORIGIN } from '../compose/compose.ts';
import type { Diagnostics } from '../diagnostics.ts';
import { isInside } from '../load/files.ts';

export interface TraceSource {
  /** A template file is searched first for URLs relative to paiban's assets (a stylesheet's url()). */
  template?: boolean;
  /** The name diagnostics use: relative to the edition when inside it. */
  file: string;
  /** Its text, or an absolute path to read it from when a URL needs tracing. */
  text?: string;
  abs?: string;
  /** Line of the file where `text` starts (an article's body starts after its front matter). */
  firstLine?: number;
}

export type Tracer = (url: string) => { file: string; line?: number };

/** Sources for a build: the articles' bodies and every file of the template. */
export function traceSources(editionDir: string, articles: { file: string; body: string; bodyLine: number }[], templateFiles: string[]): TraceSource[] {
  return [
    ...articles.map((a) => ({ file: a.file, text: a.body, firstLine: a.bodyLine })),
    ...templateFiles.map((abs) => ({ file: isInside(editionDir, abs) ? path.relative(editionDir, abs) : abs, abs, template: true })),
  ];
}

export function makeTracer(sources: TraceSource[], fallback = 'edition.yaml'): Tracer {
  const text = (s: TraceSource) => {
    if (s.text === undefined) {
      try {
        s.text = readFileSync(s.abs!, 'utf8');
      } catch {
        s.text = '';
      }
    }
    return s.text;
  };
  const templatesFirst = [...sources.filter((s) => s.template), ...sources.filter((s) => !s.template)];
  return (url) => {
    const fromStylesheet = url.startsWith(`${ORIGIN}${ASSET_PREFIX}`);
    for (const needle of needlesFor(url)) {
      for (const s of fromStylesheet ? templatesFirst : sources) {
        const t = text(s);
        const i = t.indexOf(needle);
        if (i >= 0) return { file: s.file, line: (s.firstLine ?? 1) + (t.slice(0, i).match(/\n/g)?.length ?? 0) };
      }
    }
    return { file: fallback };
  };
}

/** How a URL may be written in a source, most specific first. */
function needlesFor(url: string): string[] {
  const out = [url];
  let u: URL | undefined;
  try {
    u = new URL(url);
  } catch {
    /* not a URL: the text itself */
  }
  if (u && u.origin === ORIGIN) {
    // A relative reference, resolved against the edition: look for the path as written.
    const prefix = [EDITION_PREFIX, ASSET_PREFIX].find((x) => u!.pathname.startsWith(x)) ?? '/';
    const p = u.pathname.slice(prefix.length);
    let decoded = p;
    try {
      decoded = decodeURIComponent(p);
    } catch {
      /* keep it encoded */
    }
    out.push(decoded, p, path.posix.basename(decoded));
  } else if (u && u.host) {
    out.push(`//${u.host}${u.pathname}`, u.host + u.pathname, u.host);
  } else if (u) {
    out.push(url.slice(u.protocol.length));
  }
  return [...new Set(out.filter((n) => n.length >= 3))];
}

/**
 * Console messages of blocked loads, in the wording of current Chromium ("Loading the image
 * 'http://…' violates the following Content Security Policy directive …", "Framing '…' violates …")
 * and of older ones ("Refused to load the image 'http://…' because it violates …").
 */
const CSP_REFUSAL = /^(?:[A-Z][\w ]*? '([^']+)' violates the following Content Security Policy|Refused to (?:load|connect to|frame|execute script from|apply style from|create a worker from)[^']*'([^']+)')/;
const CSP_INLINE = /^(?:Executing inline (?:script|event handler)|Applying inline style|Evaluating a string as JavaScript) violates|^Refused to (?:execute inline|apply inline style|evaluate a string)/;
const LOCAL_FILE = /^Not allowed to load local resource: (\S+)/;

/** Turn the page's refusals, blocked loads and errors into diagnostics, each URL once. */
export function reporter(diagnostics: Diagnostics, trace: Tracer) {
  const seen = new Set<string>();
  const refused = (url: string, why: string) => {
    const key = url.slice(0, 500);
    if (seen.has(key)) return;
    seen.add(key);
    const at = trace(url);
    diagnostics.warn(at.file, 'refused-request', `the page asked for ${url.slice(0, 120)}: refused (${why})`, at.line);
  };
  return {
    refused,
    watch(page: Page) {
      page.on('pageerror', (e) => diagnostics.warn('edition.yaml', 'browser-error', `script error in the page: ${String(e).slice(0, 300)}`));
      page.on('console', (m) => {
        if (m.type() !== 'error' || /Failed to load resource/.test(m.text())) return;
        const text = m.text();
        const csp = CSP_REFUSAL.exec(text);
        if (csp) return refused((csp[1] ?? csp[2])!, 'blocked by the Content-Security-Policy: paiban loads only its own files and the edition\'s');
        const local = LOCAL_FILE.exec(text);
        if (local) return refused(local[1]!, 'local files outside the edition are not loaded');
        if (CSP_INLINE.test(text)) {
          if (!seen.has('inline')) diagnostics.warn('edition.yaml', 'refused-script', 'the template has inline script or event handlers: they do not run (only paiban\'s own scripts run)');
          seen.add('inline');
          return;
        }
        diagnostics.warn('edition.yaml', 'browser-console', text.slice(0, 300));
      });
    },
  };
}
