/**
 * Printer's marks drawn into the printed PDF (postprocess), whichever paginator laid the pages
 * out: crop marks at the trim's corners, from the edge of the bleed (at least 3 mm from the trim)
 * to the sheet's edge, and a registration cross in the middle of each edge, centred in the marks
 * margin. The margin outside the bleed is painted white first: what bleeds stops at the bleed edge.
 * Grey-scale operators only (0 g / 0 G), which PDF/X and PDF/A accept. The geometry is marks.ts's.
 */
import { PDFDocument, PDFNumber } from 'pdf-lib';
import { pageBoxes, rectFrom, type PageGeometry, type Rect } from './boxes.ts';
import { CROSS_SIZE, cropOffset } from './marks.ts';

/** Stroke width of the marks (points): a hairline a press camera and a cutter both see. */
export const MARK_WIDTH = 0.5;

const n = (v: number) => String(Math.round(v * 1000) / 1000);

/** The content-stream operators of one page's marks, for its MediaBox `media`. */
export function marksOperators(media: Rect, g: PageGeometry): string {
  const { trim, bleed } = pageBoxes(media, g);
  const off = cropOffset(g.bleed);
  const rect = (r: Rect) => `${n(r.x1)} ${n(r.y1)} ${n(r.x2 - r.x1)} ${n(r.y2 - r.y1)} re`;
  const line = (x1: number, y1: number, x2: number, y2: number) => `${n(x1)} ${n(y1)} m ${n(x2)} ${n(y2)} l S`;
  const ops = ['q', '1 g', `${rect(media)} ${rect(bleed)} f*`, `0 G ${n(MARK_WIDTH)} w 0 J`];
  // Crop marks: each corner of the trim, a vertical and a horizontal line out to the sheet's edge.
  for (const x of [trim.x1, trim.x2]) {
    ops.push(line(x, trim.y2 + off, x, media.y2), line(x, trim.y1 - off, x, media.y1));
  }
  for (const y of [trim.y1, trim.y2]) {
    ops.push(line(trim.x1 - off, y, media.x1, y), line(trim.x2 + off, y, media.x2, y));
  }
  // Registration crosses: a circle and its cross hairs, in the middle of each margin band.
  const midX = (trim.x1 + trim.x2) / 2;
  const midY = (trim.y1 + trim.y2) / 2;
  const centres = [
    [midX, (bleed.y2 + media.y2) / 2],
    [midX, (bleed.y1 + media.y1) / 2],
    [(bleed.x1 + media.x1) / 2, midY],
    [(bleed.x2 + media.x2) / 2, midY],
  ] as const;
  const h = CROSS_SIZE / 2;
  const r = CROSS_SIZE * 0.3;
  const k = r * 0.5523; // Bézier handle of a quarter circle
  for (const [cx, cy] of centres) {
    ops.push(line(cx - h, cy, cx + h, cy), line(cx, cy - h, cx, cy + h));
    ops.push(
      `${n(cx + r)} ${n(cy)} m ${n(cx + r)} ${n(cy + k)} ${n(cx + k)} ${n(cy + r)} ${n(cx)} ${n(cy + r)} c ${n(cx - k)} ${n(cy + r)} ${n(cx - r)} ${n(cy + k)} ${n(cx - r)} ${n(cy)} c ` +
        `${n(cx - r)} ${n(cy - k)} ${n(cx - k)} ${n(cy - r)} ${n(cx)} ${n(cy - r)} c ${n(cx + k)} ${n(cy - r)} ${n(cx + r)} ${n(cy - k)} ${n(cx + r)} ${n(cy)} c S`,
    );
  }
  ops.push('Q');
  return ops.join('\n');
}

/** Draws the marks on every page, over what the page holds (its content is wrapped in q … Q first). */
export function drawMarks(doc: PDFDocument, g: PageGeometry): void {
  const ctx = doc.context;
  const push = ctx.register(ctx.stream('q'));
  const pop = ctx.register(ctx.stream('Q'));
  for (const page of doc.getPages()) {
    const box = page.node.MediaBox();
    const media = rectFrom(box.asArray().map((_, i) => box.lookup(i, PDFNumber).asNumber()));
    page.node.wrapContentStreams(push, pop);
    page.node.addContentStream(ctx.register(ctx.flateStream(marksOperators(media, g))));
  }
}
