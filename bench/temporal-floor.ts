import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { installQuietRuntime } from '../worker/create-worker';
import { floorActivities } from './floor-workflows';
import { percentile } from './stats';

const workflowsPath = fileURLToPath(new URL('./floor-workflows.ts', import.meta.url));

/**
 * The dev server's history shard reads its transfer queue at most 20 times a second with a burst
 * of 20 (history.transferProcessorMaxPollRPS), so the first runs after a quiet spell are faster
 * than back-to-back ones; this many unmeasured runs of each kind use that burst up.
 */
const WARM_UP = 15;

export interface FloorResult {
  label: string;
  emptyWorkflowP50Ms: number;
  emptyWorkflowP95Ms: number;
  oneActivityP50Ms: number;
  oneActivityP95Ms: number;
  runs: number;
}

/** Start → result of `workflowType`, `runs` times one after another, in milliseconds. */
async function timeRuns(
  client: Client,
  taskQueue: string,
  workflowType: 'emptyWorkflow' | 'oneActivityWorkflow',
  runs: number,
): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const handle = await client.workflow.start(workflowType, {
      taskQueue,
      workflowId: `${taskQueue}-${workflowType}-${Date.now()}-${run}`,
    });
    await handle.result();
    times.push(performance.now() - started);
  }
  return times;
}

/**
 * What Temporal itself costs on this server: a worker and client of their own, no Conveyor code,
 * each workflow started and awaited in turn. The client is a plain gRPC connection, as the API's
 * is, so eager workflow start (which needs the worker's NativeConnection) is not in the figure.
 */
export async function measureTemporalFloor(options: {
  address: string;
  namespace?: string;
  runs?: number;
  log: (line: string) => void;
  workerOptions?: Partial<WorkerOptions>;
  label?: string;
}): Promise<FloorResult> {
  const namespace = options.namespace ?? 'default';
  const runs = options.runs ?? 30;
  installQuietRuntime();
  // A queue of its own, so no other worker on the server takes these tasks.
  const taskQueue = `bench-floor-${process.pid}-${Date.now()}`;
  const nativeConnection = await NativeConnection.connect({ address: options.address });
  try {
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace,
      taskQueue,
      workflowsPath,
      activities: floorActivities,
      ...options.workerOptions,
    });
    const connection = await Connection.connect({ address: options.address });
    try {
      const client = new Client({ connection, namespace });
      const times = await worker.runUntil(async () => {
        await timeRuns(client, taskQueue, 'emptyWorkflow', WARM_UP);
        await timeRuns(client, taskQueue, 'oneActivityWorkflow', WARM_UP);
        return {
          empty: await timeRuns(client, taskQueue, 'emptyWorkflow', runs),
          oneActivity: await timeRuns(client, taskQueue, 'oneActivityWorkflow', runs),
        };
      });
      const result: FloorResult = {
        label: options.label ?? `bare worker on ${options.address}`,
        emptyWorkflowP50Ms: percentile(times.empty, 50),
        emptyWorkflowP95Ms: percentile(times.empty, 95),
        oneActivityP50Ms: percentile(times.oneActivity, 50),
        oneActivityP95Ms: percentile(times.oneActivity, 95),
        runs,
      };
      options.log(
        `  empty workflow: p50 ${result.emptyWorkflowP50Ms.toFixed(1)} ms, p95 ${result.emptyWorkflowP95Ms.toFixed(1)} ms`,
      );
      options.log(
        `  one-activity workflow: p50 ${result.oneActivityP50Ms.toFixed(1)} ms, p95 ${result.oneActivityP95Ms.toFixed(1)} ms`,
      );
      return result;
    } finally {
      await connection.close();
    }
  } finally {
    await nativeConnection.close();
  }
}
