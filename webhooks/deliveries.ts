import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WORKFLOW_TYPES } from '../common/constants';
import { Conflict, NotFound } from '../common/domain-errors';
import {
  getDelivery,
  getWebhook,
  listDeliveries,
  reopenDelivery,
  type WebhookDelivery,
} from '../db/webhooks';
import type { EndpointContext, WebhookContext } from './context';

export const deliveryWorkflowId = (deliveryId: string, redelivery?: number) =>
  `webhook-${deliveryId}${redelivery ? `-redelivery-${redelivery}` : ''}`;

/** Whose delivery it is, for Temporal's fair shares between tenants. */
export interface DeliveryTenant {
  tenantId: string;
  fairnessWeight: number;
}

/**
 * Starts a delivery's workflow; a second start of the same one is a no-op. Its tasks carry the
 * tenant's fairness key (inherited by its activities), so one tenant's flood of deliveries
 * takes its share of the workers, not all of them.
 */
export async function startDelivery(
  context: WebhookContext,
  deliveryId: string,
  tenant: DeliveryTenant,
  redelivery?: number,
): Promise<void> {
  try {
    await context.temporal.workflow.start(WORKFLOW_TYPES.webhookDelivery, {
      taskQueue: context.settings.taskQueue,
      workflowId: deliveryWorkflowId(deliveryId, redelivery),
      // Dispatch may run twice for one event (a crash before its cursor moved); a delivery
      // whose workflow already ran must not be sent again.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [{ deliveryId, policy: context.settings.policy }],
      priority: { fairnessKey: tenant.tenantId, fairnessWeight: tenant.fairnessWeight },
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

/** One page of a webhook's deliveries, newest first; NotFound when the tenant has no such webhook. */
export async function webhookDeliveries(
  context: EndpointContext,
  tenantId: string,
  webhookId: string,
  page: Parameters<typeof listDeliveries>[2],
): Promise<WebhookDelivery[]> {
  const { db } = context.database;
  if (!(await getWebhook(db, tenantId, webhookId))) throw NotFound.resource('webhook', webhookId);
  return listDeliveries(db, webhookId, page);
}

/**
 * Sends a delivery again, with the same `webhook-id`, as a workflow of its own (a delivery's
 * first workflow id may not run twice); Conflict while its webhook is disabled. Returns the
 * delivery, pending again.
 */
export async function redeliver(
  context: WebhookContext,
  tenant: DeliveryTenant,
  webhookId: string,
  deliveryId: string,
): Promise<WebhookDelivery> {
  const { db } = context.database;
  const found = await getDelivery(db, deliveryId);
  if (!found || found.webhook.id !== webhookId || found.webhook.tenantId !== tenant.tenantId) {
    throw NotFound.resource('delivery', deliveryId);
  }
  if (!found.webhook.enabled) {
    throw new Conflict(`Webhook ${webhookId} is disabled; enable it (PATCH enabled: true) first.`);
  }
  await reopenDelivery(db, deliveryId);
  await startDelivery(context, deliveryId, tenant, Date.now());
  return { ...found.delivery, status: 'pending' };
}
