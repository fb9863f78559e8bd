import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';

const workflowsPath = fileURLToPath(new URL('./naive-workflow.ts', import.meta.url));
export const NAIVE_CONCURRENCY = 20;

/** Runs the one-activity-per-item baseline `runs` times on its own task queue; seconds per run. */
export async function runNaive(
  address: string,
  temporal: Client,
  options: { runs: number; items: number; stages: number; log: (line: string) => void },
): Promise<number[]> {
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    taskQueue: 'bench-naive',
    workflowsPath,
    activities: { naiveProcessItem: async () => {} },
    maxConcurrentActivityTaskExecutions: 100,
  });
  const seconds: number[] = [];
  try {
    await worker.runUntil(async () => {
      for (let run = 1; run <= options.runs; run++) {
        const started = performance.now();
        await temporal.workflow.execute('naiveWorkflow', {
          taskQueue: 'bench-naive',
          workflowId: `bench-naive-${Date.now()}-${run}`,
          args: [{ items: options.items, stages: options.stages, concurrency: NAIVE_CONCURRENCY }],
        });
        seconds.push((performance.now() - started) / 1000);
        options.log(
          `  naive run ${run}: ${options.items * options.stages} item-stages in ${seconds.at(-1)?.toFixed(1)} s`,
        );
      }
    });
  } finally {
    await connection.close();
  }
  return seconds;
}
