import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import type postgres from 'postgres';
import type { Db } from './client';
import { EVENTS_CHANNEL, type Event, lastEventId } from './events';
import { webhookCursors, webhookDeliveries, webhooks } from './schema-automation';

export type Webhook = typeof webhooks.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type WebhookChanges = Partial<
  Pick<Webhook, 'url' | 'eventTypes' | 'jobName' | 'collectionId' | 'description' | 'enabled'>
>;

/**
 * A new webhook, sent only what happens from now on, and the tenant's dispatch cursor if it
 * had none: both in the caller's transaction.
 */
export async function insertWebhook(
  db: Db,
  values: Pick<
    Webhook,
    'tenantId' | 'url' | 'eventTypes' | 'jobName' | 'collectionId' | 'description' | 'secret'
  >,
): Promise<Webhook> {
  const afterEventId = await lastEventId(db, values.tenantId);
  await db
    .insert(webhookCursors)
    .values({ tenantId: values.tenantId, lastEventId: afterEventId })
    .onConflictDoNothing();
  const [row] = await db
    .insert(webhooks)
    .values({ ...values, afterEventId })
    .returning();
  if (!row) throw new Error('webhook insert returned nothing');
  return row;
}

export async function getWebhook(
  db: Db,
  tenantId: string,
  id: string,
): Promise<Webhook | undefined> {
  const [row] = await db
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.tenantId, tenantId), eq(webhooks.id, id)));
  return row;
}

export async function listWebhooks(db: Db, tenantId: string): Promise<Webhook[]> {
  return db
    .select()
    .from(webhooks)
    .where(eq(webhooks.tenantId, tenantId))
    .orderBy(desc(webhooks.createdAt), desc(webhooks.id));
}

/** Re-enabling clears the failure record, so the endpoint gets a fresh allowance. */
export async function updateWebhook(
  db: Db,
  tenantId: string,
  id: string,
  changes: WebhookChanges,
): Promise<Webhook | undefined> {
  const reenabled = changes.enabled === true ? { disabledReason: null, failingSince: null } : {};
  const [row] = await db
    .update(webhooks)
    .set({ ...changes, ...reenabled, updatedAt: new Date() })
    .where(and(eq(webhooks.tenantId, tenantId), eq(webhooks.id, id)))
    .returning();
  return row;
}

export async function deleteWebhook(db: Db, tenantId: string, id: string): Promise<boolean> {
  const deleted = await db
    .delete(webhooks)
    .where(and(eq(webhooks.tenantId, tenantId), eq(webhooks.id, id)))
    .returning({ id: webhooks.id });
  return deleted.length > 0;
}

/** Whether a webhook wants an event: after its creation, of its types, passing its filters. */
export function wants(webhook: Webhook, event: Event): boolean {
  return (
    webhook.enabled &&
    event.id > webhook.afterEventId &&
    (webhook.eventTypes.length === 0 || webhook.eventTypes.includes(event.type)) &&
    (!webhook.jobName || event.jobName === webhook.jobName) &&
    (!webhook.collectionId || event.collectionId === webhook.collectionId)
  );
}

/** The id a delivery's every attempt carries as `webhook-id`: one per event and webhook. */
export const deliveryIdFor = (webhookId: string, eventId: number) => `msg_${eventId}_${webhookId}`;

/**
 * Takes the tenant's dispatch cursor for the caller's transaction, or nothing when another
 * process holds it (it dispatches meanwhile) or the tenant never had a webhook.
 */
export async function claimDispatchCursor(
  sql_: postgres.Sql,
  tenantId: string,
): Promise<number | undefined> {
  const [row] = await sql_<{ lastEventId: number }[]>`
    select last_event_id as "lastEventId" from webhook_cursors
    where tenant_id = ${tenantId}::uuid for update skip locked`;
  return row?.lastEventId;
}

export async function advanceDispatchCursor(
  db: Db,
  tenantId: string,
  lastId: number,
): Promise<void> {
  await db
    .update(webhookCursors)
    .set({ lastEventId: lastId })
    .where(eq(webhookCursors.tenantId, tenantId));
}

/** Tenants whose events are handed to webhooks. */
export async function dispatchingTenants(db: Db): Promise<string[]> {
  const rows = await db.select({ tenantId: webhookCursors.tenantId }).from(webhookCursors);
  return rows.map((row) => row.tenantId);
}

export async function enabledWebhooks(db: Db, tenantId: string): Promise<Webhook[]> {
  return db
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.tenantId, tenantId), eq(webhooks.enabled, true)));
}

