import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import postgres from 'postgres';
import { expect, inject } from 'vitest';
import { hostAccessSettings } from '../activities/handler-context';
import { loadConfig } from '../common/config';
import type { WebhookSettings } from '../common/webhooks';
import {
  connectDatabase,
  type Database,
  engineStatementLimits,
  migrateDatabase,
} from '../db/client';
import { createApiKey, ensureDefaultTenant, type Role, updateTenantSettings } from '../db/tenants';
import type { HandlerRegistry } from '../handlers/registry';
import {
  closeServer,
  connectApiDatabases,
  connectTemporal,
  type PoolSettings,
  startApi,
} from '../runtime/api-server';
import { createWorker, installQuietRuntime, type RunningWorker } from '../worker/create-worker';

export interface ApiResponse<T = any> {
  status: number;
  contentType: string;
  body: T;
}

export interface Harness {
  url: string;
  adminKey: string;
  /** Where a worker process of its own would connect: the harness's database and Temporal. */
  databaseUrl: string;
  temporalAddress: string;
  database: Database;
  temporal: Client;
  taskQueue: string;
  /** Calls the real HTTP API with the admin key unless another is given. */
  api<T = any>(method: string, path: string, body?: unknown, key?: string): Promise<ApiResponse<T>>;
  keyWithRole(role: Role): Promise<string>;
  /** Another worker on the harness's task queue, stopped with it; its own handlers if given. */
  addWorker(options?: { identity?: string; handlers?: HandlerRegistry }): Promise<void>;
  stop(): Promise<void>;
}

function databaseUrl(template: string, name: string): string {
  const url = new URL(template);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * The ledger a whole run of the suite records its operations in: `TEST_LEDGER_VERSION=2 npm test`
 * runs every engine test on version 2 (docs/ledger.md), the deployment's default otherwise.
 */
function ledgerUnderTest(): 1 | 2 | undefined {
  const version = process.env.TEST_LEDGER_VERSION;
  if (version === undefined || version === '') return undefined;
  if (version !== '1' && version !== '2') throw new Error('TEST_LEDGER_VERSION must be 1 or 2');
  return Number(version) as 1 | 2;
}

export interface HarnessOptions {
  handlers?: HandlerRegistry;
  batchSize?: number;
  chunkSize?: number;
  historyEventsLimit?: number;
  /** The ledger new operations are recorded in (LEDGER_VERSION); the deployment's default else. */
  ledgerVersion?: 1 | 2;
  sseMaxConnections?: number;
  sseKeepAliveSeconds?: number;
  webhooks?: Partial<WebhookSettings>;
  /** Bundles the workflows for this worker (with the interceptors it is configured with). */
  ownWorkflowBundle?: boolean;
  /** Batch activities the worker runs at once (20 by default). */
  maxConcurrentActivities?: number;
  /** False: no worker polls the task queue (what `conveyor doctor` must notice). */
  worker?: boolean;
  /**
   * What the workers' handlers may touch on the host, as a deployment's environment says it;
   * unset: no files and no private addresses, the default.
   */
  hostAccess?: Partial<
    Record<
      'FILE_ROOTS' | 'FILE_MAX_BYTES' | 'OUTBOUND_ALLOW_PRIVATE' | 'OUTBOUND_ALLOWED_HOSTS',
      string
    >
  >;
  /** The API's request pool (10 by default) and how its connections are limited. */
  requestPoolSize?: number;
  database?: Partial<PoolSettings>;
  sseMaxQueuedEvents?: number;
  sseMaxQueuedBytes?: number;
  sseKeyCheckSeconds?: number;
}

/** The service's defaults, from the configuration schema itself. */
const DEFAULT_POOL_SETTINGS: PoolSettings = loadConfig({});

/**
 * A test file's own Conveyor: a fresh database on the shared Postgres, a worker on a task queue
 * of its own (with the shared workflow bundle) and the API on a real HTTP port.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const suffix = randomBytes(6).toString('hex');
  const name = `conveyor_test_${suffix}`;
  const admin = postgres(inject('postgresUrlTemplate'), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = databaseUrl(inject('postgresUrlTemplate'), name);
  await migrateDatabase(url);
  const poolSettings = { ...DEFAULT_POOL_SETTINGS, ...options.database };
  // The worker's pool, which tests read and write through; the API has pools of its own.
  const database = connectDatabase(url, { max: 10, limits: engineStatementLimits(poolSettings) });
  const apiDatabases = connectApiDatabases(url, poolSettings, options.requestPoolSize ?? 10);
  const adminKey = `cvk_test_${suffix}_admin`;
  const tenantId = await ensureDefaultTenant(database.db, adminKey);
  // The suites' own tenant may schedule runs a second apart, follow one operation from 200
  // streams and start the most urgent operations, which the default quotas refuse.
  await updateTenantSettings(database.db, tenantId, {
    quotas: { scheduleIntervalSeconds: 1, openStreams: 1_000, highestPriority: 1 },
  });

  const hostAccess = hostAccessSettings(loadConfig(options.hostAccess ?? {}));
  const address = inject('temporalAddress');
  const taskQueue = `test-${suffix}`;
  const temporal = await connectTemporal(address, 'default');
  installQuietRuntime({ level: 'ERROR' });
  const own =
    options.worker === false
      ? undefined
      : await createWorker({
          address,
          namespace: 'default',
          taskQueue,
          database,
          handlers: options.handlers,
          hostAccess,
          maxConcurrentActivities: options.maxConcurrentActivities,
          webhooks: options.webhooks,
          workflowBundle: options.ownWorkflowBundle
            ? undefined
            : { codePath: inject('workflowBundlePath') },
        });
  const running = own?.worker.run();
  const added: (RunningWorker & { running: Promise<void> })[] = [];
  const api = await startApi(
    {
      config: {
        TASK_QUEUE: taskQueue,
        TEMPORAL_NAMESPACE: 'default',
        BATCH_SIZE: options.batchSize ?? 100,
        CHUNK_SIZE: options.chunkSize ?? 2000,
        HISTORY_EVENTS_LIMIT: options.historyEventsLimit ?? 8_000,
        LEDGER_VERSION: options.ledgerVersion ?? ledgerUnderTest(),
        SSE_MAX_CONNECTIONS: options.sseMaxConnections,
        SSE_KEEPALIVE_SECONDS: options.sseKeepAliveSeconds,
        SSE_MAX_QUEUED_EVENTS: options.sseMaxQueuedEvents,
        SSE_MAX_QUEUED_BYTES: options.sseMaxQueuedBytes,
        SSE_KEY_CHECK_SECONDS: options.sseKeyCheckSeconds,
        ...options.webhooks,
        // A suite without a Web UI still gets links of the shape the service gives.
        temporalUiUrl: inject('temporalUiUrl') || 'http://127.0.0.1:8233',
      },
      database: apiDatabases.database,
      exportDatabase: apiDatabases.exportDatabase,
      temporal,
    },
    '127.0.0.1',
    0,
    options.handlers,
  );

  return {
    url: api.url,
    databaseUrl: url,
    temporalAddress: address,
    adminKey,
    database,
    temporal,
    taskQueue,
    async api(method, path, body, key = adminKey) {
      const response = await fetch(`${api.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body:
          body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      const contentType = response.headers.get('content-type') ?? '';
      // Only JSON is parsed: NDJSON (a document a line) and plain text stay text.
      const json = text && /^application\/(problem\+)?json/.test(contentType);
      return {
        status: response.status,
        contentType,
        body: json ? JSON.parse(text) : text || undefined,
      };
    },
    keyWithRole: (role) => createApiKey(database.db, tenantId, role, `test-${role}`),
    async addWorker({ identity, handlers = options.handlers } = {}) {
      const another = await createWorker({
        address,
        namespace: 'default',
        taskQueue,
        database,
        handlers,
        hostAccess,
        workflowBundle: { codePath: inject('workflowBundlePath') },
        identity,
        webhooks: options.webhooks,
      });
      added.push({ ...another, running: another.worker.run() });
    },
    async stop() {
      await closeServer(api.server);
      for (const another of added) {
        stopWorker(another.worker);
        await another.running;
        await another.connection.close();
      }
      if (own) {
        stopWorker(own.worker);
        await running;
        await own.connection.close();
      }
      await temporal.connection.close();
      await apiDatabases.close();
      await database.close();
    },
  };
}

function stopWorker(worker: Worker) {
  if (worker.getState() === 'RUNNING') worker.shutdown();
}

/** Polls `read` until `done` holds or the time runs out; returns the last value read. */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 60_000, intervalMs = 200, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(value)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    value = await read();
  }
  return value;
}

