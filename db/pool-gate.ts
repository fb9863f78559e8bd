/**
 * Admission to a connection pool with a bounded wait. The `postgres` driver queues a query
 * without bound (or pipelines it behind a busy connection's slow statement) when every
 * connection is taken; the gate lets at most `size` queries or transactions into the driver at
 * once, so none of them waits behind another in it, and refuses a caller that waited `waitMs`
 * for a turn with a PoolBusyError, which the API answers with 503 and `Retry-After`.
 */
export class PoolBusyError extends Error {
  override name = 'PoolBusyError';
  constructor(
    readonly pool: string,
    readonly waitMs: number,
  ) {
    super(`no ${pool} database connection came free within ${waitMs / 1000} s`);
  }
}

export class PoolGate {
  private inUse = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly pool: string,
    readonly size: number,
    readonly waitMs: number,
  ) {}

  /** Waits for a turn, at most `waitMs`; resolves to the call that gives it back (once). */
  async acquire(): Promise<() => void> {
    if (this.inUse < this.size) {
      this.inUse++;
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const turn = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(turn), 1);
        reject(new PoolBusyError(this.pool, this.waitMs));
      }, this.waitMs);
      this.waiting.push(turn);
    });
    return this.releaser();
  }

  /** Runs `work` in a turn, given back however it ends. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }

  private releaser(): () => void {
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      // The turn passes straight to the next waiter, so a newcomer cannot overtake it.
      const next = this.waiting.shift();
      if (next) next();
      else this.inUse--;
    };
  }
}
