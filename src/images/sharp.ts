/** sharp (libvips), shared by the EPUB's screen images and print downsampling. */
type Sharp = typeof import('sharp').default;
let sharpModule: Promise<Sharp | Error> | undefined;

/** sharp, loaded on first use (builds that scale no image never need it); an Error when it cannot load. */
export function loadSharp(): Promise<Sharp | Error> {
  return (sharpModule ??= import('sharp').then(
    (m) => m.default,
    (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
  ));
}
