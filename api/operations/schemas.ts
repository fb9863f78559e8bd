import { z } from '@hono/zod-openapi';
import {
  ITEM_STAGE_STATUSES,
  OPERATION_MODES,
  OPERATION_STATUSES,
  retryPolicySchema,
  SCOPE_KINDS,
} from '../../common/domain';
import { startRequest } from '../../operations/request';
import { jsonObject, timestamp } from '../openapi';
import {
  commaListQuery,
  cursorQuery,
  limitQuery,
  queryDateTime,
  queryInteger,
} from '../validation';

const count = (description: string) => z.number().int().openapi({ description });

/** An operation's id in a path; an id that is not in the tenant is a 404. */
export const operationIdPath = z.object({
  id: z.string().openapi({
    param: { name: 'id', in: 'path' },
    description: 'The operation id (also its Temporal workflow id).',
    example: 'op-3b1f0c0e9d2a4c6b8e7f5a4d3c2b1a09',
  }),
});

export const operationSummarySchema = z
  .object({
    id: z.string().openapi({
      description: 'The operation id, also its Temporal workflow id.',
      example: 'op-3b1f0c0e9d2a4c6b8e7f5a4d3c2b1a09',
    }),
    status: z.enum(OPERATION_STATUSES),
    mode: z.enum(OPERATION_MODES),
    priority: z
      .number()
      .int()
      .min(1)
      .max(5)
      .openapi({ description: '1 (most urgent) to 5: the order Temporal dispatches its work in.' }),
    job: z
      .object({
        id: z.uuid().nullable().openapi({ description: 'Null once the job was deleted.' }),
        name: z.string(),
        version: z.number().int().openapi({ description: 'The job version this run uses.' }),
      })
      .openapi({ description: 'The job as it was when the operation started.' }),
    scope: z.object({
      kind: z.enum(SCOPE_KINDS),
      collectionId: z.uuid().nullable(),
      itemCount: z
        .number()
        .int()
        .optional()
        .openapi({ description: 'For explicit item lists: how many items.' }),
    }),
    params: jsonObject('Params laid over every stage’s own.'),
    counts: z
      .object({
        items: count('Items in the operation.'),
        done: count('Items done in every stage.'),
        failed: count('Items that failed a stage.'),
        skipped: count('Items skipped.'),
        pending: count('Items not finished yet.'),
      })
      .openapi({ description: 'Item counts over the whole operation.' }),
    requestedBy: z
      .string()
      .nullable()
      .openapi({ description: 'Name of the API key that started it.' }),
    requestedFor: z
      .string()
      .nullable()
      .openapi({ description: 'The end user it is for, as its start named them.' }),
    retryOf: z
      .string()
      .nullable()
      .openapi({ description: 'The operation whose failed items this one retries.' }),
    scheduleId: z
      .string()
      .nullable()
      .openapi({ description: 'The schedule that started it, if one did.' }),
    error: z.string().nullable().openapi({ description: 'Why it failed, when it did.' }),
    temporal: z
      .object({
        workflowId: z.string(),
        runId: z.string().nullable(),
        namespace: z.string(),
        uiUrl: z
          .string()
          .nullable()
          .openapi({ description: 'The run’s history in the Temporal Web UI, when known.' }),
      })
      .openapi({ description: 'Where to find the run in Temporal.' }),
    createdAt: timestamp('When it was recorded.'),
    startedAt: timestamp('When its workflow began work.').nullable(),
    finishedAt: timestamp('When it reached a final status.').nullable(),
  })
  .openapi('Operation');

export const stageProgressSchema = z
  .object({
    name: z.string(),
    handler: z.string(),
    items: count('Item stages in this stage.'),
    pending: count('Not claimed yet.'),
    inProgress: count('Claimed by a running batch.'),
    done: count('Done.'),
    failed: count('Failed for good.'),
    skipped: count('Skipped (an earlier stage failed).'),
  })
  .openapi('StageProgress');

/** An operation with per-stage progress, as the stream's `progress` messages carry it. */
export const operationProgressSchema = operationSummarySchema
  .extend({ stages: z.array(stageProgressSchema) })
  .openapi('OperationProgress');

export const operationDetailSchema = operationProgressSchema
  .extend({
    costs: z
      .array(
        z.object({
          stageName: z.string(),
          unit: z.string().openapi({ example: 'usd' }),
          amount: z.number(),
          items: count('Items that reported a cost.'),
        }),
      )
      .openapi({ description: 'Costs reported by handlers, per stage and unit.' }),
  })
  .openapi('OperationDetail');

