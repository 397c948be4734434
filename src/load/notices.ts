/**
 * Things that build fine but are not what the editor meant, said as warnings with the file and line:
 * an article with a headline and no text (it would print as a lone headline), and a `continue:`
 * whose article fit its first slot, so nothing jumped and the slot kept for the rest stays empty.
 */
import type { Diagnostics } from '../diagnostics.ts';
import type { ArticleSource, EditionConfig, RenderedArticle } from '../model.ts';
import type { Locator } from './yaml.ts';

/** An article whose body has no text and no picture. */
export function reportEmptyArticles(articles: readonly RenderedArticle[], sources: readonly ArticleSource[], diagnostics: Diagnostics): void {
  for (const a of articles) {
    if (a.text.trim() !== '' || a.figures.length > 0) continue;
    const source = sources.find((s) => s.id === a.id);
    diagnostics.warn(
      a.file,
      'empty-article',
      `"${a.front.title}" has a headline and no text: it would print as a lone headline; write the story under the front matter (after the closing ---), or take the article out of pages: in edition.yaml`,
      source?.bodyLine,
    );
  }
}

/**
 * Each `continue:` of the plan whose article did not jump (`jumped`: ids of the articles that did).
 * The slot it was to continue in is left empty on its page.
 */
export function reportUnusedJumps(pages: EditionConfig['pages'], articles: readonly RenderedArticle[], jumped: ReadonlySet<string>, locate: Locator, diagnostics: Diagnostics): void {
  pages.forEach((page, pi) => {
    page.articles.forEach((plan, ai) => {
      if (!plan.continue) return;
      const article = articles.find((a) => a.file === plan.file);
      if (!article || jumped.has(article.id)) return;
      const where = locate(['pages', pi, 'articles', ai, 'continue']);
      diagnostics.warn(
        'edition.yaml',
        'continue-unused',
        `${plan.file} fits in slot "${plan.slot ?? ''}" on page ${pi + 1}: nothing continues on page ${plan.continue.page}, and slot "${plan.continue.slot}" there stays empty; give that slot another article, or remove continue:`,
        where.line,
      );
    });
  });
}
