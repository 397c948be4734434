import { build } from '../src/index.ts';
import { PAGE_LIB } from '../src/paginate/page-lib.ts';
const dir = process.argv[2] ?? 'content/zjrb-2022-06-15';
const id = process.argv[3] ?? 'politics';
await build(dir, { write: false, inspect: async (page) => {
  const r = await page.evaluate(`(() => { ${PAGE_LIB}
    const art = document.querySelector('article[data-article="${id}"]');
    const body = art.querySelector('.pb-body');
    const cs = getComputedStyle(body);
    const units = PB.columnUnits(body);
    const heights = units ? units.map(u => Math.round(u.height*10)/10) : null;
    const starts = units && PB.partition(units.map(u => u.height), Number(cs.columnCount), body.clientHeight, units.map(u => !!u.keep));
    const moved = PB.levelColumns(body, PB.columnShortfalls);
    return { moved, after: PB.columnShortfalls(body).map(Math.round), n: cs.columnCount, h: body.clientHeight, line: cs.lineHeight, short: PB.columnShortfalls(body).map(Math.round), over: PB.overflows(body), units: heights && heights.length, sum: heights && heights.reduce((a,b)=>a+b,0), heights: heights && heights.slice(0, 80), starts: starts || null }; })()`);
  console.log(JSON.stringify(r));
}});
