/**
 * Conveyor's domain types. Glossary (docs/architecture.md):
 * - tenant: an isolated account; every row and every API call belongs to one.
 * - collection: a named set of items owned by a tenant.
 * - item: one unit of work in a collection, unique by `key`, with JSON `data`.
 * - handler: code that processes one item for one stage (name, version, params schema).
 * - job: a named definition of ordered stages, each naming a handler with params and policy.
 * - operation: one run of a job over a scope; one Temporal workflow (its id is the operation id).
 * - scope: what an operation covers: a collection, explicit items, or nothing (global).
 * - item stage: one item in one stage of one operation (pending → in_progress → done/failed/skipped).
 * - stage tally: per-status deltas of one stage, inserted with each write that moves item stages.
 * - outcome: ledger version 2's one inserted row per final item stage (docs/ledger.md).
 * - slice: ledger version 2's batch, positions of a chunk's frozen ids through fused stages.
 * - result: what a handler returned for an item, stamped with the handler's version.
 * - event: an append-only record of what happened.
 * - chunk: at most 2,000 of an operation's items; a child workflow, or inline when it is the only one.
 * - batch: the items of a chunk one activity processes for a stage, sized to about a second of work.
 * - schedule: a Temporal Schedule that starts operations of a job (cron or interval).
 * - webhook: a tenant's endpoint that receives its events, signed, delivered with retries.
 * - maintenance: the one scheduled workflow that reconciles records with Temporal and applies retention.
 * - quota: what one tenant may take of the deployment (operations in flight, items, streams, …).
 */
import { z } from 'zod';
import { MAX_BATCH_SIZE, MAX_STAGES } from './limits';

export {
  FINISHED_STATUSES,
  OPERATION_STATUSES,
  type OperationStatus,
  PAUSABLE_STATUSES,
  UNFINISHED_STATUSES,
} from './operation-statuses';

export const ITEM_STAGE_STATUSES = ['pending', 'in_progress', 'done', 'failed', 'skipped'] as const;
export type ItemStageStatus = (typeof ITEM_STAGE_STATUSES)[number];
/** An item stage still to run: a stage with any may not close. */
export const UNFINISHED_ITEM_STAGE_STATUSES = ['pending', 'in_progress'] as const;
/** An item stage the next stage may take its item from: final and not failed. */
export const PASSED_ITEM_STAGE_STATUSES = ['done', 'skipped'] as const;
/** The final statuses, the only ones a version-2 ledger stores (docs/ledger.md). */
export const OUTCOME_STATUSES = ['done', 'failed', 'skipped'] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];
/** The ledger formats an operation can be recorded in, fixed at its creation. */
export const LEDGER_VERSIONS = [1, 2] as const;
export type LedgerVersion = (typeof LEDGER_VERSIONS)[number];
/** What new operations are recorded in unless LEDGER_VERSION says otherwise (docs/ledger.md). */
export const DEFAULT_LEDGER_VERSION: LedgerVersion = 2;