/** Creates a collection with `count` items keyed k0…k{count-1}. */
export async function seedCollection(
  harness: Harness,
  count: number,
  name = `c-${randomBytes(4).toString('hex')}`,
) {
  const created = await harness.api('POST', '/v1/collections', { name });
  if (created.status !== 201)
    throw new Error(`collection create failed: ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  for (let start = 0; start < count; start += 5_000) {
    const items = Array.from({ length: Math.min(5_000, count - start) }, (_, i) => ({
      key: `k${start + i}`,
      data: { n: start + i },
    }));
    const upserted = await harness.api('POST', `/v1/collections/${id}/items`, { items });
    if (upserted.status !== 200) throw new Error(`upsert failed: ${JSON.stringify(upserted.body)}`);
  }
  return id;
}

export async function createJob(harness: Harness, definition: unknown) {
  const created = await harness.api('POST', '/v1/jobs', definition);
  if (created.status !== 201) throw new Error(`job create failed: ${JSON.stringify(created.body)}`);
  return created.body;
}

export async function startOperation(harness: Harness, body: unknown) {
  const started = await harness.api('POST', '/v1/operations', body);
  if (started.status !== 202)
    throw new Error(`operation start failed: ${started.status} ${JSON.stringify(started.body)}`);
  return started.body.id as string;
}

/** Polls GET /v1/operations/{id} until `done` holds for it; returns that operation. */
export function waitForOperation(
  harness: Harness,
  id: string,
  done: (operation: any) => boolean,
  what: string,
  timeoutMs = 120_000,
) {
  return waitFor(async () => (await harness.api('GET', `/v1/operations/${id}`)).body, done, {
    timeoutMs,
    what: `operation ${id}: ${what}`,
  });
}

export function waitForStatus(
  harness: Harness,
  id: string,
  statuses: string[],
  timeoutMs = 120_000,
) {
  return waitForOperation(
    harness,
    id,
    (operation) => statuses.includes(operation.status),
    `to be ${statuses.join(' or ')}`,
    timeoutMs,
  );
}

/**
 * An answer is the problem a client can rely on: the status, problem+json, a stable `type`
 * (this one, when given) and no stack trace.
 */
export function expectProblem(
  response: { status: number; contentType: string; body: any },
  status: number,
  type?: string,
) {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.contentType).toContain('application/problem+json');
  expect(response.body.status).toBe(status);
  expect(response.body.type).toMatch(
    type ? `https://conveyor.dev/problems/${type}` : /^https:\/\/conveyor\.dev\/problems\//,
  );
  expect(JSON.stringify(response.body)).not.toMatch(/at .*\.ts:\d+/);
}

/** The field names a problem's `invalid_params` lists, in its order. */
export const fieldNames = (response: { body: any }) =>
  (response.body.invalid_params as { name: string }[]).map((param) => param.name);
