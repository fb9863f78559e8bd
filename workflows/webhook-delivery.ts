import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { WEBHOOK_STOPPED, type WebhookDeliveryInput } from '../common/webhooks';

const bookkeeping = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 10 },
});

/**
 * One event to one webhook: attempts with exponential backoff until one succeeds, the policy's
 * time runs out, or the webhook is deleted or disabled. Each attempt shows in the Web UI.
 */
export async function webhookDeliveryWorkflow(input: WebhookDeliveryInput): Promise<number> {
  const { policy } = input;
  const { deliverWebhook } = proxyActivities<Activities>({
    // The request itself is bounded at 15 s; the rest is Postgres bookkeeping.
    startToCloseTimeout: '1 minute',
    scheduleToCloseTimeout: policy.givesUpAfterMs,
    retry: {
      initialInterval: policy.initialIntervalMs,
      backoffCoefficient: 2,
      maximumInterval: policy.maximumIntervalMs,
      nonRetryableErrorTypes: [WEBHOOK_STOPPED],
    },
  });
  try {
    return await deliverWebhook(input);
  } catch (error) {
    const cause = (error as { cause?: Error }).cause ?? (error as Error);
    await bookkeeping.markDeliveryFailed({ deliveryId: input.deliveryId, error: cause.message });
    throw ApplicationFailure.nonRetryable(
      `delivery ${input.deliveryId} failed: ${cause.message}`,
      'WebhookDeliveryFailed',
    );
  }
}