/** What an API key may do: administer, steer operations and write items, or only read. */
export const API_KEY_ROLES = ['admin', 'operator', 'viewer'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/** A webhook delivery waits `pending` until an attempt succeeds or its retries give up. */
export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;

export const OPERATION_MODES = ['production', 'test', 'dry_run'] as const;
export type OperationMode = (typeof OPERATION_MODES)[number];

export const SCOPE_KINDS = ['collection', 'items', 'global'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

/**
 * Levels of the handler log lines an operation keeps (`ctx.log`), least severe first; debug and
 * trace lines go to the worker's own log only.
 */
export const RUN_LOG_LEVELS = ['info', 'warn', 'error', 'fatal'] as const;
export type RunLogLevel = (typeof RUN_LOG_LEVELS)[number];

/**
 * A start's `only`: which of a collection's items it takes, by their state across runs of the
 * job (DESIGN "State per item across runs"): results from older handler versions, items without
 * a final outcome in some stage, items whose latest outcome in some stage failed.
 */
export const ITEM_SELECTIONS = ['stale', 'unprocessed', 'failed'] as const;
export type ItemSelection = (typeof ITEM_SELECTIONS)[number];

/**
 * The item list's filter by state under a job: the two selections by state, and `processed`,
 * items with a final outcome in every stage and no failure among the latest.
 */
export const ITEM_STATE_FILTERS = ['unprocessed', 'failed', 'processed'] as const;
export type ItemStateFilter = (typeof ITEM_STATE_FILTERS)[number];

/**
 * Which items of a finished operation a retry runs again: those that failed, those a cancel or a
 * failure left without a final outcome in some stage, or both.
 */
export const RETRY_SELECTIONS = ['failed', 'unfinished', 'all'] as const;
export type RetrySelection = (typeof RETRY_SELECTIONS)[number];

/** How Temporal retries a stage's batch activity when items fail with retryable errors. */
export const retryPolicySchema = z.object({
  maximumAttempts: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(3)
    .describe('Claims of one item in this stage before its failure is final.'),
  initialIntervalMs: z
    .number()
    .int()
    .min(0)
    .max(3_600_000)
    .default(1_000)
    .describe('Wait before the first retry of a batch.'),
  backoffCoefficient: z
    .number()
    .min(1)
    .max(10)
    .default(2)
    .describe('Each retry waits this many times longer than the one before.'),
  maximumIntervalMs: z
    .number()
    .int()
    .min(1)
    .max(3_600_000)
    .default(60_000)
    .describe('Longest wait between retries.'),
});
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

/**
 * The retry policy schema with a handler's defaults in place of Conveyor's, field by field: a
 * stage that sets only `maximumAttempts` keeps the handler's intervals.
 */
export function retryPolicyWithDefaults(defaults: Partial<RetryPolicy>) {
  const fields = retryPolicySchema.shape;
  const field = <K extends keyof RetryPolicy>(key: K) =>
    defaults[key] === undefined ? fields[key] : fields[key].default(defaults[key] as never);
  // Strict, as a job body is: a misspelt field is refused rather than dropped.
  const policy = z.strictObject({
    maximumAttempts: field('maximumAttempts'),
    initialIntervalMs: field('initialIntervalMs'),
    backoffCoefficient: field('backoffCoefficient'),
    maximumIntervalMs: field('maximumIntervalMs'),
  });
  return policy.default(policy.parse({}));
}

/**
 * Which items a discovery stage passes on to the later stages: every item it found, those whose
 * keys it added to the collection, or those it added or whose data it changed (seed 004's crawl
 * of a site whose unchanged pages need no second fetch).
 */
export const DISCOVERY_PASS_ON = ['all', 'new', 'changed'] as const;
export type DiscoveryPassOn = (typeof DISCOVERY_PASS_ON)[number];

export const stageSchema = z.object({
  name: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[a-zA-Z0-9_.-]+$/, 'letters, digits, dot, dash and underscore only')
    .describe('Unique within the job.'),
  handler: z.string().min(1).max(100).describe('Name of a handler; GET /v1/handlers lists them.'),
  params: z
    .record(z.string(), z.unknown())
    .default({})
    .describe("The handler's params; checked against its params schema."),
  /** Items processed at once inside one batch activity. */
  concurrency: z
    .number()
    .int()
    .min(1)
    .max(1_000)
    .default(10)
    .describe('Items processed at once inside one batch activity.'),
  /** Items per batch activity. */
  batchSize: z
    .number()
    .int()
    .min(1)
    .max(MAX_BATCH_SIZE)
    .optional()
    .describe('Items per batch activity; omitted, it adapts toward about one second per batch.'),
  /** Items per second this stage's handler may start, summed over every worker. */
  rateLimitPerSecond: z
    .number()
    .positive()
    .max(100_000)
    .optional()
    .describe("Items per second this stage's handler may start, summed over every worker."),
  /** Time one item may take before its handler is aborted. */
  itemTimeoutMs: z
    .number()
    .int()
    .min(1)
    .max(3_600_000)
    .default(60_000)
    .describe('Time one item may take before its handler is aborted.'),
  retry: retryPolicySchema
    .default(retryPolicySchema.parse({}))
    .describe('How Temporal retries a batch whose items failed with retryable errors.'),
  barrier: z
    .boolean()
    .optional()
    .describe(
      'Start this stage only once every item finished the stage before; otherwise an item may go on while others are still in the stage before.',
    ),
  passOn: z
    .enum(DISCOVERY_PASS_ON)
    .optional()
    .describe(
      'A discovery stage only: which items it found go on to the later stages: all (the default), new (keys it added to the collection) or changed (new ones and those whose data it changed).',
    ),
});
export type Stage = z.infer<typeof stageSchema>;

/**
 * How urgent an operation is, 1 (most urgent) to 5; Temporal dispatches a task queue's tasks
 * in this order, so an urgent run's batches go ahead of a backfill's on the same workers.
 */
export const PRIORITY = { most: 1, least: 5, default: 3 } as const;
export const prioritySchema = z.number().int().min(PRIORITY.most).max(PRIORITY.least);

/**
 * What a job's operations cover when a start names no scope (seed 002's task definitions carry
 * theirs): every item of one collection, or no items.
 */
export const defaultScopeSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('collection'), collectionId: z.uuid() }),
    z.strictObject({ kind: z.literal('global') }),
  ])
  .describe(
    'What a start that names no scope (no collectionId, itemIds or scope) runs over: a collection of this tenant, or global.',
  );
export type DefaultScope = z.infer<typeof defaultScopeSchema>;

export const jobDefinitionSchema = z.object({
  name: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[a-zA-Z0-9_.-]+$/, 'letters, digits, dot, dash and underscore only')
    .describe('Unique within the tenant; operations name the job by it.'),
  description: z.string().max(2_000).optional().describe('Free text.'),
  priority: prioritySchema
    .optional()
    .describe(
      'Priority of its operations unless a start says otherwise: 1 (most urgent) to 5; 3 by default.',
    ),
  defaultScope: defaultScopeSchema.optional(),
  stages: z
    .array(stageSchema)
    .min(1)
    .max(MAX_STAGES)
    .refine(
      (stages) => new Set(stages.map((stage) => stage.name)).size === stages.length,
      'stage names must be unique within a job',
    )
    .describe('Run in this order; an item enters a stage only after finishing the one before.'),
});
export type JobDefinition = z.infer<typeof jobDefinitionSchema>;

/** Counts of items in one stage, or over the whole operation. */
export interface ItemCounts {
  items: number;
  pending: number;
  inProgress: number;
  done: number;
  failed: number;
  skipped: number;
}
