/** A FIFO async mutex: callers run one at a time, in the order they asked. */
export class AsyncMutex {
  private tail: Promise<void> = Promise.resolve();
  private held = 0;

  /** True while some caller holds the lock or waits for it. */
  get busy(): boolean {
    return this.held > 0;
  }

  /** Resolves with a release function once every earlier caller has released. */
  async acquire(): Promise<() => void> {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.tail;
    this.tail = previous.then(() => mine);
    this.held += 1;
    await previous;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held -= 1;
      release();
    };
  }

  async run<T>(fn: () => T | Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
