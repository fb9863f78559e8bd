import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { FINISHED_STATUSES } from '../common/domain';
import { listOperationEvents } from '../db/events';
import { stageCounts } from '../db/item-stages';
import { getOperation } from '../db/operations';
import type { AppEnv } from './env';
import { loadOperation } from './loaders';
import { operationDetail } from './operation-view';

/** How often a stream looks for new events and progress. */
const POLL_MS = 1_000;

/**
 * `GET /operations/{id}/stream`: Server-Sent Events. `event` carries each new operation event,
 * `progress` the operation with per-stage counts when it changed; the stream ends after the
 * operation finishes.
 */
export function operationStreamRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/:id/stream', async (c) => {
    const first = await loadOperation(c);
    const deps = c.get('deps');
    return streamSSE(c, async (stream) => {
      let afterId = 0;
      let lastProgress = '';
      let closed = false;
      stream.onAbort(() => {
        closed = true;
      });
      while (!closed) {
        const operation = await getOperation(deps.database.db, first.tenantId, first.id);
        if (!operation) break;
        for (const event of await listOperationEvents(deps.database.db, first.tenantId, first.id, {
          afterId,
          limit: 500,
        })) {
          afterId = event.id;
          await stream.writeSSE({
            event: 'event',
            id: String(event.id),
            data: JSON.stringify(event),
          });
        }
        const stages = await stageCounts(
          deps.database.sql,
          operation.id,
          operation.definition.stages.length,
        );
        const progress = JSON.stringify(operationDetail(deps, operation, stages));
        if (progress !== lastProgress) {
          lastProgress = progress;
          await stream.writeSSE({ event: 'progress', data: progress });
        }
        if (FINISHED_STATUSES.includes(operation.status)) break;
        await stream.sleep(POLL_MS);
      }
    });
  });

  return app;
}
