import type { HandlerRegistry } from '../handlers/registry';
import type { ControlContext } from '../operations/actions';
import type { StartContext } from '../operations/start';
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
  },
});

/** What steering existing operations and jobs takes: the records and Temporal. */
export const controlContext = (deps: ApiDeps): ControlContext => ({
  database: deps.database,
  temporal: deps.temporal,
});
