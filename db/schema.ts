import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  API_KEY_ROLES,
  type JobDefinition,
  LEDGER_VERSIONS,
  OPERATION_MODES,
  OPERATION_STATUSES,
  SCOPE_KINDS,
} from '../common/domain';
import { DEFAULT_PARALLELISM } from '../common/engine';
import type { QuotaOverrides } from '../common/quotas';
import { oneOf } from './predicates';

export const createdAt = () =>
  timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () =>
  timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  /** Its share of the workers against other tenants' backlogs (Temporal task-queue fairness). */
  fairnessWeight: real('fairness_weight').notNull().default(1),
  /** Batches one of its operations runs at once (chunks in flight × batches per chunk). */
  parallelism: integer('parallelism').notNull().default(DEFAULT_PARALLELISM),
  /** Its quotas set apart from the defaults (common/quotas.ts); the rest are the defaults. */
  quotas: jsonb('quotas').$type<QuotaOverrides>().notNull().default({}),
  createdAt: createdAt(),
});

/**
 * What a tenant holds open in some API process (an event stream, an export), counted against its
 * quota across processes. A holder renews its lease while it is open and deletes it when done; a
 * process that died leaves leases that stop counting once they expire.
 */
export const quotaLeases = pgTable(
  'quota_leases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    quota: text('quota').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('quota_leases_tenant_idx').on(t.tenantId, t.quota, t.expiresAt)],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** sha256 of the key; the key itself is shown once and never stored. */
    keyHash: text('key_hash').notNull().unique(),
    role: text('role', { enum: API_KEY_ROLES }).notNull(),
    /** A system key also manages tenants; the admin key printed at first start is one. */
    system: boolean('system').notNull().default(false),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    index('api_keys_tenant_idx').on(t.tenantId),
    check('api_keys_role_check', oneOf(t.role, API_KEY_ROLES)),
  ],
);

export const collections = pgTable(
  'collections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    /** Kept by the item writers so listings never count items on the request path. */
    itemCount: integer('item_count').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('collections_tenant_name_idx').on(t.tenantId, t.name),
    index('collections_tenant_created_idx').on(t.tenantId, t.createdAt),
  ],
);

export const items = pgTable(
  'items',
  {
    /** A bigint so that an operation's batches are id ranges, cheap to plan and to read. */
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id').notNull(),
    collectionId: uuid('collection_id')
      .notNull()
      .references(() => collections.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    data: jsonb('data').$type<unknown>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('items_collection_key_idx').on(t.collectionId, t.key),
    index('items_collection_id_idx').on(t.collectionId, t.id),
  ],
);

export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    version: integer('version').notNull().default(1),
    definition: jsonb('definition').$type<JobDefinition>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    /** Paused by request: its schedules and running operations were paused with it. */
    pausedAt: timestamp('paused_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('jobs_tenant_name_idx').on(t.tenantId, t.name).where(sql`${t.deletedAt} is null`),
  ],
);

