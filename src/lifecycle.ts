/** Owners disposed in reverse order of acquisition (Node 20 has no AsyncDisposableStack). */
export class DisposeStack implements AsyncDisposable {
  readonly #owners: { name: string; dispose: () => Promise<void> }[] = [];
  #disposed = false;

  /** Registers an owner; returns it for convenience. */
  use<T extends AsyncDisposable>(name: string, owner: T): T {
    this.#owners.push({ name, dispose: async () => owner[Symbol.asyncDispose]() });
    return owner;
  }

  defer(name: string, fn: () => Promise<void>): void {
    this.#owners.push({ name, dispose: fn });
  }

  /** Disposes everything, last first; collects errors instead of stopping at the first. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const errors: unknown[] = [];
    while (this.#owners.length > 0) {
      const owner = this.#owners.pop()!;
      try {
        await owner.dispose();
      } catch (err) {
        errors.push(new Error(`disposing ${owner.name} failed`, { cause: err }));
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'shutdown had errors');
  }
}
