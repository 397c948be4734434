/**
 * The command line: `paiban build [EDITION_DIR…]` and friends. Exit codes: 0 success (warnings
 * allowed), 1 content or environment errors, 2 usage errors. No stack trace unless --debug.
 */
import { Command, CommanderError } from 'commander';
import { addEditionCommands, addFarmCommands } from './cli/commands.ts';
import { errorRecords, printError, printJson } from './cli/errors.ts';
import { VERSION } from './version.ts';

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  // --json: one JSON document on stdout whatever happens, usage errors and --help included.
  const json = argv.includes('--json');
  let helpText = '';
  const program = new Command('paiban')
    .description('Markdown to print-ready newspaper pages (PDF) and e-books (EPUB)')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError('  → see the command\'s --help for its options')
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => (json ? (helpText += s) : process.stdout.write(s)) });

  const done = (code: number) => {
    exitCode = code;
  };
  addEditionCommands(program, done);
  addFarmCommands(program, done);

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with code 0; everything else is a usage error.
      if (e.exitCode === 0) {
        if (json) printJson({ ok: true, exitCode: 0, output: helpText || `${VERSION}\n`, errors: [] });
        return 0;
      }
      if (json) {
        const command = argv.find((a) => !a.startsWith('-'));
        const hint = `see paiban ${command && program.commands.some((c) => c.name() === command) ? `${command} ` : ''}--help`;
        printJson({ ok: false, exitCode: 2, errors: [{ code: 'Usage', edition: null, file: null, line: null, column: null, message: e.message.replace(/^error: /, ''), hint, exitCode: 2 }] });
      }
      return 2;
    }
    // A bug: one line (the stack with --debug), and the JSON document when asked for.
    const debug = argv.includes('--debug');
    printError(e, undefined, debug);
    if (json) printJson({ ok: false, exitCode: 1, errors: errorRecords(e) });
    return 1;
  }
  return exitCode;
}
