import { z } from 'zod';
import { ITEM_SELECTIONS, OPERATION_MODES, prioritySchema, SCOPE_KINDS } from '../common/domain';
import { MAX_STAGES } from '../common/limits';

/**
 * What a start asks for: the body of `POST /v1/operations`, and what a schedule stores and
 * starts on every run (its record is parsed again here, so a run starts what a request would).
 * The API adds its document's scope rules (api/operations/schemas.ts).
 */
export const startRequest = z.object({
  job: z.string().min(1, 'name or id of a job').describe('Name or id of the job to run.'),
  scope: z
    .enum(SCOPE_KINDS)
    .optional()
    .describe('What the operation covers; implied by collectionId or itemIds when omitted.'),
  collectionId: z.uuid().optional().describe('For scope "collection": every item of it.'),
  itemIds: z
    .array(z.number().int().positive().max(Number.MAX_SAFE_INTEGER))
    .min(1)
    .max(1_000_000)
    .optional()
    .describe('For scope "items": these items, across collections.'),
  params: z
    .record(z.string(), z.unknown())
    .default({})
    .describe("Laid over every stage's own params, and checked against each handler."),
  mode: z
    .enum(OPERATION_MODES)
    .default('production')
    .describe('test: one item (or limit), no results kept; dry_run: only the plan.'),
  limit: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .optional()
    .describe('At most this many items (test mode: 1 unless given).'),
  stages: z
    .array(z.string().min(1))
    .min(1)
    .max(MAX_STAGES)
    .optional()
    .describe("Only these stages of the job, by name, in the job's order."),
  only: z
    .enum(ITEM_SELECTIONS)
    .optional()
    .describe(
      "Only some of the collection's items, by their state across production runs of this job (needs a collectionId): stale, those whose result from one of the job's handlers is older than that handler's current version; unprocessed, those without a final outcome in one of the stages (new items, and items a cancelled or failed run never reached); failed, those whose latest outcome in one of the stages failed.",
    ),
  itemKeys: z
    .array(z.string().min(1))
    .min(1)
    .max(10_000)
    .optional()
    .describe('Only the items with these keys.'),
  requestedFor: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'The end user this run is for, in your own ids (not an API key): stored, shown, filterable in lists and bulk actions, and carried in its events and webhooks.',
    ),
  priority: prioritySchema
    .optional()
    .describe("1 (most urgent) to 5; the job's priority (3 unless it names one) when omitted."),
  idempotencyKey: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'Repeating a start with the same key returns (or finishes starting) the same operation.',
    ),
});
export type StartRequest = z.infer<typeof startRequest>;
