import type { Client } from '@temporalio/client';
import type { WebhookPolicy } from '../common/webhooks';
import type { Database } from '../db/client';

/**
 * What the webhook use cases and the dispatcher work with; nothing of HTTP. Built by whoever
 * runs them (an API process) from its own configuration.
 */
export interface WebhookContext {
  database: Database;
  temporal: Client;
  settings: {
    /** The task queue delivery workflows run on. */
    taskQueue: string;
    /** Retries, give-up and disable times, private targets, deliveries in flight per tenant. */
    policy: WebhookPolicy;
  };
}

/** Endpoints are kept in Postgres only: changing one needs no Temporal. */
export type EndpointContext = Omit<WebhookContext, 'temporal'>;
