import { columnFeet, words } from '../tests/helpers/layout.ts';
const [pdf, page, x, y, w, h] = process.argv.slice(2);
const ws = words(pdf!, Number(page));
const b = { x: Number(x), y: Number(y), width: Number(w), height: Number(h) };
console.log(columnFeet(ws, b));
const near = ws.filter((q) => q.x0 > 355 && q.x0 < 380 && q.y0 > b.y && q.y1 < b.y + b.height);
console.log(near.slice(0, 30));
