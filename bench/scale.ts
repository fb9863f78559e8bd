import type { Client } from '@temporalio/client';
import { type ApiClient, awaitOperation, noopJob, seedCollection } from './engine';

export interface ScaleRun {
  items: number;
  stages: number;
  seconds: number;
  itemStagesPerSecond: number;
  workflows: number;
  maxHistoryEvents: number;
  exact: boolean;
}

/**
 * One operation of `items` items × `stages` noop stages, from POST to completed: its rate, and
 * whether it finished exactly with every history bounded. Seeding is not timed.
 */
export async function runScale(
  api: ApiClient,
  temporal: Client,
  options: { items: number; stages: number; chunkSize: number; log: (line: string) => void },
): Promise<ScaleRun> {
  const job = `bench-scale-${options.stages}`;
  await api('POST', '/v1/jobs', noopJob(job, options.stages)).catch(() => undefined);
  options.log(`  seeding ${options.items.toLocaleString('en-US')} items …`);
  const collectionId = await seedCollection(api, `bench-scale-${Date.now()}`, options.items);
  const started = performance.now();
  const { id } = await api('POST', '/v1/operations', { job, collectionId });
  const total = options.items * options.stages;
  await awaitOperation(
    api,
    temporal,
    id,
    (operation) => {
      const done = operation.stages.reduce(
        (sum: number, stage: { done: number }) => sum + stage.done,
        0,
      );
      options.log(
        `  ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} item-stages done`,
      );
    },
    5_000,
  );
  const seconds = (performance.now() - started) / 1000;
  const operation = await api('GET', `/v1/operations/${id}`);
  const chunks = Math.ceil(options.items / options.chunkSize);
  // A single chunk runs inline, in the operation's own workflow.
  const ids = [
    id,
    ...Array.from({ length: chunks > 1 ? chunks : 0 }, (_, i) => `${id}.chunk-${i}`),
  ];
  let maxHistoryEvents = 0;
  for (const workflowId of ids) {
    // The operation may have continued as new; each run's history is bounded on its own.
    const history = await temporal.workflow
      .getHandle(workflowId)
      .fetchHistory()
      .catch(() => undefined);
    maxHistoryEvents = Math.max(maxHistoryEvents, history?.events?.length ?? 0);
  }
  return {
    items: options.items,
    stages: options.stages,
    seconds,
    itemStagesPerSecond: total / seconds,
    workflows: ids.length,
    maxHistoryEvents,
    exact: operation.status === 'completed' && operation.counts.done === options.items,
  };
}
