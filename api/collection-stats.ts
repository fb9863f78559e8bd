import { Hono } from 'hono';
import { z } from 'zod';
import type { HandlerRegistry } from '../activities/handlers/registry';
import { findJob } from '../db/jobs';
import { resultStats, staleItemIds } from '../db/results';
import type { AppEnv } from './env';
import { loadCollection } from './loaders';
import { startOperation } from './operation-starter';
import { operationSummary } from './operation-view';
import { problems } from './problems';
import { readBody } from './validation';

/** A collection's statistics and the stale-result reprocessing that reads them. */
export function collectionStatsRoutes(handlers: HandlerRegistry) {
  const app = new Hono<AppEnv>();
  // Read per request: a handler's version is whatever the deployed code says now.
  const currentVersions = () =>
    [...handlers.values()].map((handler) => ({ handler: handler.name, version: handler.version }));

  app.get('/:id/stats', async (c) => {
    const collection = await loadCollection(c);
    const { sql } = c.get('deps').database;
    const [results, byStatus] = await Promise.all([
      resultStats(sql, collection.id, currentVersions()),
      sql<{ status: string; count: number }[]>`
        select status, count(*)::int as count from operations
        where tenant_id = ${collection.tenantId}::uuid and collection_id = ${collection.id}::uuid
        group by status`,
    ]);
    return c.json({
      collectionId: collection.id,
      items: collection.itemCount,
      operations: {
        total: collection.operationCount,
        byStatus: Object.fromEntries(byStatus.map((row) => [row.status, row.count])),
      },
      handlers: results,
      stale: results.reduce((sum, row) => sum + row.stale, 0),
    });
  });

  app.post('/:id/reprocess-stale', async (c) => {
    const collection = await loadCollection(c);
    const input = await readBody(c, z.object({ job: z.string().min(1) }));
    const { db, sql } = c.get('deps').database;
    const job = await findJob(db, collection.tenantId, input.job);
    if (!job)
      throw problems.validation([{ name: 'job', reason: `no job "${input.job}" in this tenant` }]);
    const jobHandlers = new Set(job.definition.stages.map((stage) => stage.handler));
    const ids = await staleItemIds(
      sql,
      collection.id,
      currentVersions().filter((entry) => jobHandlers.has(entry.handler)),
    );
    if (ids.length === 0) return c.json({ staleItems: 0, operation: null }, 200);
    const result = await startOperation(c.get('deps'), handlers, c.get('principal'), {
      job: job.id,
      scope: 'items',
      itemIds: ids,
      params: {},
      mode: 'production',
    });
    if (!result.operation) throw new Error('reprocess-stale produced no operation');
    return c.json(
      { staleItems: ids.length, operation: operationSummary(c.get('deps'), result.operation) },
      202,
    );
  });

  return app;
}
