/**
 * EJS templates handed to epub-gen-memory (its `contentOPF`, `tocXHTML`, `tocNCX` and
 * `chapterXHTML` options) in place of its own, which hard-code `xml:lang="en"`, stamp the clock
 * and a random uuid, and write an empty `dc:description`. They use epub-gen-memory's variables
 * (`title`, `lang`, `description`, `publisher`, `author`, `content`, `images`, `tocTitle`) and
 * our own `paiban` object for everything it has no notion of. `<%= %>` escapes for XML.
 */

export interface NavLink {
  title: string;
  href: string;
  /** Set when the target's language differs from the edition's. */
  lang?: string;
}

export interface NavSection extends NavLink {
  articles: NavLink[];
}

export interface NcxPoint {
  id: string;
  label: string;
  src: string;
  playOrder: number;
  children: NcxPoint[];
}

export interface TemplateData {
  identifier: string;
  /** `YYYY-MM-DDThh:mm:ssZ`. */
  modified: string;
  /** The edition date, `YYYY-MM-DD`. */
  date: string;
  /** Every language of the text, the edition's first. */
  languages: string[];
  subjects: string[];
  /** The series the edition belongs to (the publication). */
  collection: string;
  generator: string;
  a11y: { modes: string[]; sufficient: string[]; features: string[]; hazards: string[]; summary: string };
  landmarksTitle: string;
  landmarks: { type: string; href: string; title: string }[];
  nav: NavSection[];
  ncx: NcxPoint[];
  /** Image id (file stem) of the cover, when there is one. */
  coverImage?: string;
}

/** Chapter manifest id from its file name (`article-x.xhtml` → `article-x`). */
const CHAPTER_ID = `c.filename.replace(/\\.xhtml$/, '')`;

export const contentOPF = `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" xml:lang="<%= lang %>">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="pub-id"><%= paiban.identifier %></dc:identifier>
    <dc:title id="title"><%= title %></dc:title>
    <meta refines="#title" property="title-type">main</meta>
<% paiban.languages.forEach(function (l) { -%>
    <dc:language><%= l %></dc:language>
<% }) -%>
    <dc:creator id="creator"><%= author.join(', ') %></dc:creator>
    <dc:publisher><%= publisher %></dc:publisher>
    <dc:date><%= paiban.date %></dc:date>
    <dc:description><%= description %></dc:description>
<% paiban.subjects.forEach(function (s) { -%>
    <dc:subject><%= s %></dc:subject>
<% }) -%>
    <meta property="dcterms:modified"><%= paiban.modified %></meta>
    <meta property="belongs-to-collection" id="collection"><%= paiban.collection %></meta>
    <meta refines="#collection" property="collection-type">series</meta>
<% paiban.a11y.modes.forEach(function (v) { -%>
    <meta property="schema:accessMode"><%= v %></meta>
<% }) -%>
<% paiban.a11y.sufficient.forEach(function (v) { -%>
    <meta property="schema:accessModeSufficient"><%= v %></meta>
<% }) -%>
<% paiban.a11y.features.forEach(function (v) { -%>
    <meta property="schema:accessibilityFeature"><%= v %></meta>
<% }) -%>
<% paiban.a11y.hazards.forEach(function (v) { -%>
    <meta property="schema:accessibilityHazard"><%= v %></meta>
<% }) -%>
    <meta property="schema:accessibilitySummary"><%= paiban.a11y.summary %></meta>
<% if (paiban.coverImage) { -%>
    <meta name="cover" content="img-<%= paiban.coverImage %>" />
<% } -%>
    <meta name="generator" content="<%= paiban.generator %>" />
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav" />
    <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml" />
    <item id="css" href="style.css" media-type="text/css" />
<% content.forEach(function (c) { -%>
    <item id="<%= ${CHAPTER_ID} %>" href="<%= c.filename %>" media-type="application/xhtml+xml" />
<% }) -%>
<% images.forEach(function (img) { -%>
    <item id="img-<%= img.id %>" href="images/<%= img.id %>.<%= img.extension %>" media-type="<%= img.mediaType %>"<% if (img.id === paiban.coverImage) { %> properties="cover-image"<% } %> />
<% }) -%>
  </manifest>
  <spine toc="ncx">
<% content.filter(function (c) { return c.beforeToc; }).forEach(function (c) { -%>
    <itemref idref="<%= ${CHAPTER_ID} %>" />
<% }) -%>
    <itemref idref="nav" />
<% content.filter(function (c) { return !c.beforeToc; }).forEach(function (c) { -%>
    <itemref idref="<%= ${CHAPTER_ID} %>" />
<% }) -%>
  </spine>
</package>
`;

