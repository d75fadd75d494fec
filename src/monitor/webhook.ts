/**
 * Alert webhook: POSTs each alert as JSON, retrying network errors and 5xx/429 answers with
 * exponential backoff (base · 2^attempt, capped). Deliveries run in the background; dispose waits
 * for the ones in flight.
 */
import type { Logger } from '../telemetry/log.js';

/** Webhook delivery settings. */
export interface WebhookOptions {
  readonly url: string;
  /** Attempts per alert, the first included. @default 5 */
  readonly maxAttempts?: number;
  /** First backoff, ms. @default 500 */
  readonly backoffMs?: number;
  /** Longest backoff, ms. @default 30000 */
  readonly maxBackoffMs?: number;
  /** Per-request timeout, ms. @default 5000 */
  readonly timeoutMs?: number;
}

/** Sends JSON bodies to a URL with retries. */
export class Webhook implements AsyncDisposable {
  readonly #opts: Required<WebhookOptions>;
  readonly #log: Logger;
  readonly #inFlight = new Set<Promise<boolean>>();
  readonly #abort = new AbortController();

  constructor(opts: WebhookOptions, log: Logger) {
    this.#opts = { maxAttempts: 5, backoffMs: 500, maxBackoffMs: 30_000, timeoutMs: 5000, ...opts };
    this.#log = log;
  }

  /** Queues a delivery; the promise resolves true when the endpoint accepted it. */
  send(body: unknown): Promise<boolean> {
    const p = this.#deliver(JSON.stringify(body)).finally(() => this.#inFlight.delete(p));
    this.#inFlight.add(p);
    return p;
  }

  async #attempt(body: string): Promise<'ok' | 'retry' | 'fail'> {
    try {
      const res = await fetch(this.#opts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.any([this.#abort.signal, AbortSignal.timeout(this.#opts.timeoutMs)]),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return 'ok';
      return res.status >= 500 || res.status === 429 ? 'retry' : 'fail';
    } catch {
      return this.#abort.signal.aborted ? 'fail' : 'retry';
    }
  }

  async #deliver(body: string): Promise<boolean> {
    for (let attempt = 0; attempt < this.#opts.maxAttempts; attempt++) {
      const outcome = await this.#attempt(body);
      if (outcome === 'ok') return true;
      if (outcome === 'fail') break;
      const delay = Math.min(this.#opts.maxBackoffMs, this.#opts.backoffMs * 2 ** attempt);
      if (attempt + 1 < this.#opts.maxAttempts) await sleep(delay, this.#abort.signal);
    }
    this.#log.warn({ url: this.#opts.url }, 'alert webhook delivery failed');
    return false;
  }

  /** Waits for deliveries in flight (bounded by their retries), then stops. */
  async [Symbol.asyncDispose](): Promise<void> {
    const grace = new Promise((r) => setTimeout(r, 2000).unref());
    await Promise.race([Promise.allSettled([...this.#inFlight]), grace]);
    this.#abort.abort();
    await Promise.allSettled([...this.#inFlight]);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
