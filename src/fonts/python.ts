/**
 * Running `subset.py` under a Python that has fontTools: `$PAIBAN_PYTHON`, else
 * `/usr/bin/python3` (Debian's, where `python3-fonttools` installs; the `python3` first on PATH
 * may be another Python without it). At most {@link MAX_PYTHON} processes run at a time.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface SubsetRequest {
  source: string;
  index: number;
  codepoints: number[];
  output: string;
  /** OpenType language systems to leave out before subsetting (languages.ts). */
  dropLanguages?: string[];
  /** For the tests: also the subsetter's own work on a CFF table that is converted afterwards (subset.py, skip_cff_tidying). */
  tidyCff?: boolean;
}

/** What `subset.py` prints on stdout. */
export interface SubsetResult {
  /** Requested code points the face's cmap lacks. */
  missing: number[];
  glyphs: number;
  converted: boolean;
  warnings: string[];
}

/** Most Python processes at once: each holds a large font in memory. */
export const MAX_PYTHON = 2;
/** A subset of a full CJK text takes seconds; this is only a guard against a hung process. */
const TIMEOUT_MS = 180_000;

const SCRIPT = fileURLToPath(new URL('./subset.py', import.meta.url));
const INSTALL_HINT =
  'Install fontTools for the system Python (apt-get install python3-fonttools), ' +
  'or point PAIBAN_PYTHON at a Python 3 that has it (pip install fonttools).';

/** The interpreter used for subsetting. */
export function pythonPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.PAIBAN_PYTHON || '/usr/bin/python3';
}

let running = 0;
const waiting: Array<() => void> = [];

async function withSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_PYTHON) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await fn();
  } finally {
    const next = waiting.shift();
    if (next) next(); // the slot passes directly to the next waiter
    else running--;
  }
}

function explain(python: string, code: number | null, stderr: string, req: SubsetRequest): Error {
  // subset.py reports failures as a JSON line {"error", "message"} on stderr.
  const line = stderr.split('\n').reverse().find((l) => l.startsWith('{"error"'));
  let kind = '';
  let message = stderr.trim().split('\n').slice(-5).join('\n');
  if (line) {
    try {
      ({ error: kind, message } = JSON.parse(line) as { error: string; message: string });
    } catch {
      /* keep the raw stderr */
    }
  }
  if (kind === 'fonttools-missing' || code === 3) {
    return new Error(`Cannot subset fonts: fontTools is not available to ${python} (${message}). ${INSTALL_HINT}`);
  }
  if (kind === 'font-missing') {
    return new Error(`Cannot subset ${req.source}: the font file is gone (${message}). Reinstall its package or run fc-cache -f.`);
  }
  return new Error(
    `Subsetting ${req.source} (face ${req.index}) failed with exit code ${code}: ${message || 'no message'}. ` +
      `Check that the file is a valid OpenType font; run the request by hand with ${python} ${SCRIPT} to see details.`,
  );
}

/** Run one subset request; resolves with the script's report or rejects with an explanatory Error. */
export function runSubset(req: SubsetRequest, env: NodeJS.ProcessEnv = process.env): Promise<SubsetResult> {
  const python = pythonPath(env);
  return withSlot(
    () =>
      new Promise<SubsetResult>((resolve, reject) => {
        const child = spawn(python, [SCRIPT], {
          // Fixed hash seed: set iteration order must not leak into the output bytes.
          env: { ...env, PYTHONHASHSEED: '0', PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8' },
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
        child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        child.stdin.on('error', () => undefined); // reported through 'close' / 'error' instead
        child.on('error', (e: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          reject(
            e.code === 'ENOENT'
              ? new Error(`Cannot subset fonts: Python interpreter ${python} not found. ${INSTALL_HINT}`)
              : new Error(`Cannot start ${python} for font subsetting: ${e.message}`),
          );
        });
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          if (signal) {
            reject(new Error(`Subsetting ${req.source} was stopped (${signal}) after ${TIMEOUT_MS / 1000} s or by the system.`));
          } else if (code !== 0) {
            reject(explain(python, code, stderr, req));
          } else {
            try {
              resolve(JSON.parse(stdout) as SubsetResult);
            } catch {
              reject(new Error(`Subsetting ${req.source}: unreadable report from ${SCRIPT}: ${stdout.slice(0, 200)}`));
            }
          }
        });
        child.stdin.end(JSON.stringify(req));
      }),
  );
}
