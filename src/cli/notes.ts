/**
 * What the command line says about a build besides the files it wrote: who laid out which pages
 * (and why Paged.js, when it did), and the older outputs it removed.
 */
import type { BuildResult } from '../build.ts';
import type { Paginator } from '../paginate/paginate.ts';

const NAMES: Record<Paginator, string> = { chromium: "Chromium's print layout", pagedjs: 'Paged.js' };

export function outputNotes(r: Pick<BuildResult, 'slug' | 'ok' | 'paginatorOfPage' | 'paginatorReason' | 'staleOutputs'>): string[] {
  if (!r.ok) return [];
  const lines: string[] = [];
  const runs = pageRuns(r.paginatorOfPage);
  if (runs.length) {
    const said = runs.map((x) => `${x.from === x.to ? `page ${x.from}` : `pages ${x.from}-${x.to}`} by ${NAMES[x.paginator]}`);
    lines.push(`${r.slug}: laid out ${said.join(', ')}${r.paginatorReason ? ` (${r.paginatorReason})` : ''}`);
  }
  for (const f of r.staleOutputs.removed) lines.push(`removed ${f} (an earlier build's; this build did not make one)`);
  return lines;
}

/** [chromium, chromium, pagedjs] → pages 1-2 chromium, page 3 pagedjs. */
export function pageRuns(pages: readonly Paginator[]): { from: number; to: number; paginator: Paginator }[] {
  const runs: { from: number; to: number; paginator: Paginator }[] = [];
  pages.forEach((p, i) => {
    const last = runs.at(-1);
    if (last && last.paginator === p) last.to = i + 1;
    else runs.push({ from: i + 1, to: i + 1, paginator: p });
  });
  return runs;
}
