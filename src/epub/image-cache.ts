/**
 * Images made for screens, cached on disk like the font subsets: scaling the demo's five 3200 px
 * photos costs libvips about 0.6 s of CPU, on a two-core machine while Chromium lays out the pages.
 * The key is the image's bytes, what forScreens makes of them (SCREEN_PIXELS, the encoder settings)
 * and sharp's version; libvips encodes deterministically, so a cached image is the one it would
 * make again. A cache that cannot be read or written is no error: the image is made again.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultCacheDir } from '../fonts/prepare.ts';
import { writeCacheFile } from '../output/atomic.ts';
import { sharpVersion } from '../images/sharp.ts';

/**
 * What the cache stores: bytes, and JSON-serialisable facts about them (forScreens' ScreenImage).
 * The cache needs no more of its shape, so it does not import images.ts, which imports it.
 */
export type Cacheable = { bytes: Uint8Array };

/** Bump when forScreens' output for the same input changes (settings, formats). */
const VERSION = 1;

/** `<PAIBAN_CACHE or ~/.cache/paiban/fonts>/epub-images`: beside the font subsets and source hashes. */
export function imageCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(defaultCacheDir(env), 'epub-images');
}

/** `make()` (forScreens of `bytes` with `settings`) through the cache in `dir`. */
export async function cachedForScreens<T extends Cacheable | { problem: string }>(bytes: Uint8Array, settings: string, make: () => Promise<T>, dir = imageCacheDir()): Promise<T> {
  const key = createHash('sha256').update(`paiban-epub-image ${VERSION} ${settings} sharp ${sharpVersion()}\n`).update(bytes).digest('hex');
  const file = path.join(dir, key);
  try {
    const meta = JSON.parse(await readFile(`${file}.json`, 'utf8')) as object;
    return { ...meta, bytes: new Uint8Array(await readFile(file)) } as T;
  } catch {
    // not cached (or unreadable): make it
  }
  const made = await make();
  // Problems, and images carried as they are, are not worth a copy on disk.
  if ('problem' in made || made.bytes === bytes) return made;
  const { bytes: out, ...meta } = made as Cacheable;
  // The image first, then its sidecar: a sidecar implies a complete image.
  if (await writeCacheFile(file, out)) await writeCacheFile(`${file}.json`, JSON.stringify(meta));
  return made;
}
