/**
 * `paiban new DIR [--lang TAG]` as the command line runs it: the files written, and the next step
 * spelled as it works where the user is (invocation.ts): `paiban build DIR` when paiban is on the
 * PATH, `bin/paiban build DIR` from a clone, `npx paiban build DIR` from a project's node_modules.
 */
import { errorsOf, printError } from '../cli/errors.ts';
import { paibanCommand, shellQuote } from '../invocation.ts';
import { scaffold } from './new.ts';

export async function runNew(dir: string, flags: { lang?: string; debug?: boolean }): Promise<number> {
  try {
    const files = await scaffold(dir, { language: flags.lang });
    for (const f of files) process.stdout.write(`wrote ${f}\n`);
    process.stdout.write(`build it with: ${paibanCommand()} build ${shellQuote(dir)}\n`);
    return 0;
  } catch (e) {
    printError(e, undefined, flags.debug);
    const errors = errorsOf(e);
    return errors.length ? Math.max(...errors.map((x) => x.exitCode)) : 1;
  }
}
