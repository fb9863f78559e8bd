import { type ServerType, serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import type { WorkflowBundleOption } from '@temporalio/worker';
import { hostAccessSettings } from '../activities/handler-context';
import { createApp } from '../api/app';
import type { ApiDeps } from '../api/env';
import { webhookContext } from '../api/use-cases';
import type { Config } from '../common/config';
import { portInUseError, StartError } from '../common/start-error';
import { tracingClientInterceptors } from '../common/tracing';
import {
  connectDatabase,
  type Database,
  engineStatementLimits,
  migrateDatabase,
  type StatementLimits,
} from '../db/client';
import { ensureDefaultTenant } from '../db/tenants';
import { EventHub } from '../events/hub';
import { loadHandlerRegistry } from '../handlers/load';
import type { HandlerRegistry } from '../handlers/registry';
import { WebhookDispatcher } from '../webhooks/dispatcher';
import { createWorker, type RunningWorker } from '../worker/create-worker';
import { resolveAdminKey } from './admin-key';
import { lockDataDir } from './data-dir-lock';
import { installMaintenanceSchedule } from './maintenance-schedule';
import { portHolder } from './ports';
import { startEmbeddedPostgres } from './postgres';
import { bootstrapServiceDatabase } from './postgres-roles';
import { ensurePrivateDir } from './private-files';
import { Deadline } from './processes';
import { registerSearchAttributes, startDevServer } from './temporal-server';

/** Things to stop, last started first. */
class Stack {
  private readonly stops: { name: string; stop: () => Promise<unknown> }[] = [];
  push(name: string, stop: () => Promise<unknown>) {
    this.stops.push({ name, stop });
  }
  /** Stops each part, newest first; a part that takes over `timeoutMs` is left behind, said so. */
  async unwind(log: (line: string) => void, timeoutMs = 15_000) {
    for (const { name, stop } of this.stops.reverse()) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      try {
        const outcome = await Promise.race([stop().then(() => 'stopped' as const), timeout]);
        if (outcome === 'timeout')
          log(`${name} did not stop within ${timeoutMs / 1000} s; moving on`);
      } catch (error) {
        log(`stopping ${name} failed: ${(error as Error).message}`);
      } finally {
        clearTimeout(timer);
      }
    }
    this.stops.length = 0;
  }
}

export interface Endpoints {
  temporalAddress: string;
  temporalUiUrl?: string;
  databaseUrl: string;
}

/**
 * Bound on everything a start waits for: a killed start's leftovers to exit, ports, readiness.
 * Long enough for a previous Postgres to shut down; short enough that a start that cannot
 * succeed says so while someone is still watching.
 */
const START_TIMEOUT_MS = 60_000;

/**
 * Starts what TEMPORAL_ADDRESS and DATABASE_URL do not point at: the dev server, embedded
 * Postgres. The service's URL of an embedded Postgres is its own role's (postgres-roles.ts);
 * DATABASE_URL is used as it is.
 */
