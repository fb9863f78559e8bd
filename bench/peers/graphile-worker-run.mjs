// graphile-worker doing the engine benchmark's work: `node graphile-worker-run.mjs throughput`
// or `… latency`, with PEER_DATABASE_URL and PEER_CACHE_DIR set (see harness.mjs and index.ts).
import { handle, INSERT_OUTCOMES, load, log, main, versionOf } from './harness.mjs';

const { Logger, makeWorkerUtils, run, runMigrations } = await load('graphile-worker');

// The project's performance page runs concurrentJobs 24 with localQueue 500; on the two-core bench
// machine, where Postgres shares the cores, 4 and 8 measured alike and 16 or 24 (with 500) about
// 15 % slower. localQueue is the documented starting point, concurrency + 1.
const CONCURRENCY = Number(process.env.PEER_CONCURRENCY ?? 8);
const LOCAL_QUEUE = Number(process.env.PEER_LOCAL_QUEUE ?? CONCURRENCY + 1);
const TASK = 'stage';

const logger = new Logger(() => (level, message) => {
  if (level === 'error' || level === 'warning') log(`graphile-worker ${level}: ${message}`);
});

function options(settings) {
  return {
    connectionString: settings.url,
    concurrency: CONCURRENCY,
    // Each running task holds a client for its own transaction besides the worker's own needs.
    maxPoolSize: CONCURRENCY + 4,
    // A fallback only: new jobs wake the workers through LISTEN/NOTIFY on `jobs:insert`.
    pollInterval: 2_000,
    noHandleSignals: true,
    logger,
    preset: {
      worker: {
        localQueue: { size: LOCAL_QUEUE },
        completeJobBatchDelay: 0,
        failJobBatchDelay: 0,
      },
    },
  };
}

main({
  name: 'graphile-worker',
  version: versionOf('graphile-worker'),
  notes: (settings) =>
    `jobs of ${settings.batchSize} items; concurrency ${CONCURRENCY}, pool ${CONCURRENCY + 4}, ` +
    `localQueue ${LOCAL_QUEUE}, completeJobBatchDelay 0, LISTEN/NOTIFY wake-up; each job writes ` +
    'its outcome rows and add_job()s the next stage in one transaction, and the worker then ' +
    'completes (deletes) the job in a batched statement of its own',
  async install(settings) {
    await runMigrations({ connectionString: settings.url, logger });
  },
  async start(settings, committed) {
    const stage = async ({ stage, items }, helpers) => {
      handle(items);
      // Completion stays the worker's: the library has no way to take it into this transaction.
      await helpers.withPgClient(async (client) => {
        await client.query('begin');
        try {
          await client.query(INSERT_OUTCOMES, [items, items.map(() => stage)]);
          if (stage < settings.stages)
            await client.query('select graphile_worker.add_job($1, $2::json)', [
              TASK,
              JSON.stringify({ stage: stage + 1, items }),
            ]);
          await client.query('commit');
        } catch (error) {
          await client.query('rollback');
          throw error;
        }
      });
      committed(stage, items.length);
    };
    const runner = await run({ ...options(settings), taskList: { [TASK]: stage } });
    const utils = await makeWorkerUtils({ connectionString: settings.url, logger });
    return {
      async add(batches) {
        await utils.addJobs(
          batches.map((items) => ({ identifier: TASK, payload: { stage: 1, items } })),
        );
      },
      async stop() {
        await runner.stop();
        await runner.promise;
        await utils.release();
      },
    };
  },
});
