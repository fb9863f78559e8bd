import { ApplicationFailure, Context } from '@temporalio/activity';
import { WEBHOOK_STOPPED, type WebhookDeliveryInput, webhookPolicy } from '../common/webhooks';
import { type AttemptContext, attemptDelivery, giveUpDelivery } from '../webhooks/attempt';
import type { ActivityDeps } from './deps';

export function createWebhookActivities({ database, webhooks }: ActivityDeps) {
  // The worker's own policy, never the one in the workflow's input (webhooks/attempt.ts).
  const context: AttemptContext = { database, policy: webhooks ?? webhookPolicy({}) };
  return {
    /**
     * One attempt to deliver; throws on failure so Temporal retries it with backoff, and
     * non-retryably (WEBHOOK_STOPPED) when no attempt can succeed.
     */
    async deliverWebhook({ deliveryId }: WebhookDeliveryInput): Promise<number> {
      const attempt = await attemptDelivery(
        context,
        deliveryId,
        Context.current().cancellationSignal,
      );
      if (attempt.outcome === 'delivered') return attempt.responseStatus;
      if (attempt.outcome === 'stopped') {
        throw ApplicationFailure.nonRetryable(attempt.reason, WEBHOOK_STOPPED);
      }
      throw new Error(attempt.error);
    },

    /** The delivery's last word once retries are over. */
    async markDeliveryFailed(input: { deliveryId: string; error: string }): Promise<void> {
      await giveUpDelivery(context, input.deliveryId, input.error);
    },
  };
}
