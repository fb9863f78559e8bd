/**
 * `npm run soak` (not part of CI): keeps SOAK_OPERATIONS operations running against the whole
 * service for SOAK_MINUTES, with pauses, cancels, item failures and a read load on the API;
 * samples the worker's and the API's memory; then drains, reconciles every operation against
 * its item stages, events and Temporal workflow, and writes bench/soak.md. Exits non-zero on
 * any mismatch.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startConveyor } from '../runtime/compose';
import { freePort } from '../runtime/ports';
import { resolveTemporalCli } from '../runtime/temporal-cli';
import { bundleWorkflows, installQuietRuntime } from '../worker/create-worker';
import { apiClient, seedCollection } from './engine';
import { benchRuntime } from './runtime-config';
import { processLog } from './soak-evidence';
import { MeteredApi, OperationDriver, readLoop, SOAK_JOBS, type SoakCollection } from './soak-load';
import { failedReconciliation, reconcile } from './soak-reconcile';
import { memoryVerdict, type RssSample, renderSoakReport } from './soak-report';
import { between, childPid, clock, fmt, prng, rssMb, sleep, startApiProcess } from './soak-support';
import { percentile } from './stats';
import { startWorkerProcess } from './worker-process';

const log = (line: string) => console.log(`[soak] ${line}`);
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

const minutes = env('SOAK_MINUTES', 30);
const seed = env('SOAK_SEED', 1);
const slots = env('SOAK_OPERATIONS', 20);
const collectionCount = env('SOAK_COLLECTIONS', 10);
const readers = env('SOAK_READERS', 4);
const readPauseMs = env('SOAK_READ_PAUSE_MS', 100);
const drainMinutes = env('SOAK_DRAIN_MINUTES', 5);
const keepData = process.env.SOAK_KEEP_DATA === '1';
const SAMPLE_EVERY_MS = 30_000;

async function temporalVersion(): Promise<string> {
  const cli = await resolveTemporalCli({ allowSdkDownload: false }).catch(() => undefined);
  if (!cli?.path) return 'Temporal CLI (version unknown)';
  return execFileSync(cli.path, ['--version'], { encoding: 'utf8' }).trim();
}

async function main(): Promise<number> {
  // Outlives the data directory, for reading after the soak.
  const logDir = mkdtempSync(join(tmpdir(), 'conveyor-soak-logs-'));
  const [postgresPort, temporalPort, uiPort, inProcessApiPort, apiPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const { dataDir, config } = benchRuntime(
    'soak',
    { api: inProcessApiPort, temporal: temporalPort, ui: uiPort, postgres: postgresPort },
    'soak',
  );
  installQuietRuntime({ level: 'ERROR' });
  log(`starting the embedded runtime in ${dataDir} …`);
  const conveyor = await startConveyor(config, { log, startWorker: false });
  const stops: (() => Promise<unknown>)[] = [() => conveyor.stop()];
  const cleanup = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    if (keepData) log(`kept the data directory ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const logs = {
      worker: processLog('worker', join(logDir, 'worker.log'), log),
      api: processLog('api', join(logDir, 'api.log'), log),
    };
    const bundlePath = join(dataDir, 'workflow-bundle.js');
    writeFileSync(bundlePath, (await bundleWorkflows()).code);
    const worker = await startWorkerProcess(
      {
        WORKFLOW_BUNDLE_PATH: bundlePath,
        DATABASE_URL: conveyor.endpoints.databaseUrl,
        TEMPORAL_ADDRESS: conveyor.endpoints.temporalAddress,
        TASK_QUEUE: config.TASK_QUEUE,
      },
      (line) => logs.worker.write(line.replace(/^worker: /, '')),
    );
    stops.push(() => worker.stop());
    const workerPid = childPid('runtime/worker-main.ts');
    const apiProcess = await startApiProcess(
      {
        DATABASE_URL: conveyor.endpoints.databaseUrl,
        TEMPORAL_ADDRESS: conveyor.endpoints.temporalAddress,
        CONVEYOR_ADMIN_KEY: conveyor.adminKey,
        TASK_QUEUE: config.TASK_QUEUE,
        PORT: String(apiPort),
        HOST: '127.0.0.1',
      },
      (line) => logs.api.write(line.replace(/^api: /, '')),
    );
    stops.push(() => apiProcess.stop());
    log(`worker pid ${workerPid}, API pid ${apiProcess.pid} on ${apiProcess.url}`);
    const temporal = new Client({
      connection: await Connection.connect({ address: conveyor.endpoints.temporalAddress }),
    });
    stops.push(() => temporal.connection.close());

    // Set-up goes through a plain client: only the soak's own load is measured.
    const setup = apiClient(apiProcess.url, conveyor.adminKey);
    for (const job of SOAK_JOBS) {
      await setup('POST', '/v1/jobs', {
        name: job.name,
        stages: Array.from({ length: job.stages }, (_, i) => ({
          name: `stage-${i + 1}`,
          handler: 'noop',
          params: { delayMs: 1 },
          ...job.extra,
        })),
      });
    }
    const random = prng(seed);
    const collections: SoakCollection[] = [];
    for (let i = 0; i < collectionCount; i++) {
      const size = between(random, 2_000, 5_000);
      const id = await seedCollection(setup, `soak-${i}`, size);
      const itemIds: number[] = [];
      for (let cursor = ''; ; ) {
        const page = await setup('GET', `/v1/collections/${id}/items?limit=1000${cursor}`);
        itemIds.push(...page.data.map((item: { id: number }) => Number(item.id)));
        if (!page.nextCursor) break;
        cursor = `&cursor=${page.nextCursor}`;
      }
      collections.push({ id, size, itemIds });
    }
    log(`seeded ${collections.length} collections: ${collections.map((c) => c.size).join(', ')}`);

    const api = new MeteredApi(apiProcess.url, conveyor.adminKey);
    const driver = new OperationDriver(api, temporal, collections, seed);
    const began = Date.now();
    const elapsed = () => Date.now() - began;
    const rss: RssSample[] = [];
    const sampleRss = () =>
      rss.push({
        seconds: Math.round(elapsed() / 1000),
        workerMb: rssMb(workerPid),
        apiMb: rssMb(apiProcess.pid),
      });

    // Item stages finished, counted per operation; a finished operation's count is sealed once.
    const sealed = new Map<string, number>();
    let sealedSum = 0;
    const itemStagesFinished = async (): Promise<number> => {
      const open = [...driver.ops.values()].filter((op) => !sealed.has(op.id));
      const ids = open.map((op) => op.id);
      const rows = ids.length
        ? await conveyor.database.sql<{ id: string; count: number }[]>`
            select operation_id as id, count(*)::int as count from item_stages
            where operation_id = any(${ids}::text[]) and status in ('done', 'failed', 'skipped')
            group by 1`
        : [];
      const counts = new Map(rows.map((row) => [row.id, row.count]));
      let openSum = 0;
      for (const op of open) {
        const count = counts.get(op.id) ?? 0;
        if (op.finishedAt !== undefined) {
          sealed.set(op.id, count);
          sealedSum += count;
        } else openSum += count;
      }
      return sealedSum + openSum;
    };
    let lastCount = 0;
    let lastAt = began;
    const progress = async () => {
      sampleRss();
      const now = Date.now();
      const count = await itemStagesFinished().catch(() => lastCount);
      const rate = (count - lastCount) / ((now - lastAt) / 1000);
      lastCount = count;
      lastAt = now;
      const byStatus = new Map<string, number>();
      for (const op of driver.ops.values()) {
        const status = op.apiStatus ?? 'in flight';
        byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
      }
      const last = rss.at(-1);
      const oldest = Math.max(0, ...driver.inFlight().map((op) => now - op.startedAt));
      log(
        `${clock(elapsed())} ops ${driver.ops.size} started: ${[...byStatus].map(([s, n]) => `${s} ${n}`).join(', ')}` +
          ` | ${fmt(rate)} item-stages/s (mean ${fmt(count / (elapsed() / 1000))})` +
          ` | API ${fmt(api.samples.length)} req, p95 ${fmt(
            percentile(
              api.samples.map((s) => s.ms),
              95,
            ),
            1,
          )} ms, ${api.failures().length} errors` +
          ` | RSS worker ${fmt(last?.workerMb ?? Number.NaN)} MB, API ${fmt(last?.apiMb ?? Number.NaN)} MB` +
          ` | oldest in flight ${fmt(oldest / 1000)} s`,
      );
      if (!apiProcess.alive()) log('THE API PROCESS HAS EXITED');
    };
    sampleRss();
    const ticker = setInterval(() => void progress(), SAMPLE_EVERY_MS);

    let interrupted = false;
    process.once('SIGINT', () => {
      interrupted = true;
      log('interrupted: stopping the load, then draining and reconciling');
    });
    log(`load: ${slots} operations at a time for ${minutes} min, ${readers} readers`);
    const running = driver.run(slots);
    let readersStopped = false;
    const readLoops = Array.from({ length: readers }, (_, i) =>
      readLoop(api, driver, prng(seed * 1_000 + i), () => readersStopped, readPauseMs),
    );
    const loadEnds = began + minutes * 60_000;
    while (Date.now() < loadEnds && !interrupted)
      await sleep(Math.min(1_000, loadEnds - Date.now()));
    const loadSeconds = elapsed() / 1000;
    driver.stopping = true;
    log(`load over after ${fmt(loadSeconds)} s; draining ${driver.inFlight().length} operations …`);
    const drainStart = Date.now();
    const drained = await Promise.race([
      running.then(() => true),
      sleep(drainMinutes * 60_000).then(() => false),
    ]);
    const drainSeconds = (Date.now() - drainStart) / 1000;
    readersStopped = true;
    await Promise.all(readLoops);
    clearInterval(ticker);
    await progress();
    if (!drained) {
      log(
        `the drain timed out; still in flight: ${driver
          .inFlight()
          .map((op) => op.id)
          .join(', ')}`,
      );
    }

    logs.worker.flush();
    logs.api.flush();
    const reconciliation = await reconcile(conveyor.database.sql, temporal, driver.ops, log).catch(
      (error: Error) => {
        log(`the reconciliation failed: ${error.stack ?? error.message}`);
        return failedReconciliation(error);
      },
    );
    const figures = {
      date: new Date().toISOString(),
      temporalVersion: await temporalVersion(),
      settings: {
        seed,
        'operations at a time': slots,
        collections: `${collections.length} of ${collections.map((c) => fmt(c.size)).join(', ')} items`,
        jobs: SOAK_JOBS.map(
          (j) =>
            `${j.name} (${j.stages} noop stages${j.extra && 'batchSize' in j.extra ? `, batchSize ${j.extra.batchSize}, concurrency ${j.extra.concurrency}` : ''})`,
        ).join(', '),
        'per operation':
          'delayMs 1–5, 0–3 failKeys, 0–5 flakyKeys; 70% whole collection, 15% itemIds (50–1,500), 15% limit (200–3,000); 7% cancel, 3% pause then cancel, 12% pause 5–20 s then resume, 0.5–15 s after start',
        'read load': `${readers} loops, ${readPauseMs} ms between requests`,
        'batch / chunk size': `${config.BATCH_SIZE} (adaptive) / ${config.CHUNK_SIZE}`,
      },
      plannedMinutes: minutes,
      loadSeconds,
      drainSeconds,
      drained,
      ops: [...driver.ops.values()],
      startFailures: driver.startFailures,
      samples: api.samples,
      apiErrors: api.errors,
      rss,
      reconciliation,
      logs: [
        { name: 'worker', file: join(logDir, 'worker.log'), kinds: logs.worker.kinds() },
        { name: 'API', file: join(logDir, 'api.log'), kinds: logs.api.kinds() },
      ],
    };
    const report = renderSoakReport(figures);
    writeFileSync(new URL('./soak.md', import.meta.url), report);
    const worker_ = memoryVerdict(rss, (s) => s.workerMb);
    const api_ = memoryVerdict(rss, (s) => s.apiMb);
    log(
      `done: ${reconciliation.checked} operations checked, ${reconciliation.mismatched} with a mismatch; ` +
        `worker ${fmt(worker_.baseline)} → ${fmt(worker_.end)} MB (max ${fmt(worker_.max)}), ` +
        `API ${fmt(api_.baseline)} → ${fmt(api_.end)} MB (max ${fmt(api_.max)}); ` +
        `longest history ${reconciliation.longestHistory.length}; written to bench/soak.md`,
    );
    for (const line of reconciliation.mismatches.slice(0, 50)) log(`MISMATCH ${line}`);
    return reconciliation.mismatched > 0 || !drained ? 1 : 0;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`The soak failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
