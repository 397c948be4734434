/**
 * Writing a plan into edition.yaml: `pages:` becomes the planned list (as an editor would write it:
 * a block per page, its slots and articles one flow map a line), everything else stays as it was,
 * comments included (the yaml package's Document API edits the parsed document, not the text).
 * `plan:` and the docket under `articles:` stay, so `paiban plan` can plan again keeping the pins; a
 * comment over `pages:` says so and names what was held over.
 */
import { isMap, isSeq, parseDocument, YAMLMap, type Document, type Node } from 'yaml';
import type { PagePlan } from '../config/schema.ts';
import type { PlanReport } from './report.ts';

/** The comment written over a planned `pages:` (the held-over stories after it). */
export const PLANNED_MARK = 'Planned by paiban plan';

export function writePlan(source: string, pages: PagePlan[], report: PlanReport): string {
  const doc = parseDocument(source) as unknown as Document;
  const node = doc.createNode(pages) as Node;
  flowLeaves(node);
  const root = doc.contents;
  if (!isMap(root)) throw new Error('edition.yaml is not a map');
  const pair = root.items.find((p) => (p.key as { value?: unknown })?.value === 'pages');
  const comment = [
    ` ${PLANNED_MARK} from the docket (articles:) and plan:. Edit it freely and build it as it is;`,
    ' paiban plan plans it again (the pins in the docket hold), pages: auto plans at every build.',
    ...report.held.map((h) => ` held over: ${h.file} (priority ${h.priority}): ${h.reason}`),
  ].join('\n');
  if (pair) {
    pair.value = node;
    // The mark replaces the one a former plan wrote; an editor's own comment above it stays.
    const key = pair.key as { commentBefore?: string | null };
    const own = (key.commentBefore ?? '').split('\n').filter((l) => l && !l.startsWith(` ${PLANNED_MARK}`) && !/^ (paiban plan plans it again|held over: )/.test(l));
    key.commentBefore = [...own, ...comment.split('\n')].join('\n');
  } else {
    root.set('pages', node);
  }
  return doc.toString({ lineWidth: 0 });
}

/** Slots and articles as one-line flow maps; pages stay blocks. */
function flowLeaves(pages: Node): void {
  if (!isSeq(pages)) return;
  for (const page of pages.items) {
    if (!isMap(page)) continue;
    for (const field of ['slots', 'articles']) {
      const v = page.get(field, true) as Node | undefined;
      if (isMap(v)) for (const p of v.items) if (p.value instanceof YAMLMap) p.value.flow = true;
      if (isSeq(v)) for (const item of v.items) if (item instanceof YAMLMap) item.flow = true;
    }
  }
}

