import { DEFAULT_LEDGER_VERSION } from '../common/domain';
import { webhookPolicy } from '../common/webhooks';
import type { HandlerRegistry } from '../handlers/registry';
import type { ControlContext } from '../operations/actions';
import type { StartContext } from '../operations/start';
import type { WebhookContext } from '../webhooks/context';
import type { ApiDeps } from './env';

/** The narrow context the start use case takes, from what the API was built with. */
export const startContext = (deps: ApiDeps, handlers: HandlerRegistry): StartContext => ({
  database: deps.database,
  temporal: deps.temporal,
  handlers,
  settings: {
    taskQueue: deps.config.TASK_QUEUE,
    chunkSize: deps.config.CHUNK_SIZE,
    batchSize: deps.config.BATCH_SIZE,
    historyEventsLimit: deps.config.HISTORY_EVENTS_LIMIT,
    ledger: deps.config.LEDGER_VERSION ?? DEFAULT_LEDGER_VERSION,
  },
});

/** What steering existing operations and jobs takes: the records and Temporal. */
export const controlContext = (deps: ApiDeps): ControlContext => ({
  database: deps.database,
  temporal: deps.temporal,
});

/** The narrow context the webhook use cases and the dispatcher take. */
export const webhookContext = (deps: ApiDeps): WebhookContext => ({
  database: deps.database,
  temporal: deps.temporal,
  settings: { taskQueue: deps.config.TASK_QUEUE, policy: webhookPolicy(deps.config) },
});
