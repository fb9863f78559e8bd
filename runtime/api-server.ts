import { type ServerType, serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../api/app';
import type { ApiDeps } from '../api/env';
import type { Startup } from '../api/service/readiness';
import { webhookContext } from '../api/use-cases';
import type { Config } from '../common/config';
import { portInUseError, StartError } from '../common/start-error';
import { tracingClientInterceptors } from '../common/tracing';
import {
  connectDatabase,
  type Database,
  engineStatementLimits,
  type StatementLimits,
} from '../db/client';
import { EventHub } from '../events/hub';
import type { HandlerRegistry } from '../handlers/registry';
import { WebhookDispatcher } from '../webhooks/dispatcher';
import { portHolder } from './ports';

/** The parts an API process is made of: its pools, its Temporal client, its HTTP server. */

/** Connects now, so a caller learns at once that Temporal is not there (tests, benchmarks). */
export async function connectTemporal(address: string, namespace: string): Promise<Client> {
  const connection = await Connection.connect({ address });
  return new Client({ connection, namespace, interceptors: tracingClientInterceptors() });
}

/**
 * gRPC's default waits up to two minutes between reconnects once a server has been away; a
 * process that started before Temporal, or outlived its restart, should see it back within
 * seconds.
 */
const RECONNECT_BACKOFF_MS = 2_000;

/** Connects on first use and whenever Temporal is back: a process can start before Temporal. */
export function lazyTemporalClient(address: string, namespace: string): Client {
  const connection = Connection.lazy({
    address,
    channelArgs: { 'grpc.max_reconnect_backoff_ms': RECONNECT_BACKOFF_MS },
  });
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

/**
 * A process still waiting for its dependencies: /ready and /v1 answer 503 until `started`
 * resolves, and webhooks are handed out only from then.
 */
export type PendingStart = Startup & { started: Promise<void> };

/**
 * Listens on `host:port` and serves the API (at once without `startup`); a port it cannot take
 * fails at once, in one line.
 */
export async function startApi(
  deps: ApiDeps,
  host: string,
  port: number,
  handlers?: HandlerRegistry,
  startup?: PendingStart,
): Promise<{ server: ServerType; url: string }> {
  const log = (line: string) => console.error(line);
  const hub = new EventHub(deps.database, log, {
    bounds: {
      maxQueuedEvents: deps.config.SSE_MAX_QUEUED_EVENTS ?? 10_000,
      maxQueuedBytes: deps.config.SSE_MAX_QUEUED_BYTES ?? 8 * 1024 * 1024,
    },
    keyCheckMs: (deps.config.SSE_KEY_CHECK_SECONDS ?? 2) * 1000,
  });
  const app = createApp(deps, { handlers, hub, log, startup });
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
        let closed = false;
        server.once('close', () => {
          closed = true;
          dispatcher.stop();
        });
        // Webhooks are handed out by every API process; their cursors keep them from clashing.
        void (startup?.started ?? Promise.resolve()).then(
          () => closed || dispatcher.start(hub),
          () => {},
        );
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
