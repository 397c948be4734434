// Build the frontpage test editions and print their diagnostics and placements.
import { build } from '../src/index.ts';
const dir = process.argv[2]!;
const r = await build(dir, { out: '/tmp/frontout', pdf: true });
for (const d of r.diagnostics.items) if (d.severity !== 'info' || d.rule === 'copyfit') console.log(d.severity, d.rule, d.file, d.message.slice(0, 160));
for (const p of r.placed) console.log(p.page, p.slot, p.file, p.part ?? '', p.chars, p.hiddenChars, p.emptyShare);
