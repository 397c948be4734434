/**
 * Hostile content for the isolation tests: every way we know for an article body, an SVG image,
 * an own template's markup or its stylesheet to reach the network (`net`: the listener's
 * http://127.0.0.1:PORT), to pull in a local secret (`s`: one beside the edition, one elsewhere),
 * or to run a script (it would set document.title to PWNED or mark the document).
 */
import path from 'node:path';

interface Secrets {
  beside: string;
  outside: string;
}

const PWN = `document.title='PWNED';document.documentElement.setAttribute('data-pwned','1')`;

/** An article body for an edition with html: true. */
export function contentBody(net: string, s: Secrets): string {
  const host = net.replace(/^http:/, '');
  return [
    'Safe text.',
    '',
    `![remote](${net}/md-image.png)`,
    '',
    `![protocol-relative](${host}/md-proto.png)`,
    '',
    '![beside](../secret.txt)',
    '',
    `![outside](${s.outside})`,
    '',
    `![file url](file://${s.outside})`,
    '',
    '![encoded](..%2fsecret.txt)',
    '',
    '![symlink beside](images/link.png)',
    '',
    '![symlink outside](images/abs.png)',
    '',
    '![svg with external references and a script](images/evil.svg)',
    '',
    `Links are not loaded: [a link](${net}/md-link), <${net}/autolink>, [js](javascript:${PWN}), [data](data:text/html,<script>${PWN}</script>).`,
    '',
    `![reference image][r] and an attribute try [x](#top){style="background:url(${net}/attr-style)" onclick="${PWN}" src="${net}/attr-src"}`,
    '',
    `[r]: ${net}/md-reference.png`,
    '',
    `Inline <img src="x" onerror="${PWN}"> and <a href="javascript:${PWN}">a js link</a> and <span style="background:url(${net}/inline-style)">styled</span>.`,
    '',
    `<img src="${net}/html-img" onerror="${PWN}">`,
    `<img srcset="${net}/html-srcset 2x" src="data:,">`,
    `<picture><source srcset="${net}/html-picture"><img src="images/x.png"></picture>`,
    `<iframe src="${net}/html-iframe"></iframe>`,
    `<iframe srcdoc="<script>parent.${PWN}</script><img src=${net}/srcdoc-img>"></iframe>`,
    `<script src="${net}/html-script.js"></script>`,
    `<script>${PWN}; fetch('${net}/html-inline-fetch')</script>`,
    `<style>@import url(${net}/html-import.css); body { background: url(${net}/html-style-bg) }</style>`,
    `<link rel="stylesheet" href="${net}/html-link.css">`,
    `<link rel="preconnect" href="${net}/">`,
    `<link rel="prefetch" href="${net}/html-prefetch">`,
    `<meta http-equiv="refresh" content="0;url=${net}/html-meta-refresh">`,
    `<object data="${net}/html-object"></object>`,
    `<embed src="${net}/html-embed">`,
    `<video poster="${net}/html-poster" src="${net}/html-video"></video>`,
    `<audio src="${net}/html-audio" autoplay></audio>`,
    `<svg onload="${PWN}"><image href="${net}/html-svg-image"/><script>${PWN}</script></svg>`,
    `<form action="${net}/html-form"><input type="image" src="${net}/html-input-image"></form>`,
    `<base href="${net}/">`,
    `<table background="${net}/html-table-bg"><tr><td background="${net}/html-td-bg">cell</td></tr></table>`,
    `<img src="file://${s.outside}"><iframe src="file://${s.beside}"></iframe><object data="../secret.txt"></object>`,
    `<math><mtext><table><mglyph><style><img src=x onerror="${PWN}"></style></mglyph></table></mtext></math>`,
    `<details open ontoggle="${PWN}">x</details><body onload="${PWN}">`,
    '',
    'More safe text.',
  ].join('\n');
}

/** An SVG image (served as an image: it may not load anything nor run a script). */
export function evilSvg(net: string, s: Secrets): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE svg [ <!ENTITY secret SYSTEM "file://${s.outside}"> ]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="1600" height="800" viewBox="0 0 40 20" onload="${PWN}">
  <style>@import url(${net}/svg-import.css); rect { fill: url(${net}/svg-fill#g) }</style>
  <script>${PWN}; fetch('${net}/svg-script-fetch')</script>
  <image href="${net}/svg-image.png" width="10" height="10"/>
  <image xlink:href="file://${s.outside}" width="10" height="10"/>
  <use href="${net}/svg-use.svg#x"/>
  <foreignObject width="10" height="10"><iframe xmlns="http://www.w3.org/1999/xhtml" src="${net}/svg-iframe"></iframe></foreignObject>
  <rect width="40" height="20"/>
  <text y="15">&secret;</text>
</svg>
`;
}

/** Extra markup in an own template's <head>. */
export function themeHead(net: string): string {
  return [
    `<link rel="preconnect" href="${net}/">`,
    `<link rel="dns-prefetch" href="${net}/">`,
    `<link rel="prefetch" href="${net}/tpl-prefetch">`,
    `<link rel="preload" as="image" href="${net}/tpl-preload.png">`,
    `<link rel="stylesheet" href="${net}/tpl-link.css">`,
    `<link rel="icon" href="${net}/tpl-icon.png">`,
    `<script src="${net}/tpl-script.js"></script>`,
    `<script>${PWN}; fetch('${net}/tpl-inline-fetch'); new Image().src = '${net}/tpl-beacon';</script>`,
    '<script src="images/evil.js"></script>',
    `<meta http-equiv="refresh" content="0;url=${net}/tpl-meta-refresh">`,
    `<style>@import url("${net}/tpl-style-import.css");</style>`,
  ].join('\n');
}

/** Extra markup at the end of an own template's <body>. */
export function themeBody(net: string, s: Secrets): string {
  return [
    `<img src="${net}/tpl-img" onerror="${PWN}" alt="">`,
    '<iframe src="images/evil.svg"></iframe>',
    '<object data="images/evil.svg"></object>',
    `<img src="../secret.txt" alt=""><img src="/edition/..%2fsecret.txt" alt=""><img src="file://${s.outside}" alt="">`,
    `<a href="${net}/tpl-link" ping="${net}/tpl-ping">link</a>`,
    `<div onclick="${PWN}" style="background:url(${net}/tpl-inline-style)"></div>`,
    `<meta http-equiv="refresh" content="0;url=/">`,
  ].join('\n');
}

/** An own template's extra stylesheet; every url() is on a line of its own. */
export function themeCss(net: string, s: Secrets): string {
  return [
    `@import url("${net}/css-import.css");`,
    '@font-face {',
    '  font-family: evil;',
    `  src: url(${net}/css-font.woff);`,
    '}',
    'body {',
    `  background: url(${net}/css-bg.png);`,
    '}',
    '.pb-title {',
    '  font-family: evil, serif;',
    '}',
    '.pb-title::before {',
    `  content: url(${net}/css-content.png);`,
    '}',
    '.pb-article {',
    `  background-image: image-set("${net}/css-image-set.png" 1x);`,
    `  cursor: url(${net}/css-cursor.png), auto;`,
    '}',
    '.pb-head {',
    `  border-image: url(file://${s.outside}) 30;`,
    '}',
    '.pb-body {',
    `  list-style-image: url(${path.posix.join('..', '..', 'secret.txt')});`,
    '  mask-image: url(images/evil.svg);',
    '}',
  ].join('\n');
}
