/**
 * Reads that callers asking the same thing at the same time share: the first starts it, the
 * others wait for its answer, and the next caller after it settles starts a new one. Fifty
 * dashboards polling one statistic cost one read, and each answer is as new as a read that began
 * at most one read's time before it was asked. Answers are shared objects: callers must not
 * change them.
 */
export class SharedReads {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  share<T>(key: string, read: () => Promise<T>): Promise<T> {
    const shared = this.inFlight.get(key);
    if (shared) return shared as Promise<T>;
    const started = read().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }
}
