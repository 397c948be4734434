/** The stages of a build as its progress callback hears of them (BuildOptions.progress). */
export interface BuildProgress {
  stage: 'load' | 'render' | 'compose' | 'fonts' | 'paginate' | 'pdf' | 'epub' | 'preflight' | 'write';
  /** Pages laid out so far (paginate). */
  pages?: number;
}

const NEXT: Record<string, BuildProgress['stage']> = { load: 'render', render: 'compose', compose: 'fonts', fonts: 'paginate', paginate: 'pdf', pdf: 'epub', epub: 'preflight', preflight: 'write' };

/** The stage that starts when `ended` ends, skipping the outputs not asked for. */
export function stageAfter(ended: string, pdf: boolean, epub: boolean): BuildProgress['stage'] | undefined {
  let next = NEXT[ended];
  if (next === 'pdf' && !pdf) next = 'epub';
  if (next === 'epub' && !epub) next = 'preflight';
  return next;
}
