import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WORKFLOW_TYPES } from '../common/constants';
import type { WebhookDeliveryInput, WebhookPolicy } from '../common/webhooks';
import { inTransaction } from '../db/client';
import { eventsAfter } from '../db/events';
import {
  advanceDispatchCursor,
  claimDispatchCursor,
  deliveryIdFor,
  dispatchingTenants,
  enabledWebhooks,
  insertDeliveries,
  strandedDeliveries,
  wants,
} from '../db/webhooks';
import type { ApiDeps } from './env';
import type { EventHub } from './event-hub';

const PAGE = 200;
/** Also without notices (a listener that was away, a webhook just made), now and then. */
const SWEEP_MS = 10_000;

export const deliveryWorkflowId = (deliveryId: string, redelivery?: number) =>
  `webhook-${deliveryId}${redelivery ? `-redelivery-${redelivery}` : ''}`;

/** Starts a delivery's workflow; a second start of the same one is a no-op. */
export async function startDelivery(
  deps: ApiDeps,
  input: WebhookDeliveryInput,
  redelivery?: number,
): Promise<void> {
  try {
    await deps.temporal.workflow.start(WORKFLOW_TYPES.webhookDelivery, {
      taskQueue: deps.config.TASK_QUEUE,
      workflowId: deliveryWorkflowId(input.deliveryId, redelivery),
      // Dispatch may run twice for one event (a crash before its cursor moved); a delivery
      // whose workflow already ran must not be sent again.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [input],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

/**
 * Hands each tenant's new events to its webhooks: per event and matching webhook a delivery
 * row and a delivery workflow. Woken by the event hub's notices; a tenant's cursor row is
 * locked while it is read, so API processes dispatching together never hand an event twice.
 */
export class WebhookDispatcher {
  private readonly running = new Map<string, { again: boolean }>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly deps: ApiDeps,
    private readonly policy: WebhookPolicy,
    private readonly log: (line: string) => void,
  ) {}

  start(hub: EventHub): void {
    hub
      .onNotice((tenantId) => (tenantId ? this.wake(tenantId) : this.sweep()))
      .catch((error: Error) => this.log(`webhooks: listening for events failed: ${error.message}`));
    this.timer = setInterval(() => this.sweep(), SWEEP_MS);
    this.timer.unref();
    this.sweep();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /**
   * A failure after stop() is the service closing its database under a sweep still in flight:
   * the next start sweeps again, so it is not worth an alarming line.
   */
  private failed(what: string): void {
    if (!this.stopped) this.log(`webhooks: ${what}`);
  }

  private sweep(): void {
    if (this.stopped) return;
    dispatchingTenants(this.deps.database.db)
      .then((tenants) => {
        for (const tenantId of tenants) this.wake(tenantId);
      })
      .then(() => this.restartStranded())
      .catch((error: Error) => this.failed(`sweep failed: ${error.message}`));
  }

  private wake(tenantId: string): void {
    const run = this.running.get(tenantId);
    if (run) {
      run.again = true;
      return;
    }
    const state = { again: false };
    this.running.set(tenantId, state);
    (async () => {
      do {
        state.again = false;
        while (!this.stopped && (await this.dispatch(tenantId)) === PAGE) {}
      } while (state.again && !this.stopped);
    })()
      .catch((error: Error) => this.failed(`dispatch for ${tenantId} failed: ${error.message}`))
      .finally(() => this.running.delete(tenantId));
  }

  /** One page of a tenant's events: recorded deliveries, then their workflows. */
  private async dispatch(tenantId: string): Promise<number> {
    const { deps, policy } = this;
    const handed = await inTransaction(deps.database, async (tx) => {
      const cursor = await claimDispatchCursor(tx.sql, tenantId);
      if (cursor === undefined) return { count: 0, deliveries: [] };
      const page = await eventsAfter(tx.db, tenantId, cursor, PAGE);
      const last = page.at(-1);
      if (!last) return { count: 0, deliveries: [] };
      const hooks = await enabledWebhooks(tx.db, tenantId);
      const deliveries = page.flatMap((event) =>
        hooks
          .filter((hook) => wants(hook, event))
          .map((hook) => ({
            id: deliveryIdFor(hook.id, event.id),
            webhookId: hook.id,
            tenantId,
            eventId: event.id,
            eventType: event.type,
          })),
      );
      await insertDeliveries(tx.db, deliveries);
      await advanceDispatchCursor(tx.db, tenantId, last.id);
      return { count: page.length, deliveries };
    });
    // After the commit, so a workflow never looks for a row not yet visible; a start lost to
    // a crash here is made by the sweep (`strandedDeliveries`).
    await Promise.all(
      handed.deliveries.map((delivery) => startDelivery(deps, { deliveryId: delivery.id, policy })),
    );
    return handed.count;
  }

  /** Deliveries recorded a while ago that no attempt has touched: their start was lost. */
  private async restartStranded(): Promise<void> {
    for (const id of await strandedDeliveries(this.deps.database.db, SWEEP_MS * 3)) {
      await startDelivery(this.deps, { deliveryId: id, policy: this.policy });
    }
  }
}
