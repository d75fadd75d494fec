import { PipelineError } from '../errors.js';

/** The error of any call on a disposed store, and the reason given to uploads aborted by dispose. */
export function closedError(location: string): PipelineError {
  return new PipelineError('UNAVAILABLE', `object store ${location} is closed`, false, { details: { location } });
}

/**
 * Tracks a store's running operations so that dispose can abort unfinished uploads, wait for the
 * rest, and only then release the backend. Dispose is idempotent: later calls share the first.
 */
export class InFlight {
  readonly #location: string;
  readonly #pending = new Set<Promise<unknown>>();
  readonly #aborters = new Set<(reason: Error) => void>();
  #closing: Promise<void> | undefined;

  constructor(location: string) {
    this.#location = location;
  }

  /** Throws `UNAVAILABLE` once dispose has begun. */
  assertOpen(): void {
    if (this.#closing) throw closedError(this.#location);
  }

  /** Runs `op` unless closed, and keeps it tracked until it settles. */
  run<T>(op: () => Promise<T>): Promise<T> {
    this.assertOpen();
    const promise = op();
    this.#pending.add(promise);
    const forget = (): void => {
      this.#pending.delete(promise);
    };
    promise.then(forget, forget);
    return promise;
  }

  /** Registers an abort action for dispose; returns its removal. */
  onAbort(abort: (reason: Error) => void): () => void {
    this.#aborters.add(abort);
    return () => this.#aborters.delete(abort);
  }

  /** Aborts registered work, waits for every tracked operation, then runs `release` once. */
  close(release: () => Promise<void> | void): Promise<void> {
    this.#closing ??= this.#close(release);
    return this.#closing;
  }

  async #close(release: () => Promise<void> | void): Promise<void> {
    const reason = closedError(this.#location);
    for (const abort of [...this.#aborters]) abort(reason);
    await Promise.allSettled([...this.#pending]);
    await release();
  }
}
