/** Things to stop, last started first: what a process or a failed start unwinds. */
export class Stack {
  private readonly stops: { name: string; stop: () => Promise<unknown> }[] = [];
  push(name: string, stop: () => Promise<unknown>) {
    this.stops.push({ name, stop });
  }
  /** Stops each part, newest first; a part that takes over `timeoutMs` is left behind, said so. */
  async unwind(log: (line: string) => void, timeoutMs = 15_000) {
    for (const { name, stop } of this.stops.reverse()) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      try {
        const outcome = await Promise.race([stop().then(() => 'stopped' as const), timeout]);
        if (outcome === 'timeout')
          log(`${name} did not stop within ${timeoutMs / 1000} s; moving on`);
      } catch (error) {
        log(`stopping ${name} failed: ${(error as Error).message}`);
      } finally {
        clearTimeout(timer);
      }
    }
    this.stops.length = 0;
  }
}
