/**
 * The manifest `<slug>.manifest.json` records what went into a build and what came out, so an
 * archivist can verify a rebuild: inputs, outputs, tool versions, fonts, options, timestamp.
 */
import type { Template } from '../compose/template.ts';
import type { PreparedFonts } from '../fonts/prepare.ts';
import type { LoadedEdition } from '../load/edition.ts';
import { VERSION } from '../version.ts';

export interface ManifestInput {
  edition: LoadedEdition;
  template: Template;
  fonts: PreparedFonts;
  browserVersion: string;
  timestamp: Date;
  options: Record<string, boolean>;
  outputs: { path: string; sha256: string; size: number; pages?: number }[];
}

export function buildManifest(m: ManifestInput): string {
  const faces = new Map<string, object>();
  for (const f of m.fonts.faces) {
    faces.set(`${f.cssFamily}/${f.weight}/${f.style}`, { role: f.cssFamily, weight: f.weight, style: f.style, family: f.sourceFamily, file: f.sourceFile, index: f.sourceIndex, sha256: f.sourceSha256, subsetSha256: f.sha256 });
  }
  const manifest = {
    manifestVersion: 1,
    edition: m.edition.slug,
    editionDir: m.edition.dir,
    timestamp: m.timestamp.toISOString(),
    sourceDateEpoch: process.env.SOURCE_DATE_EPOCH ?? null,
    options: m.options,
    tools: { paiban: VERSION, node: process.version, chromium: m.browserVersion },
    template: m.template.dir,
    inputs: m.edition.inputs,
    fonts: [...faces.values()],
    outputs: m.outputs,
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
