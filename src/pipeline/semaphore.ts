/** A counting semaphore: bounds the records in flight before they enter RxJS (which cannot push back). */
export class Semaphore {
  #free: number;
  readonly #waiters: (() => void)[] = [];

  constructor(permits: number) {
    this.#free = permits;
  }

  get available(): number {
    return this.#free;
  }

  acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  release(n = 1): void {
    for (let i = 0; i < n; i++) {
      const next = this.#waiters.shift();
      if (next) next();
      else this.#free += 1;
    }
  }
}
