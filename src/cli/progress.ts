/**
 * A progress line on a terminal: for a build that takes longer than a couple of seconds, stderr
 * shows the stage each edition is at and the pages laid out so far, redrawn in place and erased
 * before anything else is printed. Nothing at all when stderr is not a terminal (a pipe, a log
 * file, CI), with --json, or with TERM=dumb.
 */
import type { BuildProgress } from '../progress.ts';

const WORDS: Record<BuildProgress['stage'], string> = {
  load: 'reading',
  render: 'rendering articles',
  compose: 'composing pages',
  fonts: 'preparing fonts',
  paginate: 'laying out pages',
  pdf: 'finishing the PDF',
  epub: 'writing the EPUB',
  preflight: 'preflight',
  write: 'writing',
};

export interface ProgressOptions {
  enabled: boolean;
  stream?: Pick<NodeJS.WriteStream, 'write' | 'isTTY' | 'columns'>;
  env?: NodeJS.ProcessEnv;
  /** Nothing is shown before this much time has passed (ms). */
  delayMs?: number;
  /** How often the line is redrawn (ms). */
  everyMs?: number;
  now?: () => number;
}

export interface Progress {
  /** The callback for one edition's build (BuildOptions.progress). */
  reporter(edition: string): (p: BuildProgress) => void;
  /** An edition's build ended: it leaves the line. */
  done(edition: string): void;
  /** Erase the line (before printing something else); it comes back at the next redraw. */
  clear(): void;
  /** Erase the line and stop. */
  stop(): void;
  /** The line as it would be drawn now (tests). */
  line(): string;
}

export function startProgress(o: ProgressOptions): Progress {
  const stream = o.stream ?? process.stderr;
  const env = o.env ?? process.env;
  const now = o.now ?? Date.now;
  const on = o.enabled && !!stream.isTTY && env.TERM !== 'dumb';
  const start = now();
  const state = new Map<string, { stage: BuildProgress['stage']; pages?: number }>();
  let shown = '';
  const line = () => {
    const parts = [...state].map(([ed, s]) => `${ed}: ${WORDS[s.stage]}${s.stage === 'paginate' && s.pages ? ` (${s.pages} page${s.pages === 1 ? '' : 's'})` : ''}`);
    if (!parts.length) return '';
    const text = `paiban: ${parts.join(' · ')} … ${Math.floor((now() - start) / 1000)} s`;
    const width = Math.max(20, (stream.columns || 80) - 1);
    return text.length > width ? `${text.slice(0, width - 1)}…` : text;
  };
  const draw = () => {
    if (now() - start < (o.delayMs ?? 2000)) return;
    const next = line();
    if (next === shown) return;
    stream.write(`\r\x1b[2K${next}`);
    shown = next;
  };
  const clear = () => {
    if (shown) stream.write('\r\x1b[2K');
    shown = '';
  };
  const timer = on ? setInterval(draw, o.everyMs ?? 250) : undefined;
  timer?.unref();
  return {
    reporter: (edition) => (p) => {
      if (!on) return;
      const name = nameOf(edition);
      state.set(name, { stage: p.stage, pages: p.pages ?? (p.stage === 'paginate' ? state.get(name)?.pages : undefined) });
    },
    done: (edition) => void state.delete(nameOf(edition)),
    clear,
    stop() {
      if (timer) clearInterval(timer);
      clear();
      state.clear();
    },
    line,
  };
}

const nameOf = (edition: string) => edition.replace(/\/+$/, '').split('/').pop() || edition;
