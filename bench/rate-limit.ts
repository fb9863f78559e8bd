import type { Config } from '../common/config';
import type { RunningConveyor } from '../runtime/compose';
import { createWorker } from '../worker/create-worker';
import { type ApiClient, seedCollection } from './engine';

export interface RateLimitRun {
  limit: number;
  items: number;
  measured: number;
  workers: number;
}

/** 1,000 items under a 200/s handler rate limit, shared by the bench's worker and one more. */
export async function measureRateLimit(
  api: ApiClient,
  conveyor: RunningConveyor,
  config: Config,
): Promise<RateLimitRun> {
  const second = await createWorker({
    address: conveyor.endpoints.temporalAddress,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TASK_QUEUE,
    database: conveyor.database,
  });
  const secondRun = second.worker.run();
  try {
    await api('POST', '/v1/jobs', {
      name: 'bench-paced',
      stages: [{ name: 'paced', handler: 'noop', rateLimitPerSecond: 200, concurrency: 50 }],
    });
    const collectionId = await seedCollection(api, `bench-paced-${Date.now()}`, 1_000);
    const { id } = await api('POST', '/v1/operations', { job: 'bench-paced', collectionId });
    while (
      !['completed', 'failed', 'cancelled'].includes(
        (await api('GET', `/v1/operations/${id}`)).status,
      )
    ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Version 1 stamps each item's start; version 2 keeps no start per item, so its span is the
    // operation's run, which can only understate the rate (by the last items' recording).
    const [span] = await conveyor.database.sql<{ seconds: number }[]>`
      select coalesce(
        (select extract(epoch from max(started_at) - min(started_at)) from item_stages
          where operation_id = ${id} having count(*) > 0),
        (select extract(epoch from finished_at - started_at) from operations where id = ${id})
      )::float8 as seconds`;
    // The first second's burst (one second's worth of tokens) is free; the rest is paced.
    return { limit: 200, items: 1_000, workers: 2, measured: (1_000 - 200) / (span?.seconds ?? 1) };
  } finally {
    second.worker.shutdown();
    await secondRun;
    await second.connection.close();
  }
}
