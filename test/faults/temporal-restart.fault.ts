import { it } from 'vitest';
import { ProgressMonitor } from './monitor';
import { sleep } from './procs';
import { finish, runScenario, startCountingOperation, waitForFirstStage } from './scenario';

it('the Temporal dev server killed and restarted on the same file', () =>
  runScenario(
    'temporal-restart',
    'Temporal dev server SIGKILLed, restarted on its SQLite file after 5 s',
    async (context) => {
      const topology = context.topology();
      await topology.start(1);
      const api = topology.client();
      const sql = context.sql(topology.databaseUrl);
      const id = await startCountingOperation(api, { name: 'temporal-restart' });
      const monitor = new ProgressMonitor(sql, id);
      const before = await waitForFirstStage(api, id);

      const faultAt = Date.now();
      await topology.killTemporal();
      context.note(
        `killed Temporal at stage 1 ${before.stages[0].done}/${before.counts.items} done; down 5 s`,
      );
      await sleep(5_000);
      const restoredAt = Date.now();
      await topology.startTemporal();
      context.note(
        `Temporal answered ${((Date.now() - restoredAt) / 1000).toFixed(1)} s after restart`,
      );
      return finish(sql, monitor, {
        operationId: id,
        ledgerDir: topology.ledgerDir,
        expectedStatus: 'completed',
        api,
        faultAt,
        restoredAt,
      });
    },
  ));
