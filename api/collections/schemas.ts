import { z } from '@hono/zod-openapi';
import { MAX_ITEM_DATA_BYTES, MAX_ITEMS_PER_UPSERT } from '../../common/constants';
import { ITEM_STATE_FILTERS, OPERATION_STATUSES } from '../../common/domain';
import { jsonObject, timestamp } from '../openapi';
import { itemStateSchema } from '../operations/result-schemas';
import { limitQuery, nameText, queryInteger, uuidCursorQuery } from '../validation';

export const collectionInput = z
  .object({
    name: nameText({
      description: 'Unique within the tenant.',
      example: 'product-pages',
    }),
    description: z.string().max(2_000).optional().openapi({ description: 'Free text.' }),
    metadata: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: 'Any JSON object, kept as given.' }),
  })
  .openapi('CollectionInput');

export const collectionPatch = collectionInput
  .partial()
  .openapi('CollectionPatch', { description: 'The fields to change; the others stay.' });

export const collectionSchema = z
  .object({
    id: z.uuid(),
    tenantId: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    metadata: jsonObject('As given at creation or last update.'),
    itemCount: z.number().int().openapi({ description: 'Items in the collection now.' }),
    createdAt: timestamp('When the collection was created.'),
    updatedAt: timestamp('Last change to the collection or its items.'),
  })
  .openapi('Collection');

export const collectionSummarySchema = collectionSchema
  .extend({
    operationCount: z
      .number()
      .int()
      .openapi({ description: 'Operations ever run over this collection.' }),
    lastOperation: z
      .object({
        id: z.string(),
        status: z.string().openapi({ enum: [...OPERATION_STATUSES] }),
        createdAt: timestamp('When it was started.'),
      })
      .nullable()
      .openapi({ description: 'The newest operation over this collection; null if none.' }),
  })
  .openapi('CollectionSummary');

export const collectionListQuery = z.object({
  limit: limitQuery(500, 50),
  cursor: uuidCursorQuery,
});

/**
 * Most bytes of item data (serialised, UTF-8) one upsert may carry in all: below the body limit,
 * so a batch of large items is refused naming `items` and this limit rather than the transport.
 */
export const MAX_UPSERT_DATA_BYTES = 8 * 1024 * 1024;

const itemInput = z.object({
  key: z.string().min(1).max(2_048).openapi({
    description: 'Unique within the collection: a URL, a path, an external id.',
    example: 'https://example.com/page/1',
  }),
  data: z
    .unknown()
    .default({})
    .openapi({
      description: `Any JSON, at most ${MAX_ITEM_DATA_BYTES} bytes serialised (UTF-8); \`{}\` when omitted.`,
      example: { url: 'https://example.com/page/1' },
    }),
});

/** Each item's data within its bound, and all of them within the upsert's, serialised once. */
function boundDataBytes(items: { data: unknown }[], context: z.RefinementCtx): void {
  let total = 0;
  items.forEach((item, index) => {
    const bytes = Buffer.byteLength(JSON.stringify(item.data ?? {}));
    total += bytes;
    if (bytes > MAX_ITEM_DATA_BYTES) {
      context.addIssue({
        code: 'custom',
        path: [index, 'data'],
        message: `must serialise to at most ${MAX_ITEM_DATA_BYTES} bytes of JSON (has ${bytes}); keep large payloads elsewhere and store a reference`,
      });
    }
  });
  if (total > MAX_UPSERT_DATA_BYTES) {
    context.addIssue({
      code: 'custom',
      message: `the items' data must serialise to at most ${MAX_UPSERT_DATA_BYTES} bytes of JSON in all (has ${total}); split the items into several requests`,
    });
  }
}

export const upsertInput = z
  .object({
    items: z
      .array(itemInput)
      .min(1)
      .max(MAX_ITEMS_PER_UPSERT)
      .superRefine(boundDataBytes)
      .openapi({
        description: `Inserted, or updated when the key exists (the last one wins). Their data is at most ${MAX_UPSERT_DATA_BYTES} bytes serialised in all.`,
      }),
  })
  .openapi('ItemUpsert');

export const upsertResult = z.object({
  inserted: z.number().int().openapi({ description: 'Keys that were new.' }),
  updated: z.number().int().openapi({ description: 'Keys that existed; their data was replaced.' }),
  received: z.number().int().openapi({ description: 'Items in the request.' }),
});

export const itemSchema = z
  .object({
    id: z.number().int().openapi({ description: 'The item id, used by `itemIds` of a start.' }),
    key: z.string(),
    data: z.unknown().openapi({ description: 'The item data as last upserted.' }),
    createdAt: timestamp('When the key was first upserted.'),
    updatedAt: timestamp('When its data was last upserted.'),
  })
  .openapi('Item');

export const itemListQuery = z.object({
  limit: limitQuery(1_000, 100),
  cursor: queryInteger({
    min: 0,
    description: 'The `nextCursor` of the previous page (an item id); omit for the first page.',
  }).optional(),
  keyPrefix: z
    .string()
    .max(2_048)
    .optional()
    .openapi({ description: 'Only items whose key starts with this.' }),
  job: z.string().min(1).max(200).optional().openapi({
    description:
      'A job, by name or id: each item then carries `states`, its latest final outcome per stage across the job’s production runs.',
  }),
  state: z.enum(ITEM_STATE_FILTERS).optional().openapi({
    description:
      'With `job`: only items unprocessed (no final outcome in one of its stages), failed (the latest outcome in one of them failed) or processed (final in every stage, none failed).',
  }),
});

/** A listed item, with its states when the list names a job. */
export const listedItemSchema = itemSchema
  .extend({
    states: z.array(itemStateSchema).optional().openapi({
      description: 'Its latest final outcome per stage of the job the list names (none yet: []).',
    }),
  })
  .openapi('ListedItem');

export const itemDeleteInput = z.object({
  keys: z
    .array(z.string().min(1).max(2_048))
    .min(1)
    .max(MAX_ITEMS_PER_UPSERT)
    .openapi({ description: 'Keys of the items to delete; unknown keys are ignored.' }),
});