export async function startInfrastructure(
  config: Config,
  stack: Stack,
  log: (line: string) => void,
  durable = true,
): Promise<Endpoints> {
  const embedPostgres = !config.DATABASE_URL;
  const embedTemporal = !config.TEMPORAL_ADDRESS;
  if (embedPostgres || embedTemporal) {
    // Before anything is written there: what the embedded servers keep is every tenant's data.
    ensurePrivateDir(config.DATA_DIR);
    // Owning DATA_DIR is what lets this start stop a Postgres or dev server still running on
    // its data: their Conveyor was killed. It is released last, after they stopped.
    const lock = lockDataDir(config.DATA_DIR);
    stack.push('DATA_DIR lock', async () => lock.release());
    if (lock.previousOwner) {
      log(`The previous Conveyor (pid ${lock.previousOwner}) did not stop cleanly; recovering …`);
    }
  }
  const deadline = new Deadline(START_TIMEOUT_MS);
  // At least some time each, so a slow first part does not leave the second none at all.
  const timeoutMs = () => Math.max(deadline.remaining(), 15_000);

  const postgres = async (): Promise<string> => {
    if (config.DATABASE_URL) return config.DATABASE_URL;
    log(`Starting embedded Postgres on 127.0.0.1:${config.POSTGRES_PORT} …`);
    const pg = await startEmbeddedPostgres({
      dataDir: config.DATA_DIR,
      port: config.POSTGRES_PORT,
      durable,
      stopOrphans: true,
      timeoutMs: timeoutMs(),
      log,
    });
    stack.push('embedded Postgres', () => pg.stop());
    return bootstrapServiceDatabase(pg, 'conveyor', log);
  };
  const temporal = async (): Promise<{ address: string; uiUrl?: string }> => {
    if (config.TEMPORAL_ADDRESS) {
      await registerSearchAttributes(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE);
      return { address: config.TEMPORAL_ADDRESS, uiUrl: config.TEMPORAL_UI_URL };
    }
    log(
      `Starting the Temporal dev server on 127.0.0.1:${config.TEMPORAL_PORT} (data in ${config.DATA_DIR}/temporal.sqlite) …`,
    );
    const server = await startDevServer({
      dataDir: config.DATA_DIR,
      port: config.TEMPORAL_PORT,
      uiPort: config.TEMPORAL_UI_PORT,
      namespace: config.TEMPORAL_NAMESPACE,
      cliPath: config.TEMPORAL_CLI_PATH,
      durable,
      stopOrphans: true,
      timeoutMs: timeoutMs(),
      log,
    });
    stack.push('Temporal dev server', () => server.stop());
    return { address: server.address, uiUrl: config.TEMPORAL_UI_URL ?? server.uiUrl };
  };
  // Side by side: neither needs the other, and a start is the wait a user sees.
  const [database, server] = await Promise.allSettled([postgres(), temporal()]);
  if (database.status === 'rejected') throw database.reason;
  if (server.status === 'rejected') throw server.reason;
  return {
    databaseUrl: database.value,
    temporalAddress: server.value.address,
    temporalUiUrl: server.value.uiUrl,
  };
}

export async function connectTemporal(address: string, namespace: string): Promise<Client> {
  const connection = await Connection.connect({ address });
  return new Client({ connection, namespace, interceptors: tracingClientInterceptors() });
}

/** The settings the service's database pools are built from. */
export type PoolSettings = Pick<
  Config,
  | 'DB_STATEMENT_TIMEOUT_MS'
  | 'DB_LOCK_TIMEOUT_MS'
  | 'DB_IDLE_IN_TRANSACTION_TIMEOUT_MS'
  | 'DB_POOL_WAIT_MS'
  | 'EXPORT_POOL_SIZE'
  | 'EXPORT_POOL_IDLE_SECONDS'
>;

export interface ApiDatabases {
  /** Requests' pool: a bounded wait for a connection, then 503. */
  database: Database;
  /** Result exports' pool, small and closed when idle. */
  exportDatabase: Database;
  close(): Promise<void>;
}

/** The API's pools; what a tenant's requests can hold is bounded in time and in number. */
export function connectApiDatabases(
  url: string,
  settings: PoolSettings,
  requestPoolSize = 20,
): ApiDatabases {
  const limits: StatementLimits = {
    ...engineStatementLimits(settings),
    lockTimeoutMs: settings.DB_LOCK_TIMEOUT_MS,
  };
  const database = connectDatabase(url, {
    max: requestPoolSize,
    limits,
    waitMs: settings.DB_POOL_WAIT_MS,
    name: 'request',
  });
  const exportDatabase = connectDatabase(url, {
    max: settings.EXPORT_POOL_SIZE,
    limits,
    waitMs: settings.DB_POOL_WAIT_MS,
    idleTimeoutSeconds: settings.EXPORT_POOL_IDLE_SECONDS,
    name: 'export',
  });
  return {
    database,
    exportDatabase,
    close: async () => {
      await Promise.all([database.close(), exportDatabase.close()]);
    },
  };
}

