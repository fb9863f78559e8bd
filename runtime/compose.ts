import type { Server } from 'node:http';
import type { WorkflowBundleOption } from '@temporalio/worker';
import { hostAccessSettings } from '../activities/handler-context';
import { type Config, ConfigError } from '../common/config';
import {
  connectDatabase,
  type Database,
  engineStatementLimits,
  migrateDatabase,
} from '../db/client';
import { ensureDefaultTenant } from '../db/tenants';
import { loadHandlerRegistry } from '../handlers/load';
import type { HandlerRegistry } from '../handlers/registry';
import { createWorker, type RunningWorker } from '../worker/create-worker';
import { serveWorkerMetrics } from '../worker/metrics-server';
import { resolveAdminKey } from './admin-key';
import { closeServer, connectApiDatabases, lazyTemporalClient, startApi } from './api-server';
import { type Endpoints, startInfrastructure } from './infrastructure';
import { installMaintenanceSchedule } from './maintenance-schedule';
import { Stack } from './stack';
import {
  type Dependency,
  postgresDependency,
  temporalDependency,
  type WaitOptions,
  waitOut,
} from './waiting';

/**
 * The composition root: the one place Conveyor's processes are built from configuration. The
 * API process (`npm run start:api`, `conveyor api`, the cluster's APIs), the worker process
 * (`npm run start:worker`, `conveyor worker`, the cluster's workers) and `npm start` /
 * `conveyor start`, which runs both over embedded servers, all come from here.
 *
 * A process starts in the background: it takes what can never succeed later (its port, its
 * handler modules) at once and fails in one line if it cannot, then waits out Postgres and
 * Temporal (./waiting.ts), not ready meanwhile, and is `ready` once it serves.
 */

type Log = (line: string) => void;

export interface ProcessOptions {
  databaseUrl: string;
  temporalAddress: string;
  log: Log;
  /** The handlers to run or validate against; HANDLER_MODULES' by default. */
  handlers?: HandlerRegistry;
  /** False when the caller has applied the migrations already (npm start does, once for both). */
  migrate?: boolean;
}

export interface StartedProcess {
  /** Resolves once the process serves; rejects on a failure waiting cannot cure. */
  ready: Promise<void>;
  /** Stops it at any point of its start or after; what it started is stopped, newest first. */
  stop(): Promise<void>;
}

/** A start in steps, each waiting out one dependency; what it waits for, for readiness. */
class Starting {
  private waiting: string | undefined;
  private readonly abort = new AbortController();
  constructor(
    private readonly log: Log,
    first: Dependency,
  ) {
    this.waiting = first.name;
  }
  readonly waitingFor = () => this.waiting;
  /** Readiness names `dependency` from now on; how to wait for it. */
  waitingOn(dependency: Dependency): WaitOptions {
    this.waiting = dependency.name;
    return { log: this.log, signal: this.abort.signal };
  }
  step<T>(dependency: Dependency, attempt: () => Promise<T>): Promise<T> {
    return waitOut(dependency, attempt, this.waitingOn(dependency));
  }
  done() {
    this.waiting = undefined;
  }
  cancel() {
    this.abort.abort();
  }
}

/** A start running in the background, handled now so its failure is the caller's to read. */
function inBackground<T>(work: Promise<T>): Promise<T> {
  work.catch(() => {});
  return work;
}

/** The API and the worker alone need both addresses: nothing starts embedded servers for them. */
export function externalEndpoints(
  config: Config,
  what: string,
): { databaseUrl: string; temporalAddress: string } {
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) {
    throw new ConfigError(
      `${what} needs DATABASE_URL and TEMPORAL_ADDRESS; set both, or run \`npm start\` for the embedded service.`,
    );
  }
  return { databaseUrl: config.DATABASE_URL, temporalAddress: config.TEMPORAL_ADDRESS };
}

export interface ApiProcess extends StartedProcess {
  url: string;
}

