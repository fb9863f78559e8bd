import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll } from 'vitest';
import { resolveTemporalCli } from '../../runtime/temporal-cli';
import { bundleWorkflows } from '../../worker/create-worker';

/**
 * Temporal's test environment for the workflow unit tests: a local server of their own on the
 * project's Temporal CLI (never downloaded), and the workflow bundle built once per file. Nothing
 * else: no Postgres, no API, no global setup, so `npm run test:unit` runs in seconds.
 */
export async function startWorkflowEnvironment() {
  // Workers start and stop per test; their state changes are noise.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const cli = await resolveTemporalCli({ allowSdkDownload: false });
  const [environment, bundle] = await Promise.all([
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: cli.path as string },
        // The server's own lines would drown the test output.
        extraArgs: ['--log-level', 'error'],
      },
    }),
    bundleWorkflows(),
  ]);
  return { environment, workflowBundle: { code: bundle.code } };
}

/** The retry policy of the fake stage plans: short, so retries show within a test's time. */
export const FAKE_RETRY = {
  maximumAttempts: 3,
  initialIntervalMs: 50,
  backoffCoefficient: 2,
  maximumIntervalMs: 500,
};

/**
 * The file's test environment, started before its tests and torn down after them, with workers
 * of fake activities on task queues of their own.
 */
export function useWorkflowEnvironment(queuePrefix: string) {
  let started: Awaited<ReturnType<typeof startWorkflowEnvironment>> | undefined;
  let queueNumber = 0;
  beforeAll(async () => {
    started = await startWorkflowEnvironment();
  });
  afterAll(async () => {
    await started?.environment.teardown();
  });
  const environment = () => {
    if (!started) throw new Error('the workflow environment has not started');
    return started;
  };
  return {
    client: () => environment().environment.client,
    /** Runs `body` with a worker serving `activities` on a task queue of its own. */
    async withWorker<T>(activities: object, body: (taskQueue: string) => Promise<T>): Promise<T> {
      const { environment: testEnvironment, workflowBundle } = environment();
      const taskQueue = `${queuePrefix}-${process.pid}-${++queueNumber}`;
      const worker = await Worker.create({
        connection: testEnvironment.nativeConnection,
        namespace: testEnvironment.namespace ?? 'default',
        taskQueue,
        workflowBundle: { code: workflowBundle.code },
        activities,
        // Cancels reach an activity with its next heartbeat; do not wait the default throttle.
        maxHeartbeatThrottleInterval: '100ms',
      });
      return worker.runUntil(body(taskQueue));
    },
  };
}