export async function startApi(
  deps: ApiDeps,
  host: string,
  port: number,
  handlers?: HandlerRegistry,
): Promise<{ server: ServerType; url: string }> {
  const log = (line: string) => console.error(line);
  const hub = new EventHub(deps.database, log, {
    bounds: {
      maxQueuedEvents: deps.config.SSE_MAX_QUEUED_EVENTS ?? 10_000,
      maxQueuedBytes: deps.config.SSE_MAX_QUEUED_BYTES ?? 8 * 1024 * 1024,
    },
    keyCheckMs: (deps.config.SSE_KEY_CHECK_SECONDS ?? 2) * 1000,
  });
  const app = createApp(deps, { handlers, hub, log });
  const dispatcher = new WebhookDispatcher(webhookContext(deps), log);
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        fetch: app.fetch,
        hostname: host,
        port,
        // Node's 16 KiB default answers a long query string (a documented 2,048-character key
        // prefix, percent-encoded) with a bare 431 before the API can name the field.
        serverOptions: { maxHeaderSize: MAX_REQUEST_HEAD_BYTES },
      },
      (info) => {
        // Webhooks are handed out by every API process; their cursors keep them from clashing.
        dispatcher.start(hub);
        server.once('close', () => dispatcher.stop());
        resolve({ server, url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${info.port}` });
      },
    );
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE')
        reject(portInUseError('the API', port, 'PORT', portHolder(port)));
      else if (error.code === 'EACCES') {
        reject(
          new StartError(
            `Cannot start the API: no permission to listen on ${host}:${port}; choose another PORT.`,
          ),
        );
      } else reject(error);
    });
  });
}

/** The request line and headers together; queries the document allows fit well within it. */
const MAX_REQUEST_HEAD_BYTES = 256 * 1024;

/** How long open requests (event streams above all) get to end before they are cut. */
const CLOSE_GRACE_MS = 1_000;

export function closeServer(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Event streams never end on their own; their clients reconnect elsewhere with Last-Event-ID.
    const cut = setTimeout(() => {
      if ('closeAllConnections' in server) server.closeAllConnections();
    }, CLOSE_GRACE_MS);
    cut.unref();
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

/** Everything `npm start` runs: infrastructure where needed, migrations, one worker and the API. */
export async function startConveyor(
  config: Config,
  options: {
    log?: (line: string) => void;
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
    log('Applying database migrations …');
    await migrateDatabase(endpoints.databaseUrl);
    // The worker's pool apart from the API's, so requests never wait behind batches (nor
    // batches behind requests), and only requests get the bounded wait that answers 503.
    const database = connectDatabase(endpoints.databaseUrl, {
      max: 20,
      limits: engineStatementLimits(config),
    });
    stack.push('database pool', () => database.close());
    const apiDatabases = connectApiDatabases(endpoints.databaseUrl, config);
    stack.push('API database pools', () => apiDatabases.close());
    const admin = resolveAdminKey(config.DATA_DIR, config.CONVEYOR_ADMIN_KEY);
    await ensureDefaultTenant(database.db, admin.key);

    const handlers = await loadHandlerRegistry(config.HANDLER_MODULES);
    const temporal = await connectTemporal(endpoints.temporalAddress, config.TEMPORAL_NAMESPACE);
    stack.push('Temporal client', () => temporal.connection.close());

    let workerDone: Promise<void> = new Promise(() => {});
    if (options.startWorker ?? true) {
      log(`Starting a worker on task queue "${config.TASK_QUEUE}" …`);
      const worker: RunningWorker = await createWorker({
        address: endpoints.temporalAddress,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TASK_QUEUE,
        database,
        handlers,
        hostAccess: hostAccessSettings(config),
        workflowBundle: options.workflowBundle,
        webhooks: config,
        retention: config,
      });
      workerDone = worker.worker.run();
      stack.push('worker', async () => {
        if (worker.worker.getState() === 'RUNNING') worker.worker.shutdown();
        await workerDone.catch(() => {});
        await worker.stopped();
        await worker.connection.close();
      });
    }

    await installMaintenanceSchedule(temporal, config, undefined, log);
    const api = await startApi(
      {
        config: { ...config, temporalUiUrl: endpoints.temporalUiUrl },
        database: apiDatabases.database,
        exportDatabase: apiDatabases.exportDatabase,
        temporal,
      },
      config.HOST,
      config.PORT,
      handlers,
    );
    stack.push('API server', () => closeServer(api.server));
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
