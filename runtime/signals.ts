/** How an entry point stops: once, on SIGINT or SIGTERM or when it asks, then exits. */
export interface Stopper {
  /** True once a stop has begun; a start that fails after it was asked to stop is no failure. */
  requested(): boolean;
  /** Stops (once, however often asked) and exits with `code`. */
  now(code: number): Promise<never>;
}

export function stopOnSignals(stop: () => Promise<void>): Stopper {
  let stopping: Promise<void> | undefined;
  const now = async (code: number): Promise<never> => {
    stopping ??= stop();
    await stopping;
    process.exit(code);
  };
  process.on('SIGINT', () => void now(0));
  process.on('SIGTERM', () => void now(0));
  return { requested: () => stopping !== undefined, now };
}