export const dryRunSchema = z
  .object({
    mode: z.literal('dry_run'),
    job: z.string().openapi({ description: 'The job as named in the request.' }),
    plan: z.object({
      items: count('Items in scope (before limit and itemKeys).'),
      sampleKeys: z.array(z.string()).openapi({ description: 'The first few keys in scope.' }),
      chunks: count('Child workflows the items would be split into.'),
      discovery: z
        .object({ stage: z.string().optional(), note: z.string() })
        .nullable()
        .openapi({ description: 'Set when the job begins with a discovery stage.' }),
      stages: z.array(
        z.object({
          name: z.string(),
          handler: z.string(),
          params: jsonObject('The stage’s params with the operation’s laid over them.'),
          batchSize: count('Items in the first batch.'),
          adaptiveBatchSize: z
            .boolean()
            .openapi({ description: 'True when the batch size adapts toward ~1 s per batch.' }),
          concurrency: count('Items processed at once inside a batch.'),
          rateLimitPerSecond: z.number().nullable(),
          batches: count('Batch activities the stage would run.'),
          retry: retryPolicySchema,
        }),
      ),
    }),
  })
  .openapi('DryRunPlan');

/** What GET /v1/operations filters by; the bulk actions select operations by the same fields. */
export const operationFilters = z.object({
  status: commaListQuery(OPERATION_STATUSES, 'statuses', 'running,paused'),
  job: z.string().optional().openapi({
    description:
      'Job name (every operation run under that name) or job id (the operations of that job).',
  }),
  collectionId: z.uuid().optional(),
  scope: z.enum(SCOPE_KINDS).optional(),
  requestedBy: z
    .string()
    .optional()
    .openapi({ description: 'Name of the API key that started it.' }),
  requestedFor: z
    .string()
    .optional()
    .openapi({ description: 'The end user it is for, as its start named them.' }),
  scheduleId: z
    .string()
    .regex(/^sch-[0-9a-f-]{36}$/)
    .optional()
    .openapi({ description: 'Only operations this schedule started.' }),
  priority: queryInteger({
    min: 1,
    max: 5,
    description: 'Only operations of this priority.',
  }).optional(),
  createdAfter: queryDateTime('Only operations created after this time.').optional(),
  createdBefore: queryDateTime('Only operations created before this time.').optional(),
});

export const operationListQuery = operationFilters.extend({
  limit: limitQuery(500, 50),
  cursor: cursorQuery,
});

export const operationItemsQuery = z.object({
  stage: z
    .string()
    .optional()
    .openapi({ description: 'Stage name whose status filters and pages (the first by default).' }),
  status: z.enum(ITEM_STAGE_STATUSES).optional(),
  cursor: queryInteger({
    min: -1,
    description: 'The `nextCursor` of the previous page (an item id); omit for the first page.',
  }).optional(),
  limit: limitQuery(1_000, 100),
});

export const operationItemSchema = z
  .object({
    itemId: z.number().int().openapi({ description: '0 for the one item of a global operation.' }),
    key: z.string(),
    stages: z.array(
      z.object({
        stage: z.string(),
        status: z.enum(ITEM_STAGE_STATUSES),
        attempts: count('Claims of this item in this stage.'),
        error: z.string().nullable(),
        durationMs: z.number().nullable(),
      }),
    ),
  })
  .openapi('OperationItem');

export const eventsQuery = z.object({
  after: queryInteger({ min: 0, description: 'Only events with a larger id.' }).optional(),
  limit: limitQuery(1_000, 200),
});

export const cancelResultSchema = z
  .object({
    id: z.string(),
    status: z.enum(['cancelling', 'cancelled']).openapi({
      description:
        '`cancelling`: its workflow was asked to stop; follow GET /v1/operations/{id} until it says `cancelled`. `cancelled`: it had no workflow to ask, and its record says so already.',
    }),
  })
  .openapi('OperationCancel');

export const controlResultSchema = z
  .object({
    id: z.string(),
    status: z.enum(OPERATION_STATUSES),
    chunksTotal: count('Chunks (child workflows) of the operation.'),
    chunksDone: count('Chunks finished.'),
    paused: z.boolean(),
  })
  .openapi('OperationControl');

/**
 * The scope rules `startOperation` applies, stated for the document: a collection (scope
 * omitted or "collection"), items (with `itemIds`) or global; `only: "stale"` picks items of a
 * collection, so it fits the first alone. Schedules take the same fields.
 */
export const SCOPE_RULES = {
  anyOf: [
    { required: ['collectionId'], properties: { scope: { const: 'collection' } } },
    { required: ['itemIds'], properties: { scope: { const: 'items' }, only: false } },
    { required: ['scope'], properties: { scope: { const: 'global' }, only: false } },
  ],
} as object;

/**
 * The body of `POST /v1/operations`: the use case's request, with its scope rules. Made anew
 * from its shape: zod 4 gives a schema its methods when it is built, so one built before this
 * module's zod was extended (a worker loads operations/ first) has no `.openapi`.
 */
export const startOperationInput = z.object(startRequest.shape).openapi(SCOPE_RULES);
