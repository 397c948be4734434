/**
 * Which faces an edition prints with: the template's font stack per role, overridden by the
 * edition's `fonts:`, mapped to the CSS families the stylesheets use (pb-body, pb-heading, …).
 */
import type { EditionConfig } from '../config/schema.ts';
import type { TemplateMeta } from '../compose/template.ts';
import type { FaceRequest } from './prepare.ts';

export function faceRequests(template: TemplateMeta, config: EditionConfig): FaceRequest[] {
  const f = { ...template.fonts, ...(config.fonts ?? {}) };
  return [
    { cssFamily: 'pb-body', family: f.body, weight: 'regular' },
    { cssFamily: 'pb-body', family: f.body, weight: 'bold' },
    { cssFamily: 'pb-heading', family: f.heading, weight: 'regular' },
    { cssFamily: 'pb-heading', family: f.heading, weight: 'bold' },
    { cssFamily: 'pb-caption', family: f.caption, weight: 'regular' },
    { cssFamily: 'pb-latin', family: f.latin, weight: 'regular' },
    { cssFamily: 'pb-latin', family: f.latin, weight: 'bold' },
    { cssFamily: 'pb-latin', family: f.latin, weight: 'regular', style: 'italic' },
    { cssFamily: 'pb-latin-heading', family: f.latinHeading, weight: 'bold' },
    { cssFamily: 'pb-fallback', family: f.fallback, weight: 'regular' },
    // Code: never the browser's own monospace (fontconfig's pick for Han in it is a CFF face,
    // which Chromium embeds as Type 3); css.ts's CODE_CSS sets code in this family.
    { cssFamily: 'pb-mono', family: f.mono, weight: 'regular' },
    { cssFamily: 'pb-mono', family: f.mono, weight: 'bold' },
  ];
}
