#!/usr/bin/env node
/**
 * Draws the placeholder photos of the demo edition (the real photos are not available).
 *
 *   node scripts/make-placeholders.mjs [OUTPUT_DIR]
 *
 * One PNG per photo in content/zjrb-2022-06-15/images/ (or OUTPUT_DIR): a flat mid-grey card with a
 * subtle diagonal cross, the label "照片占位 · PHOTO PLACEHOLDER" and a short note on the intended
 * subject. The PNGs are committed, so a build never needs this script or Chromium; run it again only
 * to change the placeholders.
 *
 * Uses Debian's Chromium (/usr/bin/chromium, or env PAIBAN_CHROME) through puppeteer-core, with a fresh
 * temporary profile that is deleted afterwards. Nothing is fetched from the network.
 */
import { mkdtemp, mkdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(process.argv[2] ?? join(root, 'content/zjrb-2022-06-15/images'));
const chrome = process.env.PAIBAN_CHROME || '/usr/bin/chromium';

/** The photos of the edition: file name, pixel size (3:2 landscape, one 4:3) and the intended subject. */
const PHOTOS = [
  {
    name: 'tiantai-flood-evacuation',
    width: 1600,
    height: 1067,
    zh: '天台县街头镇党员干部在防汛防台中紧急转移群众',
    en: 'Party members in Jietou, Tiantai County, evacuating residents during flood and typhoon response',
  },
  {
    name: 'huangdu-tea-garden',
    width: 1600,
    height: 1067,
    zh: '安吉县黄杜村党总支书记在茶园为茶农进行技术指导',
    en: 'Huangdu Village party secretary giving tea farmers technical guidance in a tea garden, Anji',
  },
  {
    name: 'village-election',
    width: 1600,
    height: 1067,
    zh: '村党组织换届选举现场',
    en: 'A village party organisation electing its new committee',
  },
  {
    name: 'courier-party-members',
    width: 1600,
    height: 1067,
    zh: '青田县快递小哥党员为社区居民当好红色代办员',
    en: 'Courier party members in Qingtian running errands for community residents',
  },
  {
    name: 'zju-math-team',
    width: 1600,
    height: 1200,
    zh: '浙江大学数学高等研究院的四位数学家',
    en: 'Four mathematicians of the Institute for Advanced Study in Mathematics, Zhejiang University',
  },
];

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--hide-scrollbars',
];

const escape = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** A self-contained HTML card, flat colours only so the PNG stays small. */
function card({ width, height, zh, en }) {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><style>
  html, body { margin: 0; width: ${width}px; height: ${height}px; overflow: hidden; background: #8c8c8c; }
  svg { position: absolute; inset: 0; }
  .text { position: absolute; inset: 0; display: flex; flex-direction: column; align-items: center; justify-content: center;
          text-align: center; color: #f4f4f4; font-family: 'Noto Sans CJK SC', 'WenQuanYi Zen Hei', sans-serif; }
  .box { background: #7a7a7a; padding: 48px 72px; border: 3px solid #a4a4a4; max-width: ${Math.round(width * 0.8)}px; }
  .label { font-size: 60px; font-weight: 700; letter-spacing: 0.03em; white-space: nowrap; margin: 0 0 32px; }
  .zh { font-size: 40px; margin: 0 0 14px; }
  .en { font-size: 28px; margin: 0; color: #e2e2e2; font-family: 'Noto Sans', 'DejaVu Sans', sans-serif; }
</style></head><body>
<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg">
  <rect x="24" y="24" width="${width - 48}" height="${height - 48}" fill="none" stroke="#979797" stroke-width="4"/>
  <line x1="24" y1="24" x2="${width - 24}" y2="${height - 24}" stroke="#999999" stroke-width="4"/>
  <line x1="${width - 24}" y1="24" x2="24" y2="${height - 24}" stroke="#999999" stroke-width="4"/>
</svg>
<div class="text"><div class="box">
  <p class="label">照片占位 · PHOTO PLACEHOLDER</p>
  <p class="zh">${escape(zh)}</p>
  <p class="en">${escape(en)}</p>
</div></div>
</body></html>`;
}

async function main() {
  await mkdir(outDir, { recursive: true });
  const SCALE = 2;
  const profile = await mkdtemp(join(tmpdir(), 'paiban-placeholders-'));
  let browser;
  try {
    browser = await puppeteer.launch({
      executablePath: chrome,
      ignoreDefaultArgs: true,
      pipe: true,
      args: [...ARGS, `--user-data-dir=${profile}`],
    });
    const page = await browser.newPage();
    for (const photo of PHOTOS) {
      // Twice the CSS size in pixels: the elastic photo frames of a broadsheet crop and enlarge
      // photos, and print wants 200 ppi or more at the printed size (preflight warns below).
      await page.setViewport({ width: photo.width, height: photo.height, deviceScaleFactor: SCALE });
      await page.setContent(card(photo), { waitUntil: 'load' });
      await page.evaluate(() => document.fonts.ready);
      const file = join(outDir, `${photo.name}.png`);
      await page.screenshot({ path: file, type: 'png', clip: { x: 0, y: 0, width: photo.width, height: photo.height } });
      const { size } = await stat(file);
      console.log(`${file}  ${photo.width * SCALE}×${photo.height * SCALE}  ${Math.round(size / 1024)} KB`);
    }
  } finally {
    if (browser) await browser.close();
    await rm(profile, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
