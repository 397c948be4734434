/**
 * Which pagination runs a build made: PAIBAN_TRACE=1 has each run say where it starts ("run at page
 * N: context …" on stderr, src/paginate/paginate.ts). A test of parallel pages asserts the runs it
 * expects, so a quiet fallback to one run cannot pass for the parallel path.
 */
import { vi } from 'vitest';

export async function withRuns<T>(work: () => Promise<T>): Promise<{ result: T; runs: number[] }> {
  const saved = process.env.PAIBAN_TRACE;
  process.env.PAIBAN_TRACE = '1';
  const runs: number[] = [];
  const write = process.stderr.write.bind(process.stderr);
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const m = /^paiban trace: run at page (\d+): context /m.exec(text);
    if (m) {
      runs.push(Number(m[1]));
      return true;
    }
    if (text.startsWith('paiban trace: ')) return true;
    return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
  });
  try {
    return { result: await work(), runs };
  } finally {
    spy.mockRestore();
    if (saved === undefined) delete process.env.PAIBAN_TRACE;
    else process.env.PAIBAN_TRACE = saved;
  }
}