export async function insertDeliveries(
  db: Db,
  rows: Pick<WebhookDelivery, 'id' | 'webhookId' | 'tenantId' | 'eventId' | 'eventType'>[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.insert(webhookDeliveries).values(rows).onConflictDoNothing();
}

export async function getDelivery(
  db: Db,
  id: string,
): Promise<{ delivery: WebhookDelivery; webhook: Webhook } | undefined> {
  const [row] = await db
    .select({ delivery: webhookDeliveries, webhook: webhooks })
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(eq(webhookDeliveries.id, id));
  return row;
}

export async function listDeliveries(
  db: Db,
  webhookId: string,
  page: {
    limit: number;
    status?: WebhookDelivery['status'];
    cursor?: { createdAt: Date; id: string };
  },
): Promise<WebhookDelivery[]> {
  return db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.webhookId, webhookId),
        page.status ? eq(webhookDeliveries.status, page.status) : undefined,
        page.cursor
          ? or(
              lt(webhookDeliveries.createdAt, page.cursor.createdAt),
              and(
                eq(webhookDeliveries.createdAt, page.cursor.createdAt),
                lt(webhookDeliveries.id, page.cursor.id),
              ),
            )
          : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(page.limit);
}

/** One attempt's outcome; a success also clears the webhook's failure record. */
export async function recordAttempt(
  db: Db,
  delivery: WebhookDelivery,
  attempt: { ok: boolean; responseStatus: number | null; latencyMs: number; error: string | null },
): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({
      attempts: sql`${webhookDeliveries.attempts} + 1`,
      status: attempt.ok ? 'succeeded' : 'pending',
      responseStatus: attempt.responseStatus,
      latencyMs: attempt.latencyMs,
      lastError: attempt.error,
      deliveredAt: attempt.ok ? new Date() : null,
      updatedAt: new Date(),
    })
    .where(eq(webhookDeliveries.id, delivery.id));
  await db
    .update(webhooks)
    .set(
      attempt.ok
        ? { failingSince: null }
        : { failingSince: sql`coalesce(${webhooks.failingSince}, now())` },
    )
    .where(eq(webhooks.id, delivery.webhookId));
}

/** Records a delivery's failure; its tenant, or undefined when the delivery is gone. */
export async function markDeliveryFailed(
  db: Db,
  id: string,
  error: string,
): Promise<string | undefined> {
  const [row] = await db
    .update(webhookDeliveries)
    .set({ status: 'failed', lastError: error, updatedAt: new Date() })
    .where(eq(webhookDeliveries.id, id))
    .returning({ tenantId: webhookDeliveries.tenantId });
  return row?.tenantId;
}

/** The prefix of a notice that says a tenant's delivery ended, not that it has new events. */
export const DELIVERY_ENDED_NOTICE = 'delivery-ended:';

/**
 * Wakes the dispatchers of a tenant whose delivery ended, so a delivery waiting for one of the
 * tenant's slots goes out now rather than at the next sweep. It rides the event log's channel,
 * whose streams know no tenant by this payload and read nothing for it.
 */
export async function notifyDeliveryEnded(sql_: postgres.Sql, tenantId: string): Promise<void> {
  await sql_`select pg_notify(${EVENTS_CHANNEL}, ${DELIVERY_ENDED_NOTICE + tenantId})`;
}

/**
 * The tenant's oldest pending deliveries, at most `limit`: the ones allowed in flight. The
 * rest wait in Postgres until these end.
 */
export async function deliveriesInFlight(
  sql_: postgres.Sql,
  tenantId: string,
  limit: number,
): Promise<string[]> {
  const rows = await sql_<{ id: string }[]>`
    select id from webhook_deliveries
    where tenant_id = ${tenantId}::uuid and status = 'pending'
    order by created_at, id
    limit ${limit}`;
  return rows.map((row) => row.id);
}

/** A redelivery starts over: pending, its attempts counted on. */
export async function reopenDelivery(db: Db, id: string): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({ status: 'pending', updatedAt: new Date() })
    .where(eq(webhookDeliveries.id, id));
}

/**
 * Disables a webhook that has failed for longer than allowed; true when this call did it (so
 * exactly one `webhook.disabled` event is written).
 */
export async function disableIfFailingSince(
  db: Db,
  webhookId: string,
  allowedMs: number,
  reason: string,
): Promise<boolean> {
  const rows = await db
    .update(webhooks)
    .set({ enabled: false, disabledReason: reason, updatedAt: new Date() })
    .where(
      and(
        eq(webhooks.id, webhookId),
        eq(webhooks.enabled, true),
        sql`${webhooks.failingSince} <= now() - ${allowedMs} * interval '1 millisecond'`,
      ),
    )
    .returning({ id: webhooks.id });
  return rows.length > 0;
}
