import { z } from '@hono/zod-openapi';
import { ITEM_STAGE_STATUSES, OUTCOME_STATUSES } from '../../common/domain';
import { timestamp } from '../openapi';
import { limitQuery } from '../validation';

/** How many item stages an item's history shows at most. */
export const ITEM_HISTORY_LIMIT = 100;

const count = (description: string) => z.number().int().openapi({ description });
const stageStatus = z.enum(ITEM_STAGE_STATUSES).openapi({ description: 'The item stage’s state.' });

/** What an item stage says of its item, in an item's history and in an operation's results. */
const itemStageFields = {
  status: stageStatus,
  attempts: count('Claims of the item in this stage.'),
  error: z
    .string()
    .nullable()
    .openapi({ description: 'Why the item failed or was skipped; null otherwise.' }),
  startedAt: timestamp('When the handler last began on the item.').nullable(),
  finishedAt: timestamp('When the item stage reached its final state.').nullable(),
  durationMs: z
    .number()
    .nullable()
    .openapi({ description: 'How long the handler took on the item, in ms; null until it ran.' }),
};

/** A collection id and an item id in a path; either unknown in the tenant is a 404. */
export const itemPath = z.object({
  id: z.uuid().openapi({
    param: { name: 'id', in: 'path' },
    description: "The collection's id.",
    example: '0b5e3f4c-5d0e-4c5a-9a53-2f1f0e7f6d4a',
  }),
  // A string checked by the route: an id that cannot exist is a 404 for the item, where this
  // router's validation hook would name the collection.
  itemId: z.string().openapi({
    param: { name: 'itemId', in: 'path' },
    type: 'integer',
    description: 'The item id, as item listings return it.',
    example: 42,
  }),
});

export const resultSchema = z
  .object({
    stage: z.string().openapi({ description: 'The stage that stored the result.' }),
    handler: z.string().openapi({ description: 'The handler that returned it.' }),
    handlerVersion: z.string().openapi({ description: 'The handler version stamped on it.' }),
    currentVersion: z.string().nullable().openapi({
      description: 'The version the workers run now; null when none offers the handler.',
    }),
    stale: z.boolean().openapi({
      description:
        'True when `currentVersion` is known and differs from `handlerVersion`: reprocess-stale would run the item again.',
    }),
    output: z.unknown().openapi({ description: 'What the handler returned.' }),
    operationId: z
      .string()
      .nullable()
      .openapi({ description: 'The operation that stored the result.' }),
    updatedAt: timestamp('When the result was stored.'),
  })
  .openapi('Result');

const historyEntrySchema = z
  .object({
    operationId: z.string().openapi({ description: 'The operation the item stage belongs to.' }),
    jobName: z.string().openapi({ description: 'The job the operation ran.' }),
    stage: z.string().openapi({ description: 'The stage’s name in that job.' }),
    handlerVersion: z
      .string()
      .nullable()
      .openapi({ description: 'The handler version that ran; null until it ran.' }),
    ...itemStageFields,
  })
  .openapi('ItemHistoryEntry');

/** An item's latest final outcome in one stage of a job, across that job's production runs. */
export const itemStateSchema = z
  .object({
    job: z.string().openapi({ description: 'The job, by the name its latest run had.' }),
    stage: z.string().openapi({ description: 'The stage’s name.' }),
    status: z.enum(OUTCOME_STATUSES).openapi({ description: 'Its latest final outcome.' }),
    operationId: z.string().openapi({ description: 'The operation that recorded it.' }),
    finishedAt: timestamp('When it was recorded.').nullable(),
  })
  .openapi('ItemState');

export const itemDetailSchema = z
  .object({
    id: z.number().int().openapi({ description: 'The item id.' }),
    key: z.string().openapi({ description: 'Unique within the collection.' }),
    data: z.unknown().openapi({ description: 'The item data as last upserted.' }),
    createdAt: timestamp('When the key was first upserted.'),
    updatedAt: timestamp('When its data was last upserted.'),
    results: z.array(resultSchema).openapi({
      description: 'The latest result of each stage that stored one, by stage name.',
    }),
    history: z.array(historyEntrySchema).openapi({
      description: `The item’s stages across operations, newest operation first (last stage first within one); at most the ${ITEM_HISTORY_LIMIT} newest.`,
    }),
    states: z.array(itemStateSchema).openapi({
      description:
        'Per job that ran over it in production and per stage, its latest final outcome: what `only: "unprocessed"` and `only: "failed"` select by.',
    }),
  })
  .openapi('ItemDetail');

export const operationResultSchema = z
  .object({
    itemId: z.number().int().openapi({ description: '0 for the one item of a global operation.' }),
    key: z.string().openapi({ description: 'The item key; `global` for a global operation.' }),
    stageIndex: count('The stage’s position in the job, from 0.'),
    stage: z.string().openapi({ description: 'The stage’s name.' }),
    handler: z.string().openapi({ description: 'The stage’s handler.' }),
    ...itemStageFields,
    // A union, not `.nullable()`: on a named schema with a description the generator writes
    // `allOf` of the schema and a nullable object, which `null` cannot satisfy.
    result: z.union([resultSchema, z.null()]).openapi({
      description:
        'The item’s current result for this stage; a later operation may have replaced the one this operation stored (see its `operationId`). Null when none is stored.',
    }),
  })
  .openapi('OperationResult');

const RESULTS_CURSOR = /^\d{1,4}\.\d{1,15}$/;

export const operationResultsQuery = z.object({
  stage: z
    .string()
    .optional()
    .openapi({ description: 'Only this stage (by name); every stage by default.' }),
  status: stageStatus.optional(),
  cursor: z
    .string()
    // Stage index and item id, bounded so that any cursor the pattern allows is a position.
    .regex(RESULTS_CURSOR, 'is not a cursor this API returned')
    .optional()
    .openapi({
      pattern: RESULTS_CURSOR.source,
      description: 'The `nextCursor` of the previous page; omit for the first page.',
    }),
  limit: limitQuery(1_000, 100),
});

export const resultExportQuery = z.object({
  stage: z
    .string()
    .optional()
    .openapi({ description: 'Only results stored by stages of this name.' }),
  stale: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .openapi({
      type: 'string',
      enum: ['true', 'false'],
      description: 'Only stale results (`true`) or only current ones (`false`).',
    }),
});

export const resultExportLineSchema = resultSchema
  .extend({
    itemId: z.number().int().openapi({ description: 'The item id.' }),
    key: z.string().openapi({ description: 'The item key.' }),
  })
  .openapi('ResultExportLine', {
    description: 'One line of a results export: a result with its item.',
  });
