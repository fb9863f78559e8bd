import { type OutboundPolicy, RefusedTarget } from '../common/public-address';
import { signWebhook } from '../common/webhook-signature';
import type { WebhookPolicy } from '../common/webhooks';
import type { Database } from '../db/client';
import { appendEvent, getEvent } from '../db/events';
import {
  disableIfFailingSince,
  getDelivery,
  markDeliveryFailed,
  notifyDeliveryEnded,
  recordAttempt,
} from '../db/webhooks';
import { postChecked } from './request';

/** A receiver that neither answers nor fails within this is counted as failing. */
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * What sending a delivery works with: the worker's own settings decide where it may connect
 * and when an endpoint is given up on. A workflow's input is whatever its starter wrote, and
 * anyone who can reach Temporal can start one, so the policy the input carries only paces the
 * workflow's retries.
 */
export interface AttemptContext {
  database: Database;
  policy: WebhookPolicy;
}

/**
 * How one attempt ended: `delivered` (or delivered before), `failed` (worth another attempt),
 * or `stopped` (no attempt can succeed: the delivery, its webhook or its event is gone, or the
 * webhook is disabled).
 */
export type Attempt =
  | { outcome: 'delivered'; responseStatus: number }
  | { outcome: 'failed'; error: string }
  | { outcome: 'stopped'; reason: string };

/** The Standard Webhooks headers for one event. */
function signedHeaders(secret: string, deliveryId: string, body: string) {
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    'content-type': 'application/json',
    'user-agent': 'Conveyor-Webhooks/1',
    'webhook-id': deliveryId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(secret, deliveryId, timestamp, body),
  };
}

/**
 * One attempt to deliver, recorded on the delivery. The endpoint (URL, secret, enabled) is read
 * from Postgres by the delivery's id at every attempt. An endpoint failing past the policy's
 * allowance is disabled with a `webhook.disabled` event, which stops its deliveries.
 * `cancelled` aborts the request (the delivery's workflow was cancelled).
 */
export async function attemptDelivery(
  context: AttemptContext,
  deliveryId: string,
  cancelled: AbortSignal,
): Promise<Attempt> {
  const { database, policy } = context;
  const { db, sql } = database;
  const found = await getDelivery(db, deliveryId);
  if (!found) {
    return {
      outcome: 'stopped',
      reason: `delivery ${deliveryId} no longer exists: its webhook was deleted`,
    };
  }
  const { delivery, webhook } = found;
  if (delivery.status === 'succeeded') {
    return { outcome: 'delivered', responseStatus: delivery.responseStatus ?? 200 };
  }
  if (!webhook.enabled) {
    return {
      outcome: 'stopped',
      reason: `webhook ${webhook.id} is disabled: ${webhook.disabledReason ?? 'by request'}`,
    };
  }
  const event = await getEvent(db, delivery.eventId);
  if (!event) {
    return { outcome: 'stopped', reason: `event ${delivery.eventId} no longer exists (retention)` };
  }
  const body = JSON.stringify({
    type: event.type,
    timestamp: event.createdAt.toISOString(),
    data: event,
  });
  const started = performance.now();
  let responseStatus: number | null = null;
  let error: string | null = null;
  try {
    responseStatus = await postChecked(new URL(webhook.url), addressPolicy(policy), {
      headers: signedHeaders(webhook.secret, deliveryId, body),
      body,
      signal: AbortSignal.any([AbortSignal.timeout(REQUEST_TIMEOUT_MS), cancelled]),
    });
    if (responseStatus < 200 || responseStatus >= 300) {
      error = `${webhook.url} answered ${responseStatus}`;
    }
  } catch (thrown) {
    error =
      thrown instanceof RefusedTarget
        ? `not sent: ${thrown.message}`
        : `${webhook.url} could not be reached: ${(thrown as Error).message}`;
  }
  const latencyMs = Math.round(performance.now() - started);
  await recordAttempt(db, delivery, { ok: !error, responseStatus, latencyMs, error });
  if (!error) {
    await notifyDeliveryEnded(sql, webhook.tenantId);
    return { outcome: 'delivered', responseStatus: responseStatus ?? 200 };
  }
  const reason = `every delivery failed for ${Math.round(policy.disableAfterMs / 60_000)} minutes; last: ${error}`;
  if (await disableIfFailingSince(db, webhook.id, policy.disableAfterMs, reason)) {
    await appendEvent(db, {
      tenantId: webhook.tenantId,
      type: 'webhook.disabled',
      data: { webhookId: webhook.id, url: webhook.url, reason },
    });
    return { outcome: 'stopped', reason: `webhook ${webhook.id} was disabled: ${reason}` };
  }
  return { outcome: 'failed', error };
}

/** Records a delivery's last word once its retries are over, and frees its tenant's slot. */
export async function giveUpDelivery(
  context: Pick<AttemptContext, 'database'>,
  deliveryId: string,
  error: string,
): Promise<void> {
  const { db, sql } = context.database;
  const tenantId = await markDeliveryFailed(db, deliveryId, error);
  if (tenantId) await notifyDeliveryEnded(sql, tenantId);
}

/** Where deliveries may connect: public addresses, and private ones only if the policy says. */
const addressPolicy = (policy: WebhookPolicy): OutboundPolicy => ({
  allowPrivate: policy.allowPrivate,
  allowedHosts: [],
  howToAllow: () => 'set WEBHOOK_ALLOW_PRIVATE=true (on the workers) to allow such targets',
});
