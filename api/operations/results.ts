import { createRoute } from '@hono/zod-openapi';
import { exportResultLines, listOperationResults } from '../../db/results';
import { currentVersions, type HandlerRegistry } from '../../handlers/registry';
import { loadCollection, loadOperation } from '../loaders';
import { jsonResponse, pageOf } from '../openapi';
import { errorResponses, problems } from '../problems';
import { holdQuotaLease } from '../quotas';
import { openApiRouter, uuidPath } from '../validation';
import {
  operationResultSchema,
  operationResultsQuery,
  resultExportLineSchema,
  resultExportQuery,
} from './result-schemas';
import { operationIdPath } from './schemas';

/** Rows an export reads from Postgres per round trip, and so about what it holds at once. */
const EXPORT_BATCH_ROWS = 1_000;

const operationResults = createRoute({
  method: 'get',
  path: '/{id}/results',
  tags: ['operations'],
  summary: 'Outcomes of an operation’s item stages, with their results',
  description:
    'Item stages in stage order, then item id; each with the item’s current result for that stage.',
  request: { params: operationIdPath, query: operationResultsQuery },
  responses: {
    200: jsonResponse(pageOf(operationResultSchema), 'A page of item stages.'),
    ...errorResponses(400, 401, 404, 500, 503),
  },
});

const exportResults = createRoute({
  method: 'get',
  path: '/{id}/results/export',
  tags: ['collections'],
  summary: 'Export a collection’s results as NDJSON, streamed',
  description:
    'One `ResultExportLine` per line, by item id then handler, streamed from a Postgres cursor: any size of collection, in constant memory. A failure after the response began resets the connection, so a cut-short export never looks complete.',
  request: { params: uuidPath('collection'), query: resultExportQuery },
  responses: {
    200: {
      description: 'Newline-delimited JSON; each line is one `ResultExportLine`.',
      content: { 'application/x-ndjson': { schema: resultExportLineSchema } },
    },
    ...errorResponses(400, 401, 404, 429, 500, 503),
  },
});

/** `/v1/operations/{id}/results`: an operation's item stages and their results. */
export function operationResultRoutes(handlers: HandlerRegistry) {
  const app = openApiRouter();

  app.openapi(operationResults, async (c) => {
    const operation = await loadOperation(c, c.req.valid('param').id);
    const query = c.req.valid('query');
    const stages = operation.definition.stages;
    const stageIndex = query.stage
      ? stages.findIndex((stage) => stage.name === query.stage)
      : undefined;
    if (stageIndex === -1) {
      throw problems.missing([
        { name: 'stage', reason: `operation has no stage "${query.stage}"` },
      ]);
    }
    const [afterStage, afterItem] = query.cursor?.split('.').map(Number) ?? [];
    const rows = await listOperationResults(
      c.get('deps').database.sql,
      operation,
      stages,
      currentVersions(handlers),
      {
        stageIndex,
        status: query.status,
        after:
          afterStage === undefined || afterItem === undefined
            ? undefined
            : { stageIndex: afterStage, itemId: afterItem },
        limit: query.limit,
      },
    );
    const last = rows.at(-1);
    return c.json(
      {
        data: rows,
        nextCursor:
          rows.length === query.limit && last ? `${last.stageIndex}.${last.itemId}` : null,
      },
      200,
    );
  });

  return app;
}

/** `/v1/collections/{id}/results/export`: a collection's results, streamed as NDJSON. */
export function resultExportRoutes(handlers: HandlerRegistry) {
  const app = openApiRouter();

  app.openapi(exportResults, async (c) => {
    const collection = await loadCollection(c, c.req.valid('param').id);
    const deps = c.get('deps');
    const pool = deps.exportDatabase ?? deps.database;
    // The tenant's share first (a lease across API processes), then a turn at the export pool
    // for as long as the export streams: past the pool's size, exports wait a bounded time and
    // are then answered 503, and requests never wait for them.
    const releaseLease = await holdQuotaLease(deps.database, collection.tenantId, 'exportsAtOnce');
    const releaseTurn = await (pool.gate?.acquire() ?? Promise.resolve(() => {})).catch(
      async (error: unknown) => {
        await releaseLease();
        throw error;
      },
    );
    const release = () => {
      releaseTurn();
      return releaseLease();
    };
    const batches = exportResultLines(
      pool.sql,
      collection.tenantId,
      collection.id,
      currentVersions(handlers),
      c.req.valid('query'),
      EXPORT_BATCH_ROWS,
    )[Symbol.asyncIterator]();
    // The first batch is read before answering, so Postgres being out of reach is still a
    // problem response rather than an empty export.
    let next: IteratorResult<{ line: string }[]> | undefined;
    try {
      next = await batches.next();
    } catch (error) {
      await release();
      throw error;
    }
    const encoder = new TextEncoder();
    // A pull source rather than Hono's `stream()` helper: the cursor is read only as fast as the
    // client takes lines, and an error mid-way errors the body, which resets the connection,
    // where the helper would end the response as if the export were complete.
    // The batch being read, if any: the driver gives the cursor's connection back only when
    // it is closed between batches, so a client that leaves mid-read waits for it first.
    let reading: Promise<IteratorResult<{ line: string }[]>> | undefined;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          reading = next ? Promise.resolve(next) : batches.next();
          next = undefined;
          const batch = await reading;
          reading = undefined;
          if (batch.done) {
            await release();
            return controller.close();
          }
          controller.enqueue(encoder.encode(`${batch.value.map((row) => row.line).join('\n')}\n`));
        } catch (error) {
          await release();
          throw error;
        }
      },
      // The client went away: closing the cursor gives its connection back to the pool.
      async cancel() {
        await reading?.catch(() => undefined);
        await batches.return?.();
        await release();
      },
    });
    // zod-openapi reads `application/x-ndjson` as a JSON flavour it cannot type and allows no
    // response for it; the body is a plain stream, as documented.
    return c.newResponse(body, 200, { 'content-type': 'application/x-ndjson' }) as never;
  });

  return app;
}
