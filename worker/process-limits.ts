/**
 * The Node flag that bounds a worker process's V8 old space: WORKER_HEAP_MB, else 256 MB (the
 * `start:worker` npm script says the same in shell). A bound heap collects sooner, keeping a
 * worker's memory flat under long runs instead of growing to V8's default for the machine.
 */
export function workerHeapFlag(env: NodeJS.ProcessEnv = process.env): string {
  return `--max-old-space-size=${env.WORKER_HEAP_MB || 256}`;
}
