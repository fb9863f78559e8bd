import { inTransaction } from '../db/client';
import { eventsAfter } from '../db/events';
import { findTenantSettings } from '../db/tenants';
import {
  advanceDispatchCursor,
  claimDispatchCursor,
  DELIVERY_ENDED_NOTICE,
  deliveriesInFlight,
  deliveryIdFor,
  dispatchingTenants,
  enabledWebhooks,
  insertDeliveries,
  wants,
} from '../db/webhooks';
import type { EventHub } from '../events/hub';
import type { WebhookContext } from './context';
import { startDelivery } from './deliveries';

const PAGE = 200;
/** Also without notices (a listener that was away, a webhook just made), now and then. */
const SWEEP_MS = 10_000;

/** What wakes the dispatcher: the event hub's notices. */
export type Notices = Pick<EventHub, 'onNotice'>;

/**
 * Hands each tenant's new events to its webhooks: per event and matching webhook a delivery
 * row, and a delivery workflow for each of the tenant's oldest pending deliveries up to its
 * cap on deliveries in flight (the rest go out as those end). Woken by the event hub's notices
 * (new events, a delivery ended); a tenant's cursor row is locked while it is read, so API
 * processes dispatching together never hand an event twice.
 */
export class WebhookDispatcher {
  private readonly running = new Map<string, { again: boolean; startPending: boolean }>();
  /** Per tenant, the deliveries in flight this process has started (or found started). */
  private readonly started = new Map<string, Set<string>>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly context: WebhookContext,
    private readonly log: (line: string) => void,
  ) {}

  start(notices: Notices): void {
    notices
      .onNotice((notice) => {
        if (!notice) this.sweep();
        else if (notice.startsWith(DELIVERY_ENDED_NOTICE)) {
          this.wake(notice.slice(DELIVERY_ENDED_NOTICE.length), true);
        } else this.wake(notice);
      })
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
    dispatchingTenants(this.context.database.db)
      .then((tenants) => {
        for (const tenantId of tenants) this.wake(tenantId, true);
      })
      .catch((error: Error) => this.failed(`sweep failed: ${error.message}`));
  }

  /**
   * Dispatches the tenant's new events and, when that recorded deliveries, one of its
   * deliveries ended, or `startPending` asks (the sweep), starts what its slots allow.
   */
  private wake(tenantId: string, startPending = false): void {
    const run = this.running.get(tenantId);
    if (run) {
      run.again = true;
      run.startPending ||= startPending;
      return;
    }
    const state = { again: false, startPending };
    this.running.set(tenantId, state);
    (async () => {
      do {
        state.again = false;
        for (;;) {
          if (this.stopped) return;
          const page = await this.dispatch(tenantId);
          if (page.deliveries > 0) state.startPending = true;
          if (page.events < PAGE) break;
        }
        if (state.startPending) {
          state.startPending = false;
          await this.startInFlight(tenantId);
        }
      } while (state.again && !this.stopped);
    })()
      .catch((error: Error) => this.failed(`dispatch for ${tenantId} failed: ${error.message}`))
      .finally(() => this.running.delete(tenantId));
  }

  /** One page of a tenant's events, recorded as pending deliveries; how many of each. */
  private async dispatch(tenantId: string): Promise<{ events: number; deliveries: number }> {
    return inTransaction(this.context.database, async (tx) => {
      const cursor = await claimDispatchCursor(tx.sql, tenantId);
      if (cursor === undefined) return { events: 0, deliveries: 0 };
      const page = await eventsAfter(tx.db, tenantId, cursor, PAGE);
      const last = page.at(-1);
      if (!last) return { events: 0, deliveries: 0 };
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
      return { events: page.length, deliveries: deliveries.length };
    });
  }

  /**
   * Starts the workflows of the tenant's deliveries in flight: its oldest pending ones, up to
   * its cap. Those this process started before are not asked for again; one started elsewhere,
   * or whose start was lost to a crash, is started now (a second start is a no-op).
   */
  private async startInFlight(tenantId: string): Promise<void> {
    const { database, settings } = this.context;
    const ids = await deliveriesInFlight(
      database.sql,
      tenantId,
      settings.policy.maxInFlightPerTenant,
    );
    const known = this.started.get(tenantId) ?? new Set<string>();
    const fresh = ids.filter((id) => !known.has(id));
    const now = new Set(ids.filter((id) => known.has(id)));
    if (fresh.length > 0) {
      const tenantSettings = await findTenantSettings(database.db, tenantId);
      const tenant = { tenantId, fairnessWeight: tenantSettings?.fairnessWeight ?? 1 };
      await Promise.all(
        fresh.map(async (deliveryId) => {
          await startDelivery(this.context, deliveryId, tenant);
          now.add(deliveryId);
        }),
      );
    }
    if (now.size > 0) this.started.set(tenantId, now);
    else this.started.delete(tenantId);
  }
}
