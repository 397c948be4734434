/**
 * For `puppeteer`, which DAISY Ace (a devDependency, the EPUB accessibility checker) brings in:
 * never download a browser at `npm ci` (there is no network for it; paiban uses Debian's
 * Chromium, and so does Ace through PUPPETEER_EXECUTABLE_PATH, see tests/epub/fixtures.ts).
 * paiban itself uses puppeteer-core, which reads no configuration file.
 */
module.exports = { skipDownload: true };
