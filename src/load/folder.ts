/**
 * The edition folder an argument names: the folder itself, or the folder of an edition.yaml given
 * in its place (`paiban build ed/edition.yaml` builds `ed`). Anything else is returned as it is
 * (loadEdition says what is wrong with it). Kept free of the schema, so that the command line can
 * use it before it loads the stages.
 */
import { statSync } from 'node:fs';
import path from 'node:path';

export function editionFolder(arg: string): string {
  try {
    if (path.basename(arg) === 'edition.yaml' && statSync(arg).isFile()) return path.dirname(arg) || '.';
  } catch {
    // not there: loadEdition says so
  }
  return arg;
}
