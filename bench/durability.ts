import { rmSync } from 'node:fs';
import { startConveyor } from '../runtime/compose';
import { apiClient, type EngineRun, noopJob, runEngineOnce } from './engine';
import { benchRuntime } from './runtime-config';
import { startWorkerProcess } from './worker-process';

/**
 * The engine runs again on an embedded runtime with its syncs off (Postgres fsync and
 * synchronous_commit, SQLite synchronous=OFF), in the same benchmark as the durable runs, so the
 * report can say what durability costs, measured side by side on the same machine.
 */
export async function runEngineWithoutDurability(options: {
  runs: number;
  items: number;
  stages: number;
  bundlePath: string;
  log: (line: string) => void;
}): Promise<EngineRun[]> {
  const { log } = options;
  const { dataDir, config } = benchRuntime(
    'bench-fast',
    { api: 3101, temporal: 7334, ui: 8334, postgres: 5533 },
    'bench-fast',
  );
  log(`durability off: starting a second embedded runtime in ${dataDir} …`);
  const conveyor = await startConveyor(config, { log, startWorker: false, durable: false });
  const worker = await startWorkerProcess(
    {
      WORKFLOW_BUNDLE_PATH: options.bundlePath,
      DATABASE_URL: conveyor.endpoints.databaseUrl,
      TEMPORAL_ADDRESS: conveyor.endpoints.temporalAddress,
      TASK_QUEUE: config.TASK_QUEUE,
    },
    log,
  );
  const { Client, Connection } = await import('@temporalio/client');
  const temporal = new Client({
    connection: await Connection.connect({ address: conveyor.endpoints.temporalAddress }),
  });
  try {
    const api = apiClient(conveyor.apiUrl, conveyor.adminKey);
    await api('POST', '/v1/jobs', noopJob('bench-noop', options.stages));
    const runs: EngineRun[] = [];
    // Unmeasured, as before the durable runs.
    log('durability off, warm-up run');
    await runEngineOnce(api, temporal, {
      run: 0,
      items: options.items,
      job: 'bench-noop',
      chunkSize: config.CHUNK_SIZE,
      log,
    });
    for (let run = 1; run <= options.runs; run++) {
      log(`durability off, engine run ${run} of ${options.runs}`);
      const result = await runEngineOnce(api, temporal, {
        run,
        items: options.items,
        job: 'bench-noop',
        chunkSize: config.CHUNK_SIZE,
        log,
      });
      log(
        `  ${result.itemStagesPerSecond.toFixed(0)} item-stages/s (${result.seconds.toFixed(2)} s)`,
      );
      runs.push(result);
    }
    return runs;
  } finally {
    await temporal.connection.close();
    await worker.stop();
    await conveyor.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
