import type { Client } from '@temporalio/client';
import type { Config } from '../common/config';
import type { WebhookSettings } from '../common/webhooks';
import type { Database } from '../db/client';
import type { Principal } from '../db/tenants';

/** What the API needs from the outside; built by the entry point, passed to `createApp`. */
export interface ApiDeps {
  config: Pick<
    Config,
    'TASK_QUEUE' | 'TEMPORAL_NAMESPACE' | 'BATCH_SIZE' | 'CHUNK_SIZE' | 'HISTORY_EVENTS_LIMIT'
  > &
    Partial<
      Pick<
        Config,
        | 'SSE_MAX_CONNECTIONS'
        | 'SSE_KEEPALIVE_SECONDS'
        | 'SSE_MAX_QUEUED_EVENTS'
        | 'SSE_MAX_QUEUED_BYTES'
        | 'SSE_KEY_CHECK_SECONDS'
        | 'LEDGER_VERSION'
      >
    > &
    Partial<WebhookSettings> & {
      temporalUiUrl?: string;
    };
  database: Database;
  /** Result exports' own small pool, so a slow export never holds a request's connection. */
  exportDatabase?: Database;
  temporal: Client;
}

/** Hono's typed context: request-scoped values set by middleware. */
export interface AppEnv {
  Variables: {
    deps: ApiDeps;
    principal: Principal;
    requestId: string;
    /** The operation a request made or named, for its log line. */
    operationId: string;
  };
}
