import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from './client';
import { events } from './schema';

export type Event = typeof events.$inferSelect;

export const EVENT_TYPES = [
  'operation.created',
  'operation.started',
  'operation.paused',
  'operation.resumed',
  'operation.cancelled',
  'operation.completed',
  'operation.failed',
  'stage.started',
  'stage.completed',
  /** A stage found rows left unfinished (a lost write, a dead attempt) and runs them again. */
  'stage.rerun',
  /** An operation's counters disagreed with its item stages and were set from them. */
  'operation.repaired',
  /** Someone asked to cancel it; `operation.cancelled` follows once its workflow has stopped. */
  'operation.cancel_requested',
  /** A new operation was started over its failed items (`data.retryId`). */
  'operation.retried',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export async function appendEvent(
  db: Db,
  event: {
    tenantId: string;
    operationId: string;
    type: EventType;
    stageName?: string;
    data?: Record<string, unknown>;
  },
): Promise<void> {
  await db.insert(events).values(event);
}

export async function listOperationEvents(
  db: Db,
  tenantId: string,
  operationId: string,
  options: { afterId?: number; limit: number },
): Promise<Event[]> {
  return db
    .select()
    .from(events)
    .where(
      and(
        eq(events.tenantId, tenantId),
        eq(events.operationId, operationId),
        options.afterId ? gt(events.id, options.afterId) : undefined,
      ),
    )
    .orderBy(asc(events.id))
    .limit(options.limit);
}