/**
 * The HTTP API: it listens at once (/health, /ready and /v1 answer 503 naming what it waits for),
 * migrates Postgres and ensures the admin's tenant, installs the maintenance schedule on
 * Temporal, then serves and hands out webhooks.
 */
export async function startApiProcess(
  config: Config,
  options: ProcessOptions & { temporalUiUrl?: string; adminKey?: string },
): Promise<ApiProcess> {
  const { databaseUrl, temporalAddress, log } = options;
  const stack = new Stack();
  try {
    const handlers = options.handlers ?? (await loadHandlerRegistry(config.HANDLER_MODULES));
    const pools = connectApiDatabases(databaseUrl, config);
    stack.push('API database pools', () => pools.close());
    const temporal = lazyTemporalClient(temporalAddress, config.TEMPORAL_NAMESPACE);
    stack.push('Temporal client', () => temporal.connection.close());

    const postgres = postgresDependency(databaseUrl);
    const starting = new Starting(log, postgres);
    let listening: () => void = () => {};
    const started = inBackground(
      new Promise<void>((resolve) => {
        listening = resolve;
      }).then(async () => {
        await starting.step(postgres, async () => {
          if (options.migrate ?? true) await migrateDatabase(databaseUrl);
          if (options.adminKey) await ensureDefaultTenant(pools.database.db, options.adminKey);
        });
        const schedule = starting.waitingOn(temporalDependency(temporalAddress));
        await installMaintenanceSchedule(temporal, config, undefined, schedule);
        starting.done();
      }),
    );
    const api = await startApi(
      {
        config: { ...config, temporalUiUrl: options.temporalUiUrl },
        database: pools.database,
        exportDatabase: pools.exportDatabase,
        temporal,
      },
      config.HOST,
      config.PORT,
      handlers,
      { waitingFor: starting.waitingFor, started },
    );
    stack.push('API server', () => closeServer(api.server));
    stack.push('API start', async () => {
      starting.cancel();
      await started.catch(() => {});
    });
    listening();
    return { url: api.url, ready: started, stop: () => stack.unwind(log) };
  } catch (error) {
    await stack.unwind(log);
    throw error;
  }
}

export interface WorkerProcess extends StartedProcess {
  /** Resolves when the worker has stopped polling after stop(); rejects on a fatal error. */
  done: Promise<void>;
}

/**
 * One worker on TASK_QUEUE: it migrates Postgres, connects to Temporal and polls; with a
 * `metricsPort`, it serves /metrics and /ready (503 while it waits) there from the start.
 */
export async function startWorkerProcess(
  config: Config,
  options: ProcessOptions & {
    /** The engine's pool when the caller shares it (npm start); one of its own otherwise. */
    database?: Database;
    workflowBundle?: WorkflowBundleOption;
    metricsPort?: number;
  },
): Promise<WorkerProcess> {
  const { databaseUrl, temporalAddress, log } = options;
  const stack = new Stack();
  try {
    const handlers = options.handlers ?? (await loadHandlerRegistry(config.HANDLER_MODULES));
    let database = options.database;
    if (!database) {
      const own = connectDatabase(databaseUrl, { max: 20, limits: engineStatementLimits(config) });
      stack.push('worker database pool', () => own.close());
      database = own;
    }
    const postgres = postgresDependency(databaseUrl);
    const starting = new Starting(log, postgres);
    if (options.metricsPort) {
      const metrics = await serveWorkerMetrics(
        options.metricsPort,
        config.HOST,
        starting.waitingFor,
      );
      stack.push('worker metrics server', () => closeHttp(metrics));
    }

    let running: RunningWorker | undefined;
    const engine = database;
    const ready = inBackground(
      (async () => {
        if (options.migrate ?? true) {
          await starting.step(postgres, () => migrateDatabase(databaseUrl));
        }
        running = await starting.step(temporalDependency(temporalAddress), () =>
          createWorker({
            address: temporalAddress,
            namespace: config.TEMPORAL_NAMESPACE,
            taskQueue: config.TASK_QUEUE,
            database: engine,
            handlers,
            hostAccess: hostAccessSettings(config),
            workflowBundle: options.workflowBundle,
            webhooks: config,
            retention: config,
            ledger: config.LEDGER_VERSION,
          }),
        );
        starting.done();
      })(),
    );
    const done = inBackground(
      ready.then(async () => {
        await running?.worker.run();
      }),
    );
    stack.push('worker', async () => {
      starting.cancel();
      await ready.catch(() => {});
      if (!running) return;
      if (running.worker.getState() === 'RUNNING') running.worker.shutdown();
      await done.catch(() => {});
      await running.stopped();
      await running.connection.close();
    });
    return { ready, done, stop: () => stack.unwind(log) };
  } catch (error) {
    await stack.unwind(log);
    throw error;
  }
}

