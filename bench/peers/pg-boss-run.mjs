// pg-boss doing the engine benchmark's work: `node pg-boss-run.mjs throughput` or `… latency`,
// with PEER_DATABASE_URL and PEER_CACHE_DIR set (see harness.mjs and index.ts).
import { handle, INSERT_OUTCOMES, load, log, main, versionOf } from './harness.mjs';

const { PgBoss } = await load('pg-boss');

const QUEUE = 'peer-stage';
// Workers polling (localConcurrency) and jobs claimed per fetch (batchSize). On the two-core bench
// machine 2, 4 or 8 workers measured the same; fetching 5 jobs halved throughput, 25 gained
// nothing over 10. (At batchSize 1 burst mode is off and a quick try fell to ~90 item-stages/s.)
const CONCURRENCY = Number(process.env.PEER_CONCURRENCY ?? 4);
const FETCH_JOBS = Number(process.env.PEER_FETCH_JOBS ?? 10);

function newBoss(settings) {
  const boss = new PgBoss({
    connectionString: settings.url,
    // A transactional handler pins a connection for its whole run; fetches and maintenance need
    // their own (pg-boss warns below concurrency + 1).
    max: CONCURRENCY + 4,
    useListenNotify: true,
  });
  boss.on('error', (error) => log(`pg-boss error: ${error.message}`));
  boss.on('warning', (warning) => log(`pg-boss warning: ${warning.message}`));
  return boss;
}

/**
 * Reports each handler transaction's last-stage rows once pg-boss has committed it, by wrapping
 * the commit of the transactions it opens. pg-boss hands the handler the transaction's own `db`,
 * which is how a handler's rows find their transaction; nothing else is changed.
 */
function observeCommits(boss, committed) {
  const written = new WeakMap();
  const db = boss.getDb();
  const begin = db.beginTransaction.bind(db);
  db.beginTransaction = async () => {
    const transaction = await begin();
    const commit = transaction.commit;
    transaction.commit = async () => {
      await commit();
      const rows = written.get(transaction.db);
      if (rows) committed(rows.stage, rows.count);
    };
    return transaction;
  };
  return (tx, stage, count) => written.set(tx, { stage, count });
}

main({
  name: 'pg-boss',
  version: versionOf('pg-boss'),
  notes: (settings) =>
    `jobs of ${settings.batchSize} items; work() with batchSize ${FETCH_JOBS}, localConcurrency ` +
    `${CONCURRENCY}, burstWhenBatchFull, transactional, LISTEN/NOTIFY (useListenNotify, queue ` +
    'notify); each fetched batch writes its outcome rows, insert()s the next stage and is ' +
    'completed in one transaction',
  async install(settings) {
    const boss = newBoss(settings);
    await boss.start();
    await boss.createQueue(QUEUE, { notify: true });
    await boss.stop();
  },
  async start(settings, committed) {
    const boss = newBoss(settings);
    await boss.start();
    const wrote = observeCommits(boss, committed);
    const work = { batchSize: FETCH_JOBS, localConcurrency: CONCURRENCY, burstWhenBatchFull: true };
    await boss.work(QUEUE, { ...work, transactional: true }, async (jobs, tx) => {
      const items = [];
      const stages = [];
      let lastStage = 0;
      for (const { data } of jobs) {
        handle(data.items);
        for (const item of data.items) {
          items.push(item);
          stages.push(data.stage);
        }
        if (data.stage === settings.stages) lastStage += data.items.length;
      }
      await tx.executeSql(INSERT_OUTCOMES, [items, stages]);
      const next = jobs
        .filter(({ data }) => data.stage < settings.stages)
        .map(({ data }) => ({ data: { stage: data.stage + 1, items: data.items } }));
      if (next.length > 0) await boss.insert(QUEUE, next, { db: tx });
      if (lastStage > 0) wrote(tx, settings.stages, lastStage);
    });
    return {
      async add(batches) {
        await boss.insert(
          QUEUE,
          batches.map((items) => ({ data: { stage: 1, items } })),
        );
      },
      async stop() {
        await boss.stop({ graceful: true, close: true });
      },
    };
  },
});
