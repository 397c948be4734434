/** sharp (libvips), shared by the EPUB's screen images and print downsampling. */
import { createRequire } from 'node:module';

type Sharp = typeof import('sharp').default;
let sharpModule: Promise<Sharp | Error> | undefined;

/** sharp, loaded on first use (builds that scale no image never need it); an Error when it cannot load. */
export function loadSharp(): Promise<Sharp | Error> {
  return (sharpModule ??= import('sharp').then(
    (m) => m.default,
    (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
  ));
}

let version: string | undefined;

/** sharp's version ('none' when it is not installed), for the keys of caches of what it made. */
export function sharpVersion(): string {
  if (version === undefined) {
    try {
      version = String((createRequire(import.meta.url)('sharp/package.json') as { version: string }).version);
    } catch {
      version = 'none';
    }
  }
  return version;
}