/** Every version a job has had, so operations of earlier versions stay explainable. */
export const jobVersions = pgTable(
  'job_versions',
  {
    jobId: uuid('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    definition: jsonb('definition').$type<JobDefinition>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.version] })],
);

export const operations = pgTable(
  'operations',
  {
    /** Also the Temporal workflow id. */
    id: text('id').primaryKey(),
    /** A small number the version-2 ledger's rows carry instead of the text id. */
    key: integer('key').generatedAlwaysAsIdentity().notNull(),
    /** The ledger format it is recorded in (docs/ledger.md), fixed at its creation. */
    ledger: smallint('ledger').notNull().default(1),
    /**
     * When version 2 folded its outcomes into the hourly statistics: after the finish, in a
     * statement of its own, once (a retried finish finds it set).
     */
    statsFoldedAt: timestamp('stats_folded_at', { withTimezone: true }),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    jobId: uuid('job_id').references(() => jobs.id, { onDelete: 'set null' }),
    jobName: text('job_name').notNull(),
    jobVersion: integer('job_version').notNull(),
    /** The job as it was when the operation started; later edits do not change a run. */
    definition: jsonb('definition').$type<JobDefinition>().notNull(),
    scope: text('scope', { enum: SCOPE_KINDS }).notNull(),
    collectionId: uuid('collection_id').references(() => collections.id, { onDelete: 'set null' }),
    /** For scope `items`: the explicit item ids. */
    itemIds: bigint('item_ids', { mode: 'number' }).array(),
    status: text('status', { enum: OPERATION_STATUSES }).notNull(),
    mode: text('mode', { enum: OPERATION_MODES }).notNull().default('production'),
    /** 1 (most urgent) to 5: the Temporal task-queue priority of its workflows and batches. */
    priority: smallint('priority').notNull().default(3),
    params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
    itemsTotal: integer('items_total').notNull().default(0),
    itemsDone: integer('items_done').notNull().default(0),
    itemsFailed: integer('items_failed').notNull().default(0),
    itemsSkipped: integer('items_skipped').notNull().default(0),
    requestedBy: text('requested_by'),
    /** The end user the run is for, in the caller's own ids (seed 003): not a key, a person. */
    requestedFor: text('requested_for'),
    idempotencyKey: text('idempotency_key'),
    parentId: text('parent_id'),
    retryOf: text('retry_of'),
    /** The schedule that started it, if one did. */
    scheduleId: text('schedule_id'),
    runId: text('run_id'),
    error: text('error'),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** When the last `operation.progress` event was written: snapshots are a few seconds apart. */
    progressAt: timestamp('progress_at', { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('operations_tenant_created_idx').on(t.tenantId, t.createdAt, t.id),
    index('operations_tenant_status_idx').on(t.tenantId, t.status, t.createdAt),
    index('operations_tenant_job_idx').on(t.tenantId, t.jobName, t.createdAt),
    index('operations_tenant_collection_idx').on(t.tenantId, t.collectionId, t.createdAt),
    index('operations_tenant_schedule_idx').on(t.tenantId, t.scheduleId, t.createdAt),
    index('operations_tenant_requested_for_idx').on(t.tenantId, t.requestedFor, t.createdAt),
    uniqueIndex('operations_tenant_idempotency_idx')
      .on(t.tenantId, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
    check('operations_scope_check', oneOf(t.scope, SCOPE_KINDS)),
    check('operations_status_check', oneOf(t.status, OPERATION_STATUSES)),
    check('operations_mode_check', oneOf(t.mode, OPERATION_MODES)),
    check('operations_ledger_check', oneOf(t.ledger, LEDGER_VERSIONS)),
    uniqueIndex('operations_key_idx').on(t.key),
  ],
);

/**
 * The event log: append-only, one tenant's ids increasing in commit order. A trigger (migration
 * 0007) fills the operation's job and collection, takes the tenant's event lock before it draws
 * the id, so no lower id of the tenant can commit after a higher one, and notifies
 * `conveyor_events` with the tenant id for the streams to read what is new.
 */
export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id').notNull(),
    operationId: text('operation_id'),
    type: text('type').notNull(),
    stageName: text('stage_name'),
    jobName: text('job_name'),
    collectionId: uuid('collection_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index('events_operation_idx').on(t.operationId, t.id),
    index('events_tenant_idx').on(t.tenantId, t.id),
    index('events_tenant_created_idx').on(t.tenantId, t.createdAt),
    // An operation's stage starts and completes once, however many chunks report it.
    uniqueIndex('events_operation_stage_once_idx')
      .on(t.operationId, t.stageName, t.type)
      .where(sql`type in ('stage.started', 'stage.completed')`),
  ],
);

export const costs = pgTable(
  'costs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id').notNull(),
    operationId: text('operation_id').notNull(),
    jobName: text('job_name').notNull(),
    stageName: text('stage_name').notNull(),
    itemId: bigint('item_id', { mode: 'number' }),
    amount: doublePrecision('amount').notNull(),
    unit: text('unit').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('costs_operation_idx').on(t.operationId, t.stageName),
    index('costs_tenant_day_idx').on(t.tenantId, t.createdAt),
  ],
);

/** Token buckets that pace a handler across every worker of a task queue. */
export const rateBuckets = pgTable('rate_buckets', {
  key: text('key').primaryKey(),
  tokens: doublePrecision('tokens').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Item-stage outcomes rolled up per hour and duration bucket, written with each batch's
 * outcomes, so statistics over millions of item stages read a few thousand rows. A bucket
 * holds durations of about 2^(bucket/3) ms: percentiles come from cumulative counts.
 */
export const stageStats = pgTable(
  'stage_stats',
  {
    tenantId: uuid('tenant_id').notNull(),
    jobName: text('job_name').notNull(),
    stageName: text('stage_name').notNull(),
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    bucket: smallint('bucket').notNull(),
    done: bigint('done', { mode: 'number' }).notNull().default(0),
    failed: bigint('failed', { mode: 'number' }).notNull().default(0),
    skipped: bigint('skipped', { mode: 'number' }).notNull().default(0),
    durationMsSum: doublePrecision('duration_ms_sum').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.jobName, t.stageName, t.hour, t.bucket] }),
    index('stage_stats_tenant_hour_idx').on(t.tenantId, t.hour),
  ],
);

/**
 * Costs summed per UTC day, job, stage and unit, written in the same statement as the costs
 * themselves, so costs per day read a few rows per day instead of every cost of the range.
 */
export const costDays = pgTable(
  'cost_days',
  {
    tenantId: uuid('tenant_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    jobName: text('job_name').notNull(),
    stageName: text('stage_name').notNull(),
    unit: text('unit').notNull(),
    amount: doublePrecision('amount').notNull().default(0),
    entries: bigint('entries', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day, t.jobName, t.stageName, t.unit] })],
);

/**
 * Production operations counted per tenant, hour of creation (UTC), job and status, kept by a
 * trigger on `operations` (migration 0006) so every status change moves one count in the same
 * transaction. Statistics per job read a few rows per hour instead of every operation.
 */
export const operationCounts = pgTable(
  'operation_counts',
  {
    tenantId: uuid('tenant_id').notNull(),
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    jobName: text('job_name').notNull(),
    status: text('status').notNull(),
    count: bigint('count', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.hour, t.jobName, t.status] })],
);

/**
 * What each worker says of itself, every few seconds: the handlers (and versions) it runs.
 * Temporal knows who polls a task queue but not which handlers a poller registered; this does.
 */
export const workerReports = pgTable(
  'worker_reports',
  {
    taskQueue: text('task_queue').notNull(),
    identity: text('identity').notNull(),
    handlers: jsonb('handlers').$type<{ name: string; version: string }[]>().notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    reportedAt: timestamp('reported_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set by a worker that shut down: Temporal goes on listing it as a poller for a minute. */
    stoppedAt: timestamp('stopped_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.taskQueue, t.identity] })],
);
