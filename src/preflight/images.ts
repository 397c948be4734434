/**
 * Effective image resolution at the printed size: pixels per inch of the image as it is placed on
 * the page (after object-fit), not as the file claims. Under 200 ppi a photo prints soft (warning);
 * under 100 ppi it prints visibly pixelated (error).
 */
import type { ImageMeasure } from '../layout/measure.ts';

export const PPI_WARN = 200;
export const PPI_ERROR = 100;

/** CSS px per inch: the paginated DOM is laid out at 96 px to the inch, printed 1:1. */
const CSS_PX_PER_INCH = 96;

/**
 * The lower of the horizontal and vertical resolution of the pixels that show. `cover` scales the
 * image up until it fills the box (the overflow is cropped), `contain` and `scale-down` until it fits,
 * `none` keeps 1 px = 1 CSS px; `fill` (the default) stretches each axis on its own.
 */
export function effectivePpi(m: Pick<ImageMeasure, 'width' | 'height' | 'naturalWidth' | 'naturalHeight' | 'fit'>): number {
  if (m.naturalWidth <= 0 || m.naturalHeight <= 0 || m.width <= 0 || m.height <= 0) return 0;
  const sx = m.width / m.naturalWidth;
  const sy = m.height / m.naturalHeight;
  let scale: number;
  switch (m.fit) {
    case 'cover':
      scale = Math.max(sx, sy);
      break;
    case 'contain':
      scale = Math.min(sx, sy);
      break;
    case 'scale-down':
      scale = Math.min(1, Math.min(sx, sy));
      break;
    case 'none':
      scale = 1;
      break;
    default:
      scale = Math.max(sx, sy);
  }
  return CSS_PX_PER_INCH / scale;
}

/** Millimetres of a length in CSS px. */
export function pxToMm(px: number): number {
  return (px / CSS_PX_PER_INCH) * 25.4;
}