function closeHttp(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // A scraper's kept-alive connection would hold the close open.
    server.closeAllConnections();
  });
}

export interface RunningConveyor {
  apiUrl: string;
  temporalUiUrl?: string;
  adminKey: string;
  adminKeySource: string;
  endpoints: Endpoints;
  database: Database;
  /** Resolves when the worker stops (it stops on shutdown or on a fatal error). */
  workerDone: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Everything `npm start` runs: infrastructure where needed, migrations, one worker and the API
 * in this process; resolves once both serve.
 */
export async function startConveyor(
  config: Config,
  options: {
    log?: Log;
    workflowBundle?: WorkflowBundleOption;
    /** False when workers run elsewhere (the benchmark runs its worker as its own process). */
    startWorker?: boolean;
    /**
     * False only for the benchmark's measure of what durability costs: embedded Postgres and
     * SQLite then skip their syncs. `npm start` never sets it.
     */
    durable?: boolean;
  } = {},
): Promise<RunningConveyor> {
  const log = options.log ?? ((line: string) => console.log(line));
  const stack = new Stack();
  try {
    const endpoints = await startInfrastructure(config, stack, log, options.durable ?? true);
    const { databaseUrl, temporalAddress } = endpoints;
    log('Applying database migrations …');
    await waitOut(postgresDependency(databaseUrl), () => migrateDatabase(databaseUrl), { log });
    // The worker's pool apart from the API's, so requests never wait behind batches (nor
    // batches behind requests), and only requests get the bounded wait that answers 503.
    const database = connectDatabase(databaseUrl, {
      max: 20,
      limits: engineStatementLimits(config),
    });
    stack.push('database pool', () => database.close());
    const admin = resolveAdminKey(config.DATA_DIR, config.CONVEYOR_ADMIN_KEY);
    const handlers = await loadHandlerRegistry(config.HANDLER_MODULES);
    const common = { databaseUrl, temporalAddress, log, handlers, migrate: false };

    let workerDone: Promise<void> = new Promise(() => {});
    if (options.startWorker ?? true) {
      log(`Starting a worker on task queue "${config.TASK_QUEUE}" …`);
      const worker = await startWorkerProcess(config, {
        ...common,
        database,
        workflowBundle: options.workflowBundle,
      });
      stack.push('worker', () => worker.stop());
      await worker.ready;
      workerDone = worker.done;
    }
    // Last, so that its /health answering 200 means the whole service runs.
    const api = await startApiProcess(config, {
      ...common,
      temporalUiUrl: endpoints.temporalUiUrl,
      adminKey: admin.key,
    });
    stack.push('API', () => api.stop());
    await api.ready;
    return {
      apiUrl: api.url,
      temporalUiUrl: endpoints.temporalUiUrl,
      adminKey: admin.key,
      adminKeySource: admin.source,
      endpoints,
      database,
      workerDone,
      stop: () => stack.unwind(log),
    };
  } catch (error) {
    await stack.unwind(log);
    throw error;
  }
}
