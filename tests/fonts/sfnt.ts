/** Test helpers: a minimal sfnt table-directory reader and a fontTools probe. */
import { execFileSync } from 'node:child_process';

export interface SfntInfo {
  /** First four bytes as hex, e.g. `00010000` (TrueType) or `4f54544f` (`OTTO`, CFF). */
  version: string;
  tables: string[];
}

/** Read the offset table and table directory of a single-font sfnt file. */
export function readSfnt(data: Buffer): SfntInfo {
  const version = data.subarray(0, 4).toString('hex');
  const numTables = data.readUInt16BE(4);
  const tables: string[] = [];
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + i * 16;
    tables.push(data.subarray(rec, rec + 4).toString('latin1'));
  }
  return { version, tables };
}

/** GSUB and GPOS feature tags of a font, read with Debian's fontTools. */
export function layoutFeatures(file: string): { GSUB: string[]; GPOS: string[] } {
  const script = [
    'import json, sys',
    'from fontTools.ttLib import TTFont',
    'f = TTFont(sys.argv[1])',
    'out = {}',
    'for t in ("GSUB", "GPOS"):',
    '    out[t] = sorted({r.FeatureTag for r in f[t].table.FeatureList.FeatureRecord}) if t in f else []',
    'print(json.dumps(out))',
  ].join('\n');
  const python = process.env.PAIBAN_PYTHON || '/usr/bin/python3';
  return JSON.parse(execFileSync(python, ['-c', script, file], { encoding: 'utf8' })) as { GSUB: string[]; GPOS: string[] };
}
