import { and, asc, eq, gt, inArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from './client';
import { events } from './schema';

/**
 * The channel Postgres notifies when an event is written, with the tenant id as payload. The
 * `events_prepare` trigger of migration 0007 names it too (migrations are history, not edited):
 * a new name needs a migration that replaces the trigger.
 */
export const EVENTS_CHANNEL = 'conveyor_events';

export type Event = typeof events.$inferSelect;

export const EVENT_TYPES = [
  'operation.created',
  'operation.started',
  /** Counts and rate while it runs, a few seconds apart at most. */
  'operation.progress',
  'operation.paused',
  'operation.resumed',
  'operation.cancelled',
  'operation.completed',
  'operation.failed',
  /** Once per stage of an operation, when its first chunk starts it. */
  'stage.started',
  /** Once per stage of an operation, when no item of it is left to finish. */
  'stage.completed',
  /** A chunk of a larger operation started a stage over its items. */
  'chunk.stage_started',
  /** A chunk of a larger operation finished a stage over its items. */
  'chunk.stage_completed',
  /** A stage found rows left unfinished (a lost write, a dead attempt) and runs them again. */
  'stage.rerun',
  /** An operation's counters disagreed with its item stages and were set from them. */
  'operation.repaired',
  /** Someone asked to cancel it; `operation.cancelled` follows once its workflow has stopped. */
  'operation.cancel_requested',
  /** A new operation was started over its failed items (`data.retryId`). */
  'operation.retried',
  /** A webhook failed for longer than allowed and was disabled (`data.webhookId`, `reason`). */
  'webhook.disabled',
  /** A schedule's run recorded its operation (`data.scheduleId`). */
  'schedule.fired',
  /** A schedule's run started nothing: a quota of the tenant refused it (`data.quota`, `reason`). */
  'schedule.skipped',
  /** Global maintenance changed something of the tenant's (what, in `data`). */
  'maintenance.completed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The types after which an operation writes nothing more. */
export const FINAL_EVENT_TYPES: readonly EventType[] = [
  'operation.completed',
  'operation.failed',
  'operation.cancelled',
];

/** Written once per operation and stage: a second attempt is dropped. */
const ONCE_PER_STAGE: readonly EventType[] = ['stage.started', 'stage.completed'];

export interface NewEvent {
  tenantId: string;
  operationId?: string;
  type: EventType;
  stageName?: string;
  data?: Record<string, unknown>;
}

export async function appendEvent(db: Db, event: NewEvent): Promise<void> {
  await appendEvents(db, [event]);
}

/** Several events in one statement, in order: one round trip where a step writes many. */
export async function appendEvents(db: Db, list: NewEvent[]): Promise<void> {
  if (list.length === 0) return;
  const insert = db.insert(events).values(list);
  await (list.some((event) => ONCE_PER_STAGE.includes(event.type))
    ? insert.onConflictDoNothing()
    : insert);
}

/** What a subscriber to a tenant's events wants; every field narrows, none is required. */
export interface EventFilter {
  operationId?: string;
  types?: string[];
  jobName?: string;
  collectionId?: string;
}

function filterConditions(filter: EventFilter): (SQL | undefined)[] {
  return [
    filter.operationId ? eq(events.operationId, filter.operationId) : undefined,
    filter.types?.length ? inArray(events.type, filter.types) : undefined,
    filter.jobName ? eq(events.jobName, filter.jobName) : undefined,
    filter.collectionId ? eq(events.collectionId, filter.collectionId) : undefined,
  ];
}

/**
 * A tenant's events after `afterId`, oldest first. Ids of a tenant commit in order (see the
 * schema), so reading on from the last id seen misses nothing and repeats nothing.
 */
export async function eventsAfter(
  db: Db,
  tenantId: string,
  afterId: number,
  limit: number,
  filter: EventFilter = {},
): Promise<Event[]> {
  return db
    .select()
    .from(events)
    .where(and(eq(events.tenantId, tenantId), gt(events.id, afterId), ...filterConditions(filter)))
    .orderBy(asc(events.id))
    .limit(limit);
}

export async function getEvent(db: Db, id: number): Promise<Event | undefined> {
  const [row] = await db.select().from(events).where(eq(events.id, id));
  return row;
}

/** The newest event id of a tenant, 0 when it has none. */
export async function lastEventId(db: Db, tenantId: string): Promise<number> {
  const [row] = await db
    .select({ id: sql<number>`coalesce(max(${events.id}), 0)::int8` })
    .from(events)
    .where(eq(events.tenantId, tenantId));
  return row?.id ?? 0;
}
