import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { DEFAULT_LEDGER_VERSION } from './domain';
import { parseAllowedHost } from './public-address';
import { WEBHOOK_DEFAULTS, WEBHOOK_MAX_IN_FLIGHT_DEFAULT } from './webhooks';

/**
 * The one place that reads the environment. Every process parses it once at start and passes
 * the result down; a bad value stops the process with a message naming the variable.
 */
const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const commaList = optionalString.transform((value) =>
  value
    ? value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)
    : [],
);

const flag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((value) => value === 'true');

const configSchema = z.object({
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_UI_URL: optionalString,
  TEMPORAL_CLI_PATH: optionalString,
  TEMPORAL_PORT: positiveInt(7233),
  TEMPORAL_UI_PORT: positiveInt(8233),
  TASK_QUEUE: z.string().min(1).default('conveyor'),
  DATABASE_URL: optionalString,
  POSTGRES_PORT: positiveInt(5432),
  PORT: positiveInt(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('.data'),
  CONVEYOR_ADMIN_KEY: optionalString.pipe(
    z.string().min(16, 'must be at least 16 characters').optional(),
  ),
  /** A workflow bundle built ahead (bundleWorkflowCode); spares each worker the webpack step. */
  WORKFLOW_BUNDLE_PATH: optionalString,
  BATCH_SIZE: positiveInt(100),
  HISTORY_EVENTS_LIMIT: positiveInt(8_000).pipe(z.number().max(40_000, 'must be at most 40000')),
  /**
   * The ledger format new operations are recorded in (docs/ledger.md): 1, seeded item stages,
   * or 2, frozen scope and one outcome row per item-stage. Jobs that begin with discovery use 1.
   */
  LEDGER_VERSION: z.coerce
    .number()
    .pipe(z.union([z.literal(1), z.literal(2)], { error: 'must be 1 or 2' }))
    .default(DEFAULT_LEDGER_VERSION),
  CHUNK_SIZE: positiveInt(2000).pipe(z.number().max(2000, 'must be at most 2000')),
  /** Comma-separated module paths whose exported `handlers` join the built-in ones. */
  HANDLER_MODULES: optionalString.transform((value) =>
    value
      ? value
          .split(',')
          .map((path) => path.trim())
          .filter(Boolean)
      : [],
  ),
  /**
   * Directories handlers may read files under (comma-separated absolute paths); unset: none, and
   * every file a handler asks for is refused. Tenants name paths, so this is the deployment's say.
   */
  FILE_ROOTS: commaList.pipe(
    z.array(z.string().refine(isAbsolute, 'each directory must be an absolute path')),
  ),
  /** The largest file a handler may read (bytes); a larger one fails its item for good. */
  FILE_MAX_BYTES: positiveInt(32 * 1024 * 1024),
  /**
   * Handlers may connect to private, loopback and link-local addresses (cloud metadata among
   * them); off, they are refused unless the host is in OUTBOUND_ALLOWED_HOSTS.
   */
  OUTBOUND_ALLOW_PRIVATE: flag,
  /** host, host:port or host:first-last entries (comma-separated) handlers may reach though private. */
  OUTBOUND_ALLOWED_HOSTS: commaList.transform((entries, context) =>
    entries.flatMap((entry) => {
      const parsed = parseAllowedHost(entry);
      if (parsed) return [parsed];
      context.addIssue({
        code: 'custom',
        message: `"${entry}" is not host, host:port or host:first-last`,
      });
      return [];
    }),
  ),
  /** Server-Sent Event streams one API process serves at once; past it a stream gets a 503. */
  SSE_MAX_CONNECTIONS: positiveInt(1000),
  /** Seconds between the comment lines that keep an idle event stream open. */
  SSE_KEEPALIVE_SECONDS: positiveInt(15),
  /** Events one stream may fall behind by; past it the client is cut and resumes (Last-Event-ID). */
  SSE_MAX_QUEUED_EVENTS: positiveInt(10_000),
  /** ... and their bytes, so a few huge events cannot pile up in memory either. */
  SSE_MAX_QUEUED_BYTES: positiveInt(8 * 1024 * 1024),
  /** Seconds between checks that open streams' keys are still valid; a revoked one is cut. */
  SSE_KEY_CHECK_SECONDS: positiveInt(2),
  /**
   * Postgres stops a statement of the service's running past this (a slow request gives its
   * connection back); migrations are not limited.
   */
  DB_STATEMENT_TIMEOUT_MS: positiveInt(30_000),
  /** An API statement waiting for a lock past this is stopped (503) rather than queued. */
  DB_LOCK_TIMEOUT_MS: positiveInt(5_000),
  /** A transaction left idle past this loses its session, so it cannot pin a connection. */
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: positiveInt(60_000),
  /** How long an API request waits for a pool connection before it is answered 503. */
  DB_POOL_WAIT_MS: positiveInt(5_000),
  /** Connections result exports have, apart from the requests' pool: exports at once. */
  EXPORT_POOL_SIZE: positiveInt(2),
  /** Seconds an export connection stays open unused. */
  EXPORT_POOL_IDLE_SECONDS: positiveInt(30),
  /** Webhooks may target private and loopback addresses (off: they are refused, against SSRF). */
  WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  /** First wait before a failed delivery is tried again; it doubles up to the maximum. */
  WEBHOOK_RETRY_INITIAL_SECONDS: positiveInt(WEBHOOK_DEFAULTS.WEBHOOK_RETRY_INITIAL_SECONDS),
  WEBHOOK_RETRY_MAX_SECONDS: positiveInt(WEBHOOK_DEFAULTS.WEBHOOK_RETRY_MAX_SECONDS),
  /** How long a delivery is retried before it is recorded failed. */
  WEBHOOK_GIVE_UP_SECONDS: positiveInt(WEBHOOK_DEFAULTS.WEBHOOK_GIVE_UP_SECONDS),
  /** How long an endpoint may fail every delivery before it is disabled. */
  WEBHOOK_DISABLE_AFTER_SECONDS: positiveInt(WEBHOOK_DEFAULTS.WEBHOOK_DISABLE_AFTER_SECONDS),
  /**
   * Deliveries one tenant may have in flight at once: a tenant with a slow endpoint and a flood
   * of events waits for its own slots instead of taking every worker's. The rest stay pending.
   */
  WEBHOOK_MAX_IN_FLIGHT_PER_TENANT: positiveInt(WEBHOOK_MAX_IN_FLIGHT_DEFAULT),
  /** Seconds between global maintenance runs (reconciliation, repairs, retention). */
  MAINTENANCE_EVERY_SECONDS: positiveInt(60),
  /** Days events are kept. */
  EVENT_RETENTION_DAYS: positiveInt(30),
  /** Days finished test-mode operations and their rows are kept. */
  TEST_RETENTION_DAYS: positiveInt(7),
  /** A worker started alone serves its Prometheus metrics on this port; 0 turns that off. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(0),
  /** ... and the Temporal SDK's own worker metrics (slots, polls, schedule-to-start) here. */
  TEMPORAL_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(0),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** OTLP/HTTP collector (e.g. http://127.0.0.1:4318); traces are off without it. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalString.pipe(
    z.url({ message: 'must be a URL such as http://127.0.0.1:4318' }).optional(),
  ),
  /** The service name spans carry; each process adds its part (api, worker). */
  OTEL_SERVICE_NAME: z.string().min(1).default('conveyor'),
});

export type Config = z.infer<typeof configSchema>;

/** Every environment variable Conveyor reads. */
export const CONFIG_VARIABLES = Object.keys(configSchema.shape) as (keyof Config)[];

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses `env` (process.env by default); throws a ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map(
    (issue) =>
      `  ${issue.path.join('.')}: ${issue.message} (got ${JSON.stringify(env[String(issue.path[0])])})`,
  );
  throw new ConfigError(
    `Invalid configuration; fix these environment variables and start again:\n${lines.join('\n')}`,
  );
}
