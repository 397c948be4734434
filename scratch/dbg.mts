import { build } from '/work/wt-12/src/index.ts';
const dir = process.argv[2] ?? 'content/zjrb-2022-06-15';
await build(dir, { write: false, inspect: async (page) => {
  const r = await page.evaluate(() => {
    return Array.from(document.querySelectorAll<HTMLElement>('.pb-slot')).map((s) => {
      const art = s.querySelector<HTMLElement>('article'); const body = art?.querySelector<HTMLElement>('.pb-body');
      const sb = s.getBoundingClientRect(); const bb = body?.getBoundingClientRect();
      const range = document.createRange(); if (body) range.selectNodeContents(body);
      const rects = body ? Array.from(range.getClientRects()).map(r => Math.round(r.bottom)) : [];
      const imgs = Array.from(s.querySelectorAll('img')).map(i => { const r = i.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height), i.naturalWidth, i.naturalHeight]; });
      return { slot: s.dataset.slot, slot_box: [Math.round(sb.top), Math.round(sb.bottom)], body: bb && [Math.round(bb.top), Math.round(bb.bottom), body!.scrollHeight, body!.clientHeight, body!.scrollWidth, body!.clientWidth], maxRect: Math.max(...rects), imgs };
    });
  });
  console.log(JSON.stringify(r, null, 1));
}});
