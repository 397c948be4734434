import { build } from '../src/index.ts';
import { PAGE_LIB } from '../src/paginate/page-lib.ts';
const dir = process.argv[2] ?? 'content/zjrb-2022-06-15';
const id = process.argv[3] ?? 'politics';
await build(dir, { write: false, inspect: async (page) => {
  const r = await page.evaluate(`(() => { ${PAGE_LIB}
    const art = document.querySelector('article[data-article="${id}"]');
    const body = art.querySelector('.pb-body');
    const out = [];
    const line = parseFloat(getComputedStyle(body).lineHeight);
    for (const tr of [-1, -0.5, 0, 0.5, 1]) {
      body.style.letterSpacing = (tr * 0.02) + 'em';
      out.push({ tr, over: PB.overflows(body), short: PB.columnShortfalls(body).map(x => Math.round(x / line * 10) / 10), h: body.clientHeight, line });
    }
    return out; })()`);
  console.log(JSON.stringify(r, null, 0));
}});
