import type { Client } from '@temporalio/client';
import { type ApiClient, noopJob, seedCollection } from './engine';
import { percentile } from './stats';

export interface LatencyRun {
  stages: number;
  p50Ms: number;
  p95Ms: number;
  runs: number;
}

/**
 * One-item operations one after another, each timed from POST /v1/operations to its workflow's
 * result (the workflow ends after it recorded the status `completed`), after a few unmeasured.
 */
export async function runSingleItemLatency(
  api: ApiClient,
  temporal: Client,
  options: { stages: number; runs: number; log: (line: string) => void },
): Promise<LatencyRun> {
  const job = `bench-one-${options.stages}`;
  await api('POST', '/v1/jobs', noopJob(job, options.stages)).catch(() => undefined);
  const collectionId = await seedCollection(api, `bench-one-${Date.now()}`, 1);
  const warmUp = 3;
  const times: number[] = [];
  for (let run = 0; run < warmUp + options.runs; run++) {
    const started = performance.now();
    const { id } = await api('POST', '/v1/operations', { job, collectionId });
    await temporal.workflow.getHandle(id).result();
    if (run >= warmUp) times.push(performance.now() - started);
  }
  const result = {
    stages: options.stages,
    p50Ms: percentile(times, 50),
    p95Ms: percentile(times, 95),
    runs: options.runs,
  };
  options.log(
    `  1 item × ${options.stages}: p50 ${result.p50Ms.toFixed(1)} ms, p95 ${result.p95Ms.toFixed(1)} ms`,
  );
  return result;
}
