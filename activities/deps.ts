import type { Client } from '@temporalio/client';
import type { LedgerVersion } from '../common/domain';
import type { RetentionFloor } from '../common/maintenance';
import type { WebhookPolicy } from '../common/webhooks';
import type { Database } from '../db/client';
import type { HostAccess } from '../handlers/define';
import type { HandlerRegistry } from '../handlers/registry';

/** What the worker hands to `createActivities`; activities reach for nothing else. */
export interface ActivityDeps {
  database: Database;
  handlers: HandlerRegistry;
  /** For maintenance, which asks Temporal how workflows ended. */
  temporal: Client;
  /** The deployment's retention: maintenance deletes nothing younger, whatever its input says. */
  retention: RetentionFloor;
  /** The worker's webhook settings (where deliveries may connect); safe defaults without. */
  webhooks?: WebhookPolicy;
  /** The files and network handlers may reach; without it, none (createHostAccess's default). */
  host?: HostAccess;
  /** The ledger schedules' runs are recorded in (LEDGER_VERSION); the default's without. */
  ledger?: LedgerVersion;
}
