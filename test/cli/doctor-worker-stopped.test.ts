import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { type Harness, startHarness, waitFor } from '../harness';
import { runCli } from './run-cli';

/**
 * `conveyor worker` started and then stopped as an operator would: Temporal goes on listing the
 * stopped worker as a poller for about a minute, but `doctor` knows at once from its report.
 */

let harness: Harness;
let worker: ChildProcess | undefined;

beforeAll(async () => {
  harness = await startHarness({ worker: false });
});
afterAll(async () => {
  worker?.kill('SIGKILL');
  await harness?.stop();
});

it('names a worker that was stopped, though Temporal still lists it', async () => {
  worker = spawn(
    process.execPath,
    [new URL('../../bin/conveyor.mjs', import.meta.url).pathname, 'worker'],
    {
      env: {
        ...process.env,
        DATABASE_URL: harness.databaseUrl,
        TEMPORAL_ADDRESS: harness.temporalAddress,
        TASK_QUEUE: harness.taskQueue,
        WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
      },
      stdio: 'ignore',
    },
  );
  // This harness has no maintenance schedule, so doctor fails on that whatever the workers do.
  await waitFor(
    () => runCli(harness, ['doctor']),
    (run) => /^\[ok\]\s+Workers\s+1 polling/m.test(run.stdout),
    { what: 'the worker process polling', timeoutMs: 60_000 },
  );

  const exited = new Promise((resolve) => worker?.once('exit', resolve));
  worker.kill('SIGTERM');
  await exited;
  const stopped = await runCli(harness, ['doctor']);
  expect(stopped.stdout).toMatch(
    new RegExp(
      `^\\[FAIL\\] Workers\\s+no worker is running on task queue ${harness.taskQueue}: \\S+ stopped at .* → start one: \`conveyor worker\``,
      'm',
    ),
  );
  // What Temporal says at the same moment: the stopped worker still listed.
  const listed = await harness.api('GET', '/v1/workers');
  expect(listed.body.workers).toEqual([
    expect.objectContaining({ reporting: false, stoppedAt: expect.any(String) }),
  ]);
}, 90_000);
