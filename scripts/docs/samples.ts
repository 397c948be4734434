/**
 * Sample outputs shown in the docs, made by running the real command line on the README's
 * five-minute edition in a scratch folder: what a user sees, as text blocks for the docs.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeQuickstart } from './quickstart.ts';

export interface Ran {
  command: string;
  output: string;
  code: number;
}

/** The folder the samples show as their working directory. */
export const SHOWN_DIR = '/home/editor/news';

export class SampleRunner {
  readonly runs: Ran[] = [];
  constructor(
    readonly root: string,
    readonly cwd: string,
  ) {}

  /** Run `paiban ARGS` in the scratch folder as a user would (stdout and stderr interleaved, or stdout alone). */
  paiban(args: string, shown = `paiban ${args}`, { stdoutOnly = false } = {}): Ran {
    const bin = path.join(this.root, 'bin', 'paiban');
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_') && k !== 'SOURCE_DATE_EPOCH'));
    const r = spawnSync('sh', ['-c', `exec node '${bin}' ${args} ${stdoutOnly ? '2>/dev/null' : '2>&1'}`], { cwd: this.cwd, encoding: 'utf8', env: { ...env, COLUMNS: '100' }, maxBuffer: 64 * 1024 * 1024 });
    const output = (r.stdout ?? '').split(bin).join('paiban').split(this.cwd).join(SHOWN_DIR);
    const ran = { command: shown, output, code: r.status ?? -1 };
    this.runs.push(ran);
    return ran;
  }
}

/** A console block: the command, what it printed and, when it failed, its exit code. */
export function consoleBlock(...runs: Ran[]): string {
  const body = runs.map((r) => `$ ${r.command}\n${r.output}${r.code !== 0 ? `$ echo $?\n${r.code}\n` : ''}`).join('');
  return `\`\`\`console\n${body}\`\`\`\n`;
}

export interface Samples {
  blocks: Map<string, string>;
  /** Every command run, with its output and exit code (the tests check the five-minute build). */
  runs: Record<string, Ran>;
}

/** Run every sample in `work` (an empty folder) and return the docs' blocks. */
export function makeSamples(root: string, work: string): Samples {
  const q = writeQuickstart(root, work);
  const run = new SampleRunner(root, work);
  const runs: Record<string, Ran> = {};
  const blocks = new Map<string, string>();
  const slug = q.command.split(' ').pop()!;

  runs.quickstart = run.paiban(q.command.replace(/^bin\/paiban /, ''), q.command);
  blocks.set('quickstart-build', consoleBlock(runs.quickstart));

  runs.check = run.paiban(`check ${slug}`);
  blocks.set('check', consoleBlock(runs.check));

  // verify: the build just made, then the same after an article changed.
  runs.identical = run.paiban(`verify output/${slug}.manifest.json`);
  const article = [...q.files.keys()].find((f) => f.endsWith('.md'))!;
  const original = readFileSync(path.join(work, article), 'utf8');
  appendFileSync(path.join(work, article), '\nOne sentence more.\n');
  runs.differs = run.paiban(`verify output/${slug}.manifest.json`);
  writeFileSync(path.join(work, article), original);
  blocks.set('verify', consoleBlock(runs.identical, { ...runs.differs, command: `${runs.differs.command}     # after ${path.basename(article)} was edited` }));

  // stdout alone: the JSON document (the diagnostics are also printed on stderr, for a person).
  runs.json = run.paiban(`build ${slug} --json --out json`, undefined, { stdoutOnly: true });
  blocks.set('build-json', consoleBlock(runs.json));

  // A mistake: a slot the layout does not have.
  cpSync(path.join(work, slug), path.join(work, 'typo'), { recursive: true });
  const yaml = path.join(work, 'typo', 'edition.yaml');
  writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/slot: (\w+)/, (_, s: string) => `slot: ${s === 'lead' ? 'leed' : `${s}x`}`));
  runs.error = run.paiban('build typo');
  blocks.set('error', consoleBlock(runs.error));

  runs.new = run.paiban('new my-edition --lang en');
  blocks.set('new', consoleBlock(runs.new));

  blocks.set('cli-help', cliHelp(run));
  return { blocks, runs };
}

/** `paiban --help` and every command's own --help, as commander prints them. */
export function cliHelp(run: SampleRunner): string {
  const top = run.paiban('--help');
  const commands = (/\nCommands:\n([\s\S]*)/.exec(top.output)?.[1] ?? '')
    .split('\n')
    .map((l) => /^ {2}([\w-]+)/.exec(l)?.[1])
    .filter((c): c is string => !!c && c !== 'help');
  const parts = [`\`\`\`text\n$ paiban --help\n${top.output}\`\`\`\n`];
  for (const c of commands) parts.push(`\n### paiban ${c}\n\n\`\`\`text\n$ paiban ${c} --help\n${run.paiban(`${c} --help`).output}\`\`\`\n`);
  return parts.join('');
}
