import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { migrateDatabase } from '../db/client';
import { inheritedEnv } from '../runtime/child-env';
import { freePort } from '../runtime/ports';
import { type RunningPostgres, startEmbeddedPostgres } from '../runtime/postgres';
import { bundleWorkflows } from '../worker/create-worker';
import { workerHeapFlag, workerProcessEnv } from '../worker/process-limits';
import { ensureTemporalBinaries } from './temporal-build';
import { startTemporalCluster, type TemporalCluster } from './temporal-cluster';

export interface ConveyorProcess {
  name: string;
  /** The API's URL; empty for a worker. */
  url: string;
  /** A worker's metrics: Conveyor's and the Temporal SDK's `/metrics` URLs. */
  metrics: string[];
  pid: number;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface ClusterTopology {
  temporal: TemporalCluster;
  postgres: RunningPostgres;
  databaseUrl: string;
  adminKey: string;
  taskQueue: string;
  apis: ConveyorProcess[];
  workers: ConveyorProcess[];
  /** Starts one more API or worker process against the cluster. */
  startApi(name: string): Promise<ConveyorProcess>;
  startWorker(name: string): Promise<ConveyorProcess>;
  stop(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '..');

/** The environment of a Conveyor process: only what the topology sets, none of the caller's. */
const processEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
  ...inheritedEnv(),
  ...extra,
});

/** Spawns `script` and resolves once it prints `ready` (or rejects when it exits first). */
function startProcess(
  name: string,
  script: string,
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  logDir: string,
  nodeFlags: string[] = [],
): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', join(ROOT, script)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  // The log directory goes with the topology, so the error carries the output's last lines.
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-2_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return new Promise((resolveStart, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`${name} exited (${code}) before it was ready; its last output:\n${tail}`));
    // 'close', not 'exit': by then the output is read to its end, so the tail is complete.
    child.once('close', onExit);
    child.stdout?.on('data', (chunk: Buffer) => {
      const line = chunk
        .toString()
        .split('\n')
        .find((candidate) => ready.test(candidate));
      if (line) {
        child.off('close', onExit);
        resolveStart({ child, line });
      }
    });
  });
}

function handle(
  name: string,
  child: ChildProcess,
  url = '',
  metrics: string[] = [],
): ConveyorProcess {
  return {
    name,
    url,
    metrics,
    pid: child.pid ?? 0,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill(signal);
      await exited;
    },
  };
}

/**
 * The production topology on one machine: a Postgres holding Temporal's schemas and Conveyor's
 * database, a Temporal cluster of four processes, and Conveyor's API and workers as processes
 * of their own (`start:api`, `start:worker`) that know the cluster only by TEMPORAL_ADDRESS and
 * DATABASE_URL.
 */
export async function startClusterTopology(options: {
  dir: string;
  apis: number;
  workers: number;
  shards?: number;
  log: (line: string) => void;
}): Promise<ClusterTopology> {
  const { log } = options;
  mkdirSync(options.dir, { recursive: true });
  // Postgres runs as its own user, which must reach into the directory.
  chmodSync(options.dir, 0o755);
  const binaries = await ensureTemporalBinaries(log);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => undefined);
  };
  try {
    log('Starting Postgres for Temporal and Conveyor …');
    const postgres = await startEmbeddedPostgres({
      dataDir: options.dir,
      port: await freePort(),
      log,
    });
    stops.push(() => postgres.stop());
    const temporal = await startTemporalCluster({
      binaries,
      postgres,
      dir: options.dir,
      shards: options.shards ?? 4,
      namespace: 'default',
      log,
    });
    stops.push(() => temporal.stop());

    await postgres.createDatabase('conveyor');
    const databaseUrl = postgres.urlFor('conveyor');
    await migrateDatabase(databaseUrl);
    log('Bundling workflows once for every worker …');
    const bundlePath = join(options.dir, 'workflow-bundle.js');
    writeFileSync(bundlePath, (await bundleWorkflows()).code);

    const adminKey = `cvk_cluster_${Date.now().toString(36)}_admin`;
    const taskQueue = 'conveyor';
    const common = {
      TEMPORAL_ADDRESS: temporal.address,
      DATABASE_URL: databaseUrl,
      CONVEYOR_ADMIN_KEY: adminKey,
      TASK_QUEUE: taskQueue,
      WORKFLOW_BUNDLE_PATH: bundlePath,
    };
    const apis: ConveyorProcess[] = [];
    const workers: ConveyorProcess[] = [];
    const startApi = async (name: string) => {
      const env = processEnv({ ...common, PORT: String(await freePort()), HOST: '127.0.0.1' });
      const { child, line } = await startProcess(
        name,
        'runtime/api-main.ts',
        env,
        /listening on/,
        options.dir,
      );
      const api = handle(name, child, /(http:\/\/\S+)/.exec(line)?.[1] ?? '');
      stops.push(() => api.kill());
      return api;
    };
    const startWorker = async (name: string) => {
      const [metricsPort, sdkMetricsPort] = [await freePort(), await freePort()];
      const { child } = await startProcess(
        name,
        'runtime/worker-main.ts',
        processEnv({
          ...common,
          ...workerProcessEnv(),
          METRICS_PORT: String(metricsPort),
          TEMPORAL_METRICS_PORT: String(sdkMetricsPort),
        }),
        /worker polling/,
        options.dir,
        // Bounded as `npm run start:worker` bounds a deployed worker (its environment too).
        [workerHeapFlag()],
      );
      const worker = handle(name, child, '', [
        `http://127.0.0.1:${metricsPort}/metrics`,
        `http://127.0.0.1:${sdkMetricsPort}/metrics`,
      ]);
      stops.push(() => worker.kill());
      return worker;
    };
    for (let i = 1; i <= options.workers; i++) workers.push(await startWorker(`worker-${i}`));
    for (let i = 1; i <= options.apis; i++) apis.push(await startApi(`api-${i}`));
    return {
      temporal,
      postgres,
      databaseUrl,
      adminKey,
      taskQueue,
      apis,
      workers,
      startApi,
      startWorker,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
