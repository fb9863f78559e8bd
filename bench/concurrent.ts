import type { Client } from '@temporalio/client';
import { type ApiClient, noopJob, seedCollection } from './engine';
import { percentile } from './stats';

export interface ConcurrentRun {
  operations: number;
  itemsEach: number;
  stages: number;
  seconds: number;
  itemStagesPerSecond: number;
  /** Seconds from the common start to each operation's completion. */
  firstSeconds: number;
  medianSeconds: number;
  lastSeconds: number;
  allExact: boolean;
  /** Starts answered 503 (database busy) and repeated 2 s later, as a client of the API does. */
  startsRetried: number;
}

/**
 * Many operations started together, each over a collection of its own: total rate, and how far
 * apart they finish (one that waits far longer than its share shows as a long tail).
 */
export async function runConcurrent(
  api: ApiClient,
  temporal: Client,
  options: {
    operations: number;
    itemsEach: number;
    stages: number;
    log: (line: string) => void;
  },
): Promise<ConcurrentRun> {
  const job = `bench-many-${options.stages}`;
  await api('POST', '/v1/jobs', noopJob(job, options.stages)).catch(() => undefined);
  options.log(`  seeding ${options.operations} collections of ${options.itemsEach} items …`);
  const collections: string[] = [];
  for (let i = 0; i < options.operations; i++) {
    collections.push(await seedCollection(api, `bench-many-${Date.now()}-${i}`, options.itemsEach));
  }
  const started = performance.now();
  let startsRetried = 0;
  // What a client of the API does with a 503: waits 2 s and repeats the start, with
  // an idempotency key so that a repeat cannot start a second operation.
  const start = async (collectionId: string, index: number) => {
    const body = { job, collectionId, idempotencyKey: `bench-many-${started}-${index}` };
    for (let attempt = 1; ; attempt++) {
      try {
        return (await api('POST', '/v1/operations', body)) as { id: string };
      } catch (error) {
        if (attempt >= 5 || !/: 503 /.test((error as Error).message)) throw error;
        startsRetried++;
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      }
    }
  };
  const finished = await Promise.all(
    collections.map(async (collectionId, index) => {
      const { id } = await start(collectionId, index);
      await temporal.workflow.getHandle(id).result();
      const seconds = (performance.now() - started) / 1000;
      const operation = await api('GET', `/v1/operations/${id}`);
      return {
        seconds,
        exact: operation.status === 'completed' && operation.counts.done === options.itemsEach,
      };
    }),
  );
  const times = finished.map((run) => run.seconds);
  const seconds = Math.max(...times);
  return {
    operations: options.operations,
    itemsEach: options.itemsEach,
    stages: options.stages,
    seconds,
    itemStagesPerSecond: (options.operations * options.itemsEach * options.stages) / seconds,
    firstSeconds: Math.min(...times),
    medianSeconds: percentile(times, 50),
    lastSeconds: seconds,
    allExact: finished.every((run) => run.exact),
    startsRetried,
  };
}
