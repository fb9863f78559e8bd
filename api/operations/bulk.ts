import { createRoute, z } from '@hono/zod-openapi';
import { OPERATION_STATUSES, prioritySchema } from '../../common/domain';
import type { BulkAction } from '../../db/operations';
import type { HandlerRegistry } from '../../handlers/registry';
import { actInBulk, BULK_OUTCOMES } from '../../operations/bulk';
import { requesterOf } from '../../operations/start';
import { jsonBody, jsonResponse } from '../openapi';
import { errorResponses, problems } from '../problems';
import { startContext } from '../use-cases';
import { openApiRouter } from '../validation';
import { operationFilters, operationSummarySchema } from './schemas';

const BULK_LIMIT_DEFAULT = 100;
const BULK_LIMIT_MAX = 500;

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
          outcome: z.enum(BULK_OUTCOMES).optional().openapi({
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
      const { matched, operations } = await actInBulk(
        startContext(c.get('deps'), handlers),
        requesterOf(c.get('principal')),
        action,
        filters,
        { limit, dryRun },
      );
      const entries = operations.map(({ operation, outcome }) => ({
        id: operation.id,
        job: { id: operation.jobId, name: operation.jobName, version: operation.jobVersion },
        status: operation.status,
        ...outcome,
      }));
      const answer = { action, dryRun, matched, operations: entries };
      return dryRun ? c.json(answer, 200) : c.json(answer, 202);
    });
  }

  return app;
}
