import { createRoute, z } from '@hono/zod-openapi';
import { OPERATION_STATUSES, prioritySchema } from '../common/domain';
import { coerceError } from '../common/errors';
import { type BulkAction, bulkCandidates, type Operation } from '../db/operations';
import type { HandlerRegistry } from '../handlers/registry';
import { problemOf } from './domain-errors';
import type { ApiDeps } from './env';
import { jsonBody, jsonResponse } from './openapi';
import { cancelOperation, type Requester, retryFailedItems } from './operation-control';
import { operationFilters, operationSummarySchema } from './operation-schemas';
import { errorResponses, problems } from './problems';
import { openApiRouter } from './validation';

const BULK_LIMIT_DEFAULT = 100;
const BULK_LIMIT_MAX = 500;
/** Operations acted on at once: each is a Temporal call or a start, not worth more parallelism. */
const PARALLEL_ACTIONS = 8;

const bulkInput = operationFilters
  .extend({
    // A number in a JSON body; the list's query carries it as text.
    priority: prioritySchema
      .optional()
      .openapi({ description: 'Only operations of this priority.' }),
    dryRun: z.boolean().default(false).openapi({
      description: 'True: only say how many operations match and which ones it would act on.',
    }),
    limit: z
      .number()
      .int()
      .min(1)
      .max(BULK_LIMIT_MAX)
      .default(BULK_LIMIT_DEFAULT)
      .openapi({
        description: `Act on at most this many, newest first (default ${BULK_LIMIT_DEFAULT}, at most ${BULK_LIMIT_MAX}); repeat the request for the rest.`,
      }),
  })
  .openapi('OperationBulkInput', {
    description:
      'The filters of GET /v1/operations, in the same form (`status` comma-separated), at least one of them.',
    // "At least one filter", as the route checks it, for the document.
    anyOf: Object.keys(operationFilters.shape).map((name) => ({ required: [name] })),
  } as object);

const OUTCOMES = [
  'cancelling',
  'cancelled',
  'retried',
  'already_retried',
  'skipped',
  'error',
] as const;

const bulkResult = z
  .object({
    action: z.enum(['cancel', 'retry']),
    dryRun: z.boolean(),
    matched: z.number().int().openapi({
      description:
        'Operations matching the filters that the action applies to: unfinished ones for cancel, finished ones with failed items for retry.',
    }),
    operations: z
      .array(
        z.object({
          id: z.string(),
          job: operationSummarySchema.shape.job,
          status: z.enum(OPERATION_STATUSES).openapi({ description: 'Its status before acting.' }),
          outcome: z.enum(OUTCOMES).optional().openapi({
            description:
              'What happened to it (absent on a dry run): `cancelling` (its workflow was asked to stop), `cancelled` (it had no workflow; recorded cancelled), `retried` (`retryId` started), `already_retried` (an earlier bulk retry started `retryId`), `skipped` (its state changed meanwhile; see `detail`), `error` (see `detail`; retry the request).',
          }),
          retryId: z.string().optional().openapi({ description: 'The retry operation.' }),
          detail: z.string().optional(),
        }),
      )
      .openapi({ description: 'The newest `limit` of the matched operations.' }),
  })
  .openapi('OperationBulkResult');

const bulkRoute = (action: BulkAction) =>
  createRoute({
    method: 'post',
    path: `/${action}`,
    tags: ['operations'],
    summary:
      action === 'cancel'
        ? 'Cancel the unfinished operations that match filters (or preview it)'
        : 'Retry the failed items of the finished operations that match filters (or preview it)',
    description:
      action === 'cancel'
        ? 'Each operation is cancelled as by POST /v1/operations/{id}/cancel and gets an `operation.cancel_requested` event.'
        : 'Each operation is retried as by POST /v1/operations/{id}/retry and gets an `operation.retried` event; repeating the request does not retry an operation twice.',
    request: { body: jsonBody(bulkInput) },
    responses: {
      200: jsonResponse(bulkResult, 'A dry run: what would be acted on.'),
      202: jsonResponse(bulkResult, 'Acted on each operation; `outcome` says how.'),
      ...errorResponses(400, 401, 403, 413, 415, 500, 503),
    },
  });

type BulkEntry = z.infer<typeof bulkResult>['operations'][number];

async function act(
  deps: ApiDeps,
  handlers: HandlerRegistry,
  action: BulkAction,
  operation: Operation,
  requester: Requester,
): Promise<Partial<BulkEntry>> {
  try {
    if (action === 'cancel') return { outcome: await cancelOperation(deps, operation, requester) };
    // Keyed by the retried operation, so a repeated bulk retry finds its earlier retry.
    const result = await retryFailedItems(
      deps,
      handlers,
      operation,
      requester,
      `retry-of:${operation.id}`,
    );
    return {
      outcome: result.operation && !result.created ? 'already_retried' : 'retried',
      retryId: result.operation?.id,
    };
  } catch (thrown) {
    const problem = problemOf(thrown);
    if (problem && problem.status < 500) {
      return { outcome: 'skipped', detail: problem.detail ?? problem.title };
    }
    return { outcome: 'error', detail: coerceError(thrown).message };
  }
}

/** Runs `work` over `items`, a few at a time, keeping their order in the answer. */
async function mapBounded<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_ACTIONS, items.length) }, lane));
  return results;
}

/** `POST /v1/operations/cancel` and `/retry`: act on every operation a filter selects. */
export function operationBulkRoutes(handlers: HandlerRegistry) {
  const app = openApiRouter();

  for (const action of ['cancel', 'retry'] as const) {
    app.openapi(bulkRoute(action), async (c) => {
      const { dryRun, limit, ...filters } = c.req.valid('json');
      // An empty filter would select every operation of the tenant: that has to be said.
      if (Object.values(filters).every((value) => value === undefined)) {
        throw problems.validation(
          [
            {
              name: '(body)',
              reason: `give at least one filter (${Object.keys(operationFilters.shape).join(', ')}); status alone selects by status`,
            },
          ],
          'body',
        );
      }
      const deps = c.get('deps');
      const { matched, rows } = await bulkCandidates(
        deps.database.db,
        c.get('principal').tenantId,
        filters,
        action,
        limit,
      );
      const listed = rows.map((row) => ({
        id: row.id,
        job: { id: row.jobId, name: row.jobName, version: row.jobVersion },
        status: row.status,
      }));
      if (dryRun) return c.json({ action, dryRun, matched, operations: listed }, 200);
      const requester = { principal: c.get('principal'), bulk: true };
      const outcomes = await mapBounded(rows, (row) => act(deps, handlers, action, row, requester));
      return c.json(
        {
          action,
          dryRun,
          matched,
          operations: listed.map((entry, index) => ({ ...entry, ...outcomes[index] })),
        },
        202,
      );
    });
  }

  return app;
}
