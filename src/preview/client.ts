/**
 * The script of the preview page, served as /_paiban/preview.js: Paged.js lays out the pages in
 * the editor's own browser, then paiban's own page-time passes run (copyfit, jumps, measuring) and
 * an overlay lists what the build would report (overset or cut slots outlined in red, slots left
 * partly empty in orange). The page reloads when the server says the edition changed, keeping the
 * scroll position.
 */
import type { measurePages } from '../layout/measure.ts';
import { PAGE_LIB } from '../layout/page-lib.ts';
import type { slotPass, SlotPassOptions } from '../layout/slots.ts';

export function clientScript(opts: SlotPassOptions): string {
  // The page-time functions are sent as source (page-lib.ts).
  return `window.PagedConfig = { auto: false };
${PAGE_LIB}
(${run.toString()})(${JSON.stringify(opts)}, PB.slotPass, PB.measurePages);
`;
}

/** Runs in the browser. */
function run(opts: SlotPassOptions, pass: typeof slotPass, measure: typeof measurePages): void {
  const overlay = (html: string, bad: boolean) => {
    let el = document.getElementById('pb-preview-overlay');
    if (!el) {
      el = document.createElement('div');
      el.id = 'pb-preview-overlay';
      el.setAttribute('style', 'position:fixed;right:12px;bottom:12px;max-width:420px;max-height:40vh;overflow:auto;z-index:99999;font:13px/1.5 sans-serif;padding:8px 12px;border-radius:6px;box-shadow:0 2px 8px #0004;white-space:pre-wrap');
      document.body.appendChild(el);
    }
    el.style.background = bad ? '#fde8e8' : '#e8f5e9';
    el.textContent = html;
  };
  // Pages on a grey desk, as in a layout program.
  const desk = document.createElement('style');
  desk.textContent = '@media screen { html { background: #8a8a8a; } .pagedjs_pages { display: flex; flex-direction: column; align-items: center; gap: 24px; padding: 24px 0; } .pagedjs_page { background: #fff; box-shadow: 0 2px 12px #0006; } }';
  document.head.appendChild(desk);
  const events = new EventSource('/_paiban/events');
  events.addEventListener('reload', () => {
    sessionStorage.setItem('pb-scroll', String(window.scrollY));
    location.reload();
  });
  const script = document.createElement('script');
  script.src = '/_paiban/paged.polyfill.js';
  script.onload = async () => {
    const w = window as unknown as { PagedPolyfill: { preview(): Promise<unknown> } };
    await w.PagedPolyfill.preview();
    pass(opts);
    const m = measure();
    const lines: string[] = [];
    // What the build would report of each slot: cut parts, overset and columns short of the foot.
    for (const s of m.slots) {
      const said = [
        s.clipped.length ? `${s.clipped.join(', ')} do not fit` : '',
        s.hiddenChars > 0 ? `overset: ${s.hiddenChars} of ${s.chars} characters hidden` : '',
        !s.hiddenChars && s.part !== 'first' && s.emptyDepth > 2 * s.lineHeight ? `underset: columns end up to ${Math.round(s.emptyDepth / s.lineHeight)} lines short` : '',
      ].filter(Boolean);
      if (!said.length) continue;
      lines.push(`${s.article} on page ${s.page}, slot "${s.slot}": ${said.join('; ')}`);
      const colour = s.clipped.length || s.hiddenChars ? '#d00' : '#e90';
      document.querySelectorAll<HTMLElement>(`.pb-slot[data-slot="${s.slot}"]`).forEach((el) => {
        if (el.querySelector(`[data-article="${s.article}"]`)) el.style.outline = `3px solid ${colour}`;
      });
    }
    const diags = (await (await fetch('/_paiban/diagnostics.json')).json()) as string[];
    overlay([`${m.pages.length} pages`, ...diags, ...lines].join('\n'), lines.length > 0 || diags.some((d) => / error /.test(d)));
    window.scrollTo(0, Number(sessionStorage.getItem('pb-scroll') ?? 0));
  };
  document.head.appendChild(script);
}
