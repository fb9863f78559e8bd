import type { Client } from '@temporalio/client';
import { type ApiClient, awaitOperation, seedCollection } from './engine';

export interface ScaleRun {
  items: number;
  seconds: number;
  workflows: number;
  maxHistoryEvents: number;
  exact: boolean;
}

/** One large single-stage operation: does it finish exactly, and how long do histories grow? */
export async function runScale(
  api: ApiClient,
  temporal: Client,
  options: { items: number; chunkSize: number; log: (line: string) => void },
): Promise<ScaleRun> {
  await api('POST', '/v1/jobs', {
    name: 'bench-scale',
    stages: [{ name: 'only', handler: 'noop' }],
  });
  options.log(`  seeding ${options.items} items …`);
  const collectionId = await seedCollection(api, `bench-scale-${Date.now()}`, options.items);
  const started = performance.now();
  const { id } = await api('POST', '/v1/operations', { job: 'bench-scale', collectionId });
  await awaitOperation(
    api,
    temporal,
    id,
    (operation) => options.log(`  ${operation.counts.done} of ${options.items} items done`),
    5_000,
  );
  const seconds = (performance.now() - started) / 1000;
  const operation = await api('GET', `/v1/operations/${id}`);
  const chunks = Math.ceil(options.items / options.chunkSize);
  const ids = [id, ...Array.from({ length: chunks }, (_, i) => `${id}.chunk-${i}`)];
  let maxHistoryEvents = 0;
  for (const workflowId of ids) {
    // The operation may have continued as new; each run's history is bounded on its own.
    const history = await temporal.workflow.getHandle(workflowId).fetchHistory();
    maxHistoryEvents = Math.max(maxHistoryEvents, history.events?.length ?? 0);
  }
  return {
    items: options.items,
    seconds,
    workflows: ids.length,
    maxHistoryEvents,
    exact: operation.status === 'completed' && operation.counts.done === options.items,
  };
}
