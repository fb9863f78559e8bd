import { it } from 'vitest';
import { ProgressMonitor } from './monitor';
import { finish, runScenario, startCountingOperation, waitForFirstStage } from './scenario';

it('two workers, one killed for good', () =>
  runScenario('worker-lost', 'two workers, one SIGKILLed and never restarted', async (context) => {
    const topology = context.topology();
    await topology.start(2);
    const api = topology.client();
    const sql = context.sql(topology.databaseUrl);
    const id = await startCountingOperation(api, { name: 'worker-lost' });
    const monitor = new ProgressMonitor(sql, id);
    const before = await waitForFirstStage(api, id);

    const [lost, survivor] = topology.workers;
    const faultAt = Date.now();
    await lost?.kill('SIGKILL');
    context.note(
      `killed worker ${lost?.pid} for good at stage 1 ${before.stages[0].done}/${before.counts.items} done; worker ${survivor?.pid} carries on`,
    );
    return finish(sql, monitor, {
      operationId: id,
      ledgerDir: topology.ledgerDir,
      expectedStatus: 'completed',
      api,
      faultAt,
    });
  }));
