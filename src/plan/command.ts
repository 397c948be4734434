/**
 * `paiban plan EDITION`: plan the pages of an edition from its docket and write them into its
 * edition.yaml as an ordinary `pages:` list (write.ts), reporting where each story went and what was
 * held over. `--dry-run` writes nothing; `--json` prints the report as JSON. Exit 0 when planned
 * (held-over stories are normal), 1 on errors, 2 on usage errors.
 */
import { readFile } from 'node:fs/promises';
import { loadTemplate } from '../compose/template.ts';
import { EditionSchema } from '../config/schema.ts';
import { formatDiagnostic } from '../diagnostics.ts';
import { PaibanError, PaibanErrors } from '../errors.ts';
import { loadEdition } from '../load/edition.ts';
import { parseYaml } from '../load/yaml.ts';
import { writeAtomic } from '../output/atomic.ts';
import { launchBrowser } from '../browser/browser.ts';
import { planEdition } from './index.ts';
import { formatPlan } from './report.ts';
import { writePlan } from './write.ts';

export interface PlanFlags {
  json?: boolean;
  dryRun?: boolean;
  debug?: boolean;
}

export async function runPlan(dir: string, flags: PlanFlags, io = process): Promise<number> {
  try {
    const edition = await loadEdition(dir);
    if (!edition.config.plan || !edition.config.articles?.length) {
      throw new PaibanError('EditionInvalid', 'nothing to plan: edition.yaml has no docket', {
        where: { file: 'edition.yaml', ...edition.locate(['pages']) },
        hint: 'list the stories under articles: ({ file: a.md, priority: 1 } …) and the page budget under plan: { pages: N } (docs/planning.md)',
      });
    }
    const template = await loadTemplate(edition.config.template, edition.dir, edition.config.type);
    const browser = await launchBrowser();
    let planned;
    try {
      planned = await planEdition(edition, template, { browser });
    } finally {
      await browser.close();
    }
    let written: string | undefined;
    if (!flags.dryRun) {
      const text = writePlan(await readFile(edition.configFile, 'utf8'), planned.pages, planned.report);
      // What is written must read back as a valid edition: never leave a broken edition.yaml.
      parseYaml(text, EditionSchema, 'edition.yaml', 'EditionInvalid');
      await writeAtomic(edition.configFile, text);
      written = edition.configFile;
    }
    const problems = planned.report.problems.map((p) => ({ file: 'edition.yaml', severity: 'warning' as const, rule: p.problem ?? 'plan', message: `page ${p.page}, slot ${p.slot}: still ${p.problem} after the plan was checked (${Math.round(p.emptyLines * 10) / 10} lines empty); move its rows in pages: or hold a story over` }));
    if (flags.json) {
      io.stdout.write(`${JSON.stringify({ ok: true, written: written ?? null, plan: planned.report, pages: planned.pages, diagnostics: problems }, null, 2)}\n`);
    } else {
      io.stdout.write(formatPlan(planned.report));
      for (const d of problems) io.stderr.write(`${edition.slug}/${formatDiagnostic(d)}\n`);
      io.stdout.write(written ? `wrote the plan into ${written}\n` : 'nothing was written (--dry-run)\n');
    }
    return 0;
  } catch (e) {
    const errors = e instanceof PaibanErrors ? e.errors : e instanceof PaibanError ? [e] : undefined;
    if (!errors) {
      io.stderr.write(`paiban: internal error: ${(e as Error).message}\n  → please report this with the edition that caused it (run with --debug for the stack)\n`);
      if (flags.debug) io.stderr.write(`${(e as Error).stack}\n`);
      if (flags.json) io.stdout.write(`${JSON.stringify({ ok: false, error: (e as Error).message })}\n`);
      return 1;
    }
    if (flags.json) io.stdout.write(`${JSON.stringify({ ok: false, errors: errors.map((x) => ({ code: x.code, message: x.message, hint: x.hint, ...x.where })) }, null, 2)}\n`);
    else for (const x of errors) io.stderr.write(`${x.where && !x.where.file.startsWith('/') ? `${dir.replace(/\/$/, '')}/` : ''}${x.format()}\n`);
    return Math.max(...errors.map((x) => x.exitCode));
  }
}
