import { Conflict, InvalidInput, NotFound } from '../common/domain-errors';
import { refusedTarget } from '../common/public-address';
import { newWebhookSecret } from '../common/webhook-signature';
import { inTransaction } from '../db/client';
import type { EventType } from '../db/events';
import {
  deleteWebhook,
  getWebhook,
  insertWebhook,
  listWebhooks,
  updateWebhook,
  type Webhook,
} from '../db/webhooks';
import { admitOneMore } from '../operations/quotas';
import type { EndpointContext } from './context';

/** Which of the tenant's events a webhook is sent: null (or absent) lets any through. */
export interface WebhookFilters {
  job?: string | null;
  collectionId?: string | null;
}

export interface NewWebhook {
  url: string;
  /** Empty: every type. */
  eventTypes: EventType[];
  filters: WebhookFilters;
  description?: string | null;
}

export type WebhookEdit = Partial<Omit<NewWebhook, 'filters'>> & {
  filters?: WebhookFilters;
  enabled?: boolean;
};

/**
 * Refuses a private or loopback target (SSRF) unless the deployment allows them: a Conflict, as
 * the URL is well formed and only the deployment's policy stands against it.
 */
async function refuseTarget(context: EndpointContext, url: string): Promise<void> {
  if (!URL.canParse(url)) throw new InvalidInput([{ name: 'url', reason: 'is not a URL' }]);
  const reason = await refusedTarget(new URL(url), context.settings.policy.allowPrivate);
  if (reason) throw Conflict.over([{ name: 'url', reason: `refused: ${reason}` }]);
}

/**
 * A new webhook, sent what happens from now on, within the tenant's quota of webhooks. Its
 * signing secret is returned with it this once; it is never shown again.
 */
export async function createWebhook(
  context: EndpointContext,
  tenantId: string,
  input: NewWebhook,
): Promise<{ webhook: Webhook; secret: string }> {
  await refuseTarget(context, input.url);
  const secret = newWebhookSecret();
  const webhook = await inTransaction(context.database, async (tx) => {
    await admitOneMore(tx, tenantId, 'webhooks');
    return insertWebhook(tx.db, {
      tenantId,
      url: input.url,
      eventTypes: input.eventTypes,
      jobName: input.filters.job ?? null,
      collectionId: input.filters.collectionId ?? null,
      description: input.description ?? null,
      secret,
    });
  });
  return { webhook, secret };
}

export function tenantWebhooks(context: EndpointContext, tenantId: string): Promise<Webhook[]> {
  return listWebhooks(context.database.db, tenantId);
}

export async function findWebhook(
  context: EndpointContext,
  tenantId: string,
  id: string,
): Promise<Webhook> {
  const webhook = await getWebhook(context.database.db, tenantId, id);
  if (!webhook) throw NotFound.resource('webhook', id);
  return webhook;
}

/** Changes a webhook; enabling it again forgets its past failures (db/webhooks.ts). */
export async function changeWebhook(
  context: EndpointContext,
  tenantId: string,
  id: string,
  edit: WebhookEdit,
): Promise<Webhook> {
  const { filters, ...changes } = edit;
  if (changes.url) await refuseTarget(context, changes.url);
  const webhook = await updateWebhook(context.database.db, tenantId, id, {
    ...changes,
    ...(filters === undefined
      ? {}
      : { jobName: filters.job ?? null, collectionId: filters.collectionId ?? null }),
  });
  if (!webhook) throw NotFound.resource('webhook', id);
  return webhook;
}

/** Deletes a webhook; its deliveries go with it, and those pending stop at their next attempt. */
export async function removeWebhook(
  context: EndpointContext,
  tenantId: string,
  id: string,
): Promise<void> {
  if (!(await deleteWebhook(context.database.db, tenantId, id))) {
    throw NotFound.resource('webhook', id);
  }
}