/** The XHTML prolog; `epubNs` is an EJS condition for declaring the `epub:` prefix (only when used). */
const HEAD = (title: string, epubNs = 'true') => `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml"<% if (${epubNs}) { %> xmlns:epub="http://www.idpf.org/2007/ops"<% } %> xml:lang="<%= lang %>" lang="<%= lang %>">
<head>
  <meta charset="UTF-8" />
  <title><%= ${title} %></title>
  <link rel="stylesheet" type="text/css" href="style.css" />
</head>`;

const LANG = `<% if (a.lang) { %> xml:lang="<%= a.lang %>" lang="<%= a.lang %>"<% } %>`;

/** The navigation document: pages (sections) → articles, and landmarks. */
export const tocXHTML = `${HEAD('tocTitle')}
<body class="nav-document">
  <nav id="toc" epub:type="toc" role="doc-toc" aria-labelledby="toc-title">
    <h1 id="toc-title" class="toc-title"><%= tocTitle %></h1>
    <ol class="toc-sections">
<% paiban.nav.forEach(function (s) { -%>
      <li class="toc-section"><a href="<%= s.href %>"><%= s.title %></a>
        <ol class="toc-articles">
<% s.articles.forEach(function (a) { -%>
          <li class="toc-article"><a href="<%= a.href %>"${LANG}><%= a.title %></a></li>
<% }) -%>
        </ol>
      </li>
<% }) -%>
    </ol>
  </nav>
  <nav id="landmarks" epub:type="landmarks" hidden="hidden" aria-labelledby="landmarks-title">
    <h2 id="landmarks-title"><%= paiban.landmarksTitle %></h2>
    <ol>
<% paiban.landmarks.forEach(function (l) { -%>
      <li><a epub:type="<%= l.type %>" href="<%= l.href %>"><%= l.title %></a></li>
<% }) -%>
    </ol>
  </nav>
</body>
</html>
`;

/** NCX for EPUB 2 reading systems: the same tree; entries with the same target share a playOrder. */
export const tocNCX = `<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="<%= lang %>">
  <head>
    <meta name="dtb:uid" content="<%= paiban.identifier %>" />
    <meta name="dtb:depth" content="<%= paiban.ncx.some(function (p) { return p.children.length; }) ? 2 : 1 %>" />
    <meta name="dtb:totalPageCount" content="0" />
    <meta name="dtb:maxPageNumber" content="0" />
  </head>
  <docTitle><text><%= title %></text></docTitle>
  <docAuthor><text><%= author.join(', ') %></text></docAuthor>
  <navMap>
<% paiban.ncx.forEach(function (s) { -%>
    <navPoint id="<%= s.id %>" playOrder="<%= s.playOrder %>">
      <navLabel><text><%= s.label %></text></navLabel>
      <content src="<%= s.src %>" />
<% s.children.forEach(function (a) { -%>
      <navPoint id="<%= a.id %>" playOrder="<%= a.playOrder %>">
        <navLabel><text><%= a.label %></text></navLabel>
        <content src="<%= a.src %>" />
      </navPoint>
<% }) -%>
    </navPoint>
<% }) -%>
  </navMap>
</ncx>
`;

/** One chapter: `lang` and `bodyClass` come from the chapter (an article's own language). */
export const chapterXHTML = `${HEAD('title', `content.indexOf('epub:') !== -1`)}
<body class="<%= locals.bodyClass || 'chapter' %>">
<%- content %>
</body>
</html>
`;
