import { ApplicationFailure, Context } from '@temporalio/activity';
import { type OutboundPolicy, RefusedTarget } from '../common/public-address';
import { signWebhook } from '../common/webhook-signature';
import { WEBHOOK_STOPPED, type WebhookDeliveryInput, webhookPolicy } from '../common/webhooks';
import { appendEvent, getEvent } from '../db/events';
import {
  disableIfFailingSince,
  getDelivery,
  markDeliveryFailed,
  notifyDeliveryEnded,
  recordAttempt,
} from '../db/webhooks';
import type { ActivityDeps } from './deps';
import { postChecked } from './webhook-request';

/** A receiver that neither answers nor fails within this is counted as failing. */
const REQUEST_TIMEOUT_MS = 15_000;

const stopped = (message: string) => ApplicationFailure.nonRetryable(message, WEBHOOK_STOPPED);

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

export function createWebhookActivities({ database, webhooks }: ActivityDeps) {
  const { db, sql } = database;
  // The worker's own settings decide where it may connect and when an endpoint is given up on:
  // a workflow's input is whatever its starter wrote, and anyone who can reach Temporal can
  // start one, so the policy the input carries only paces the workflow's retries.
  const policy = webhooks ?? webhookPolicy({});
  const addressPolicy: OutboundPolicy = {
    allowPrivate: policy.allowPrivate,
    allowedHosts: [],
    howToAllow: () => 'set WEBHOOK_ALLOW_PRIVATE=true (on the workers) to allow such targets',
  };
  return {
    /**
     * One attempt to deliver; throws on failure so Temporal retries it with backoff. Each
     * attempt is recorded on the delivery; an endpoint failing past the policy's allowance is
     * disabled with a `webhook.disabled` event, which stops its deliveries. The endpoint (URL,
     * secret, enabled) is read from Postgres by the delivery's id at every attempt.
     */
    async deliverWebhook({ deliveryId }: WebhookDeliveryInput): Promise<number> {
      const found = await getDelivery(db, deliveryId);
      if (!found) throw stopped(`delivery ${deliveryId} no longer exists: its webhook was deleted`);
      const { delivery, webhook } = found;
      if (delivery.status === 'succeeded') return delivery.responseStatus ?? 200;
      if (!webhook.enabled) {
        throw stopped(
          `webhook ${webhook.id} is disabled: ${webhook.disabledReason ?? 'by request'}`,
        );
      }
      const event = await getEvent(db, delivery.eventId);
      if (!event) throw stopped(`event ${delivery.eventId} no longer exists (retention)`);
      const body = JSON.stringify({
        type: event.type,
        timestamp: event.createdAt.toISOString(),
        data: event,
      });
      const started = performance.now();
      let responseStatus: number | null = null;
      let error: string | null = null;
      try {
        const url = new URL(webhook.url);
        responseStatus = await postChecked(url, addressPolicy, {
          headers: signedHeaders(webhook.secret, deliveryId, body),
          body,
          signal: AbortSignal.any([
            AbortSignal.timeout(REQUEST_TIMEOUT_MS),
            Context.current().cancellationSignal,
          ]),
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
        return responseStatus ?? 200;
      }
      const reason = `every delivery failed for ${Math.round(policy.disableAfterMs / 60_000)} minutes; last: ${error}`;
      if (await disableIfFailingSince(db, webhook.id, policy.disableAfterMs, reason)) {
        await appendEvent(db, {
          tenantId: webhook.tenantId,
          type: 'webhook.disabled',
          data: { webhookId: webhook.id, url: webhook.url, reason },
        });
        throw stopped(`webhook ${webhook.id} was disabled: ${reason}`);
      }
      throw new Error(error);
    },

    /** The delivery's last word once retries are over. */
    async markDeliveryFailed(input: { deliveryId: string; error: string }): Promise<void> {
      const tenantId = await markDeliveryFailed(db, input.deliveryId, input.error);
      if (tenantId) await notifyDeliveryEnded(sql, tenantId);
    },
  };
}
