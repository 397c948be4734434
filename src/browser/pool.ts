/**
 * The pool of browser contexts: pagination runs (each a browser context laying out and printing a
 * document, src/layout/chunks.ts) take a place in it, at most one per worker, and the workers are
 * sized to the cores. Builds, several editions in one command and the farm's workers share one.
 */
import os from 'node:os';

/** Workers: PAIBAN_WORKERS, else one per core. */
export function workerCount(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.PAIBAN_WORKERS);
  return Number.isInteger(n) && n > 0 ? n : Math.max(1, os.availableParallelism());
}

/**
 * Places for pagination runs (each a browser context laying out and printing a document): at most
 * `size` at a time. One per build by default; `paiban build A B C` gives all its editions one, so
 * their runs share the workers while their Node stages overlap.
 */
export class RunSlots {
  #free: number;
  #queue: (() => void)[] = [];
  constructor(readonly size: number) {
    this.#free = Math.max(1, size);
  }
  acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.#queue.push(resolve));
  }
  release(): void {
    const next = this.#queue.shift();
    if (next) next();
    else this.#free++;
  }
  /** `work` in a slot of its own. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }
}
