/**
 * Where the edition's sections and articles landed on the printed pages: the PDF's bookmarks and the
 * EPUB's navigation (page titles with their printed page numbers). For the orchestrator (build.ts).
 */
import type { ComposedDocument } from './compose/compose.ts';
import type { RenderedArticle } from './model.ts';
import type { PaginateResult } from './paginate/paginate.ts';
import type { OutlineEntry } from './pdf/postprocess.ts';

/** First paginated page (0-based) of each planned page. */
function planPageStarts(paged: PaginateResult): Map<number, number> {
  const starts = new Map<number, number>();
  paged.measure.pages.forEach((p, i) => {
    if (!starts.has(p.planPage)) starts.set(p.planPage, i);
  });
  return starts;
}

export function outlineFor(composed: ComposedDocument, paged: PaginateResult, articles: RenderedArticle[]): OutlineEntry[] {
  const starts = planPageStarts(paged);
  const byId = new Map(articles.map((a) => [a.id, a]));
  return composed.sections.map((s) => {
    const pageIndex = starts.get(s.page) ?? 0;
    return {
      title: composed.locale.pageTitle(pageIndex + 1, s.title),
      pageIndex,
      children: s.articleIds.map((id) => ({ title: byId.get(id)!.front.title, pageIndex: (paged.measure.articleStart[id] ?? pageIndex + 1) - 1 })),
    };
  });
}

export function sectionsFor(composed: ComposedDocument, paged: PaginateResult, articles: RenderedArticle[]) {
  const starts = planPageStarts(paged);
  const byId = new Map(articles.map((a) => [a.id, a]));
  return composed.sections.map((s) => ({
    title: composed.locale.pageTitle((starts.get(s.page) ?? 0) + 1, s.title),
    articles: s.articleIds.map((id) => byId.get(id)!),
  }));
}
