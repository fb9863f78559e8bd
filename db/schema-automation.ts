import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { WEBHOOK_DELIVERY_STATUSES } from '../common/domain';
import { oneOf } from './predicates';
import { createdAt, tenants, updatedAt } from './schema';

/** Tables of what runs around operations: webhooks, schedules and global maintenance. */

/**
 * A tenant's webhook: events of the chosen types (all when empty) that pass its filters are
 * delivered to `url`, signed with `secret` (Standard Webhooks). Events up to `afterEventId`
 * happened before it existed and are never sent to it.
 */
export const webhooks = pgTable(
  'webhooks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    eventTypes: text('event_types').array().notNull().default(sql`'{}'::text[]`),
    jobName: text('job_name'),
    collectionId: uuid('collection_id'),
    description: text('description'),
    secret: text('secret').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    disabledReason: text('disabled_reason'),
    /** Since when every delivery attempt has failed; cleared by a success. */
    failingSince: timestamp('failing_since', { withTimezone: true }),
    afterEventId: bigint('after_event_id', { mode: 'number' }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('webhooks_tenant_idx').on(t.tenantId, t.createdAt)],
);

/** One event sent to one webhook: its id is the `webhook-id` every attempt carries. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    webhookId: uuid('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    tenantId: uuid('tenant_id').notNull(),
    eventId: bigint('event_id', { mode: 'number' }).notNull(),
    eventType: text('event_type').notNull(),
    status: text('status', { enum: WEBHOOK_DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    responseStatus: integer('response_status'),
    latencyMs: integer('latency_ms'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('webhook_deliveries_webhook_idx').on(t.webhookId, t.createdAt, t.id),
    // The dispatcher reads a tenant's oldest pending deliveries at every start and end of one;
    // pending ones are few, the rest many.
    index('webhook_deliveries_tenant_pending_idx')
      .on(t.tenantId, t.createdAt, t.id)
      .where(sql`status = 'pending'`),
    check('webhook_deliveries_status_check', oneOf(t.status, WEBHOOK_DELIVERY_STATUSES)),
  ],
);

/** How far each tenant's events have been handed to its webhooks. */
export const webhookCursors = pgTable('webhook_cursors', {
  tenantId: uuid('tenant_id')
    .primaryKey()
    .references(() => tenants.id, { onDelete: 'cascade' }),
  lastEventId: bigint('last_event_id', { mode: 'number' }).notNull(),
});

/**
 * A tenant's schedule: what it starts (the body of `POST /v1/operations`) and when (its spec).
 * The timing itself is a Temporal Schedule of the same id, which is the truth on next runs,
 * pauses and past actions; this row is the tenant's index of them.
 */
export const schedules = pgTable(
  'schedules',
  {
    id: text('id').primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    jobName: text('job_name').notNull(),
    request: jsonb('request').$type<Record<string, unknown>>().notNull(),
    spec: jsonb('spec').$type<Record<string, unknown>>().notNull(),
    overlap: text('overlap').notNull(),
    catchupWindowSeconds: integer('catchup_window_seconds'),
    note: text('note'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('schedules_tenant_idx').on(t.tenantId, t.createdAt)],
);

/** What each global maintenance run did. */
export const maintenanceRuns = pgTable('maintenance_runs', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  workflowId: text('workflow_id').notNull().unique(),
  summary: jsonb('summary').$type<Record<string, unknown>>().notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  finishedAt: timestamp('finished_at', { withTimezone: true }).notNull().defaultNow(),
});
