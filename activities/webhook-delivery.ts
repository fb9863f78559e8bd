import { ApplicationFailure, Context } from '@temporalio/activity';
import { refusedTarget } from '../common/public-address';
import { signWebhook } from '../common/webhook-signature';
import { WEBHOOK_STOPPED, type WebhookDeliveryInput } from '../common/webhooks';
import { appendEvent, getEvent } from '../db/events';
import {
  disableIfFailingSince,
  getDelivery,
  markDeliveryFailed,
  recordAttempt,
} from '../db/webhooks';
import type { ActivityDeps } from './deps';

/** A receiver that neither answers nor fails within this is counted as failing. */
const REQUEST_TIMEOUT_MS = 15_000;

const stopped = (message: string) => ApplicationFailure.nonRetryable(message, WEBHOOK_STOPPED);

/** The Standard Webhooks request for one event. */
function request(secret: string, deliveryId: string, body: string) {
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    method: 'POST',
    redirect: 'manual' as const,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Conveyor-Webhooks/1',
      'webhook-id': deliveryId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(secret, deliveryId, timestamp, body),
    },
    body,
  };
}

export function createWebhookActivities({ database }: ActivityDeps) {
  const { db } = database;
  return {
    /**
     * One attempt to deliver; throws on failure so Temporal retries it with backoff. Each
     * attempt is recorded on the delivery; an endpoint failing past the policy's allowance is
     * disabled with a `webhook.disabled` event, which stops its deliveries.
     */
    async deliverWebhook({ deliveryId, policy }: WebhookDeliveryInput): Promise<number> {
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
      const refused = await refusedTarget(new URL(webhook.url), policy.allowPrivate);
      if (refused) error = `not sent: ${refused}`;
      else {
        try {
          const response = await fetch(webhook.url, {
            ...request(webhook.secret, deliveryId, body),
            signal: AbortSignal.any([
              AbortSignal.timeout(REQUEST_TIMEOUT_MS),
              Context.current().cancellationSignal,
            ]),
          });
          await response.arrayBuffer().catch(() => undefined);
          responseStatus = response.status;
          if (!response.ok) error = `${webhook.url} answered ${response.status}`;
        } catch (thrown) {
          error = `${webhook.url} could not be reached: ${(thrown as Error).message}`;
        }
      }
      const latencyMs = Math.round(performance.now() - started);
      await recordAttempt(db, delivery, { ok: !error, responseStatus, latencyMs, error });
      if (!error) return responseStatus ?? 200;
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
      await markDeliveryFailed(db, input.deliveryId, input.error);
    },
  };
}
