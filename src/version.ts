/** paiban's own version, from package.json: written into PDF/EPUB metadata and the manifest. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = JSON.parse(readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../package.json'), 'utf8')) as { version: string };
/** paiban's version, from its package.json. */
export const VERSION = pkg.version;
export const GENERATOR = `paiban ${VERSION}`;
