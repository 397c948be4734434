/**
 * Generated parts of hand-written docs: a block between
 *   <!-- generated: NAME (npm run docs) -->  and  <!-- /generated: NAME -->
 * is replaced by what the generator called NAME makes; the rest of the file is left as it is.
 */
export const BLOCK = /<!-- generated: ([\w-]+) \(npm run docs\) -->\n([\s\S]*?)<!-- \/generated: \1 -->/g;

export function blockNames(text: string): string[] {
  return [...text.matchAll(BLOCK)].map((m) => m[1]!);
}

/** The content of each block of `text`, by name. */
export function blocksOf(text: string): Map<string, string> {
  return new Map([...text.matchAll(BLOCK)].map((m) => [m[1]!, m[2]!]));
}

/** `text` with each block whose name `made` has replaced by that content; unknown names are left alone. */
export function fillBlocks(text: string, made: Map<string, string>): string {
  return text.replace(BLOCK, (all, name: string) => {
    const content = made.get(name);
    if (content === undefined) return all;
    return `<!-- generated: ${name} (npm run docs) -->\n${content.endsWith('\n') ? content : `${content}\n`}<!-- /generated: ${name} -->`;
  });
}

/**
 * What may differ between two runs of the same command on different machines or days: durations,
 * sizes, hashes and timings. Both sides of a freshness check are masked alike; the samples written
 * into the docs keep the real values of the run that made them.
 */
export function maskVolatile(text: string): string {
  return text
    .replace(/\b[0-9a-f]{12,64}\b/g, '<hash>')
    .replace(/(\d+(?:\.\d+)? → )+\d+(?:\.\d+)?(?= bytes)/g, '<n>')
    .replace(/\b\d+(?:\.\d+)? ?(?:ms|s|KB|KiB|MB|MiB|bytes)\b/g, '<n>')
    .replace(/"(seconds|bytes|size)": \d+(?:\.\d+)?/g, '"$1": <n>')
    .replace(/"timings": \{[^}]*\}/g, '"timings": <timings>');
}
