/**
 * `paiban preview [EDITION_DIR] [--port N]` as the command line runs it. Usage and environment
 * errors are answered like the other commands': one line with a hint, exit 2 (usage: commander
 * checks the port's value) or 1 (no edition folder, the port taken or not allowed), and a stack
 * trace only with --debug. A mistake inside an existing edition is not such an error: the preview
 * starts and shows it on the page until it is fixed.
 */
import { errorsOf, printError } from '../cli/errors.ts';
import { PaibanError } from '../errors.ts';
import { loadEdition } from '../load/edition.ts';

export async function runPreview(dir: string, flags: { port: string; debug?: boolean }): Promise<number> {
  try {
    const port = portNumber(flags.port);
    // No edition folder at all: nothing to preview, said at once.
    await loadEdition(dir).catch((e: unknown) => {
      if (errorsOf(e).some((x) => x.code === 'EditionNotFound')) throw e;
    });
    const { preview } = await import('./server.ts');
    const p = await preview(dir, { port, onBuild: (messages) => messages.forEach((m) => process.stderr.write(`${m}\n`)) });
    process.stdout.write(`paiban preview: open ${p.url} (Ctrl-C to stop); pages reload when you save\n`);
    await new Promise<void>((resolve) => process.once('SIGINT', () => void p.close().then(resolve)));
    return 0;
  } catch (e) {
    printError(e, undefined, flags.debug);
    const errors = errorsOf(e);
    return errors.length ? Math.max(...errors.map((x) => x.exitCode)) : 1;
  }
}

/** The --port value as a number; a Usage error (exit 2) for anything that is not a TCP port. */
export function portNumber(v: string): number {
  const n = Number(v);
  if (!/^\s*\d+\s*$/.test(v) || n < 1 || n > 65535) {
    throw new PaibanError('Usage', `--port ${v} is not a port`, { hint: 'give a whole number from 1024 to 65535 (the default is 4173; ports below 1024 need root)' });
  }
  return n;
}
