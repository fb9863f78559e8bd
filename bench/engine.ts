import type { Client } from '@temporalio/client';
import { percentile } from './stats';

export type ApiClient = (method: string, path: string, body?: unknown) => Promise<any>;

export function apiClient(url: string, key: string): ApiClient {
  return async (method, path, body) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 400) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
}

/** The benchmark's job: `stages` noop stages that do no work, so the engine's cost is what shows. */
export function noopJob(name: string, stages: number) {
  return {
    name,
    stages: Array.from({ length: stages }, (_, i) => ({
      name: `stage-${i + 1}`,
      handler: 'noop',
      params: { delayMs: 0 },
    })),
  };
}

export async function seedCollection(api: ApiClient, name: string, items: number): Promise<string> {
  const { id } = await api('POST', '/v1/collections', { name });
  for (let start = 0; start < items; start += 5_000) {
    const page = Array.from({ length: Math.min(5_000, items - start) }, (_, i) => ({
      key: `k${start + i}`,
      data: { n: start + i },
    }));
    await api('POST', `/v1/collections/${id}/items`, { items: page });
  }
  return id;
}

/**
 * Waits on the operation's workflow itself (exact, and no polling load on the API), reporting
 * progress from the API every few seconds for the person watching.
 */
export async function awaitOperation(
  api: ApiClient,
  temporal: Client,
  id: string,
  report: (operation: any) => void,
  everyMs = 2_000,
): Promise<void> {
  const progress = setInterval(async () => {
    const current = await api('GET', `/v1/operations/${id}`).catch(() => undefined);
    if (current) report(current);
  }, everyMs);
  try {
    await temporal.workflow.getHandle(id).result();
  } finally {
    clearInterval(progress);
  }
}

export interface EngineRun {
  seconds: number;
  itemStagesPerSecond: number;
  batchP50Ms: number;
  batchP95Ms: number;
  batches: number;
}

/** Durations of processBatch activities, started to completed, over the run and its chunks. */
async function batchDurations(
  temporal: Client,
  operationId: string,
  chunks: number,
): Promise<number[]> {
  const ids = [
    operationId,
    ...Array.from({ length: chunks }, (_, i) => `${operationId}.chunk-${i}`),
  ];
  const durations: number[] = [];
  for (const workflowId of ids) {
    const history = await temporal.workflow
      .getHandle(workflowId)
      .fetchHistory()
      .catch(() => undefined);
    const scheduled = new Map<string, string>();
    const started = new Map<string, number>();
    for (const event of history?.events ?? []) {
      const id = String(event.eventId);
      const time =
        Number(event.eventTime?.seconds ?? 0) * 1000 + (event.eventTime?.nanos ?? 0) / 1e6;
      if (event.activityTaskScheduledEventAttributes) {
        scheduled.set(id, event.activityTaskScheduledEventAttributes.activityType?.name ?? '');
      } else if (event.activityTaskStartedEventAttributes) {
        started.set(String(event.activityTaskStartedEventAttributes.scheduledEventId), time);
      } else if (event.activityTaskCompletedEventAttributes) {
        const scheduledId = String(event.activityTaskCompletedEventAttributes.scheduledEventId);
        const begin = started.get(scheduledId);
        // Either ledger's batch activity: version 1's processBatch, version 2's processSlice.
        const type = scheduled.get(scheduledId);
        if ((type === 'processBatch' || type === 'processSlice') && begin !== undefined)
          durations.push(time - begin);
      }
    }
  }
  return durations;
}

export async function runEngineOnce(
  api: ApiClient,
  temporal: Client,
  options: {
    run: number;
    items: number;
    job: string;
    chunkSize: number;
    log: (line: string) => void;
    /** A collection of `items` seeded beforehand, so that a CPU figure can leave seeding out. */
    collectionId?: string;
  },
): Promise<EngineRun> {
  const collectionId =
    options.collectionId ??
    (await seedCollection(api, `bench-${Date.now()}-${options.run}`, options.items));
  const started = performance.now();
  const { id } = await api('POST', '/v1/operations', { job: options.job, collectionId });
  await awaitOperation(api, temporal, id, (operation) => {
    const done = operation.stages.reduce(
      (sum: number, stage: { done: number }) => sum + stage.done,
      0,
    );
    options.log(
      `  run ${options.run}: ${done} of ${options.items * operation.stages.length} item-stages done`,
    );
  });
  const seconds = (performance.now() - started) / 1000;
  const operation = await api('GET', `/v1/operations/${id}`);
  if (operation.status !== 'completed')
    throw new Error(`engine run ${options.run} ended ${operation.status}: ${operation.error}`);
  const stages = operation.stages.length;
  const durations = await batchDurations(
    temporal,
    id,
    Math.ceil(options.items / options.chunkSize),
  );
  return {
    seconds,
    itemStagesPerSecond: (options.items * stages) / seconds,
    batchP50Ms: percentile(durations, 50),
    batchP95Ms: percentile(durations, 95),
    batches: durations.length,
  };
}
