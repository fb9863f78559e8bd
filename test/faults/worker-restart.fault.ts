import { it } from 'vitest';
import { ProgressMonitor } from './monitor';
import { sleep } from './procs';
import { finish, runScenario, startCountingOperation, waitForFirstStage } from './scenario';

it('a worker killed with SIGKILL mid-batch and started again 5 s later', () =>
  runScenario('worker-restart', 'worker SIGKILL, restarted after 5 s', async (context) => {
    const topology = context.topology();
    await topology.start(1);
    const api = topology.client();
    const sql = context.sql(topology.databaseUrl);
    const id = await startCountingOperation(api, { name: 'worker-restart' });
    const monitor = new ProgressMonitor(sql, id);
    const before = await waitForFirstStage(api, id);

    const worker = topology.workers[0];
    const faultAt = Date.now();
    await worker?.kill('SIGKILL');
    context.note(
      `killed worker ${worker?.pid} at stage 1 ${before.stages[0].done}/${before.counts.items} done, ${before.stages[0].inProgress} in progress`,
    );
    await sleep(5_000);
    const restoredAt = Date.now();
    await topology.startWorker();
    return finish(sql, monitor, {
      operationId: id,
      ledgerDir: topology.ledgerDir,
      expectedStatus: 'completed',
      api,
      faultAt,
      restoredAt,
    });
  }));
