import { createHash, randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { z } from 'zod';
import type { HandlerRegistry } from '../activities/handlers/registry';
import { SEARCH_ATTRIBUTES, WORKFLOW_TYPES } from '../common/constants';
import {
  type JobDefinition,
  OPERATION_MODES,
  PRIORITY,
  prioritySchema,
  SCOPE_KINDS,
} from '../common/domain';
import type { OperationInput } from '../common/engine';
import { coerceError } from '../common/errors';
import {
  type OperationHeadline,
  operationDetails,
  operationSummary,
} from '../common/operation-summary';
import { inTransaction, type Tx } from '../db/client';
import { getCollection } from '../db/collections';
import { appendEvent } from '../db/events';
import { findTenantItemIds } from '../db/items';
import { findJob } from '../db/jobs';
import {
  findOperationByIdempotencyKey,
  insertOperation,
  type Operation,
  setOperationStatus,
  setStartError,
} from '../db/operations';
import { isUniqueViolation } from '../db/pg-errors';
import { findTenantQuotas } from '../db/quotas';
import { staleItemIds } from '../db/results';
import type { Principal } from '../db/tenants';
import type { ApiDeps } from './env';
import {
  dryRunPlan,
  engineSettings,
  type ItemSource,
  narrowItems,
  operationDefinition,
  stagesForCoverage,
} from './operation-plan';
import { operationMemo, operationPriority, type TenantOfStart } from './operation-temporal';
import { problems } from './problems';
import { admitOneMore, refuseAbovePriority } from './quotas';

/**
 * The scope rules `resolveScope` and `startOperation` apply, stated for the document: a
 * collection (scope omitted or "collection"), items (with `itemIds`) or global; `only: "stale"`
 * picks items of a collection, so it fits the first alone. Schedules take the same fields.
 */
export const SCOPE_RULES = {
  anyOf: [
    { required: ['collectionId'], properties: { scope: { const: 'collection' } } },
    { required: ['itemIds'], properties: { scope: { const: 'items' }, only: false } },
    { required: ['scope'], properties: { scope: { const: 'global' }, only: false } },
  ],
} as object;

export const startOperationInput = z
  .object({
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
      .max(20)
      .optional()
      .describe("Only these stages of the job, by name, in the job's order."),
    only: z
      .enum(['stale'])
      .optional()
      .describe(
        "stale: only the collection's items whose result from one of the job's handlers is older than that handler's current version (reprocessing stale results). Needs a collectionId.",
      ),
    itemKeys: z
      .array(z.string().min(1))
      .min(1)
      .max(10_000)
      .optional()
      .describe('Only the items with these keys.'),
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
  })
  .openapi(SCOPE_RULES);
export type StartOperationInput = z.infer<typeof startOperationInput>;

export type StartResult =
  | { operation: Operation; created: boolean; plan?: undefined }
  | { plan: Awaited<ReturnType<typeof dryRunPlan>>; operation?: undefined };

const searchAttribute = (name: string) =>
  defineSearchAttributeKey(name, SearchAttributeType.KEYWORD);

function resolveScope(input: StartOperationInput): 'collection' | 'items' | 'global' {
  if (input.scope) return input.scope;
  if (input.collectionId) return 'collection';
  if (input.itemIds) return 'items';
  throw problems.validation([
    { name: 'collectionId', reason: 'give collectionId, itemIds, or scope "global"' },
  ]);
}

function operationIdFor(tenantId: string, idempotencyKey: string | undefined): string {
  if (!idempotencyKey) return `op-${randomUUID()}`;
  const digest = createHash('sha256').update(`${tenantId}\n${idempotencyKey}`).digest('hex');
  return `op-${digest.slice(0, 32)}`;
}

export const headlineOf = (operation: Operation): OperationHeadline => ({
  jobName: operation.jobName,
  jobVersion: operation.jobVersion,
  scope: operation.scope,
  collectionId: operation.collectionId,
  itemCount: operation.itemIds?.length ?? null,
  mode: operation.mode,
  requestedBy: operation.requestedBy,
});

/** When a client told that Temporal did not take a start may try again. */
const START_RETRY_AFTER_SECONDS = 5;

/**
 * Starts the operation's workflow (or finds it running: the id is the operation id, and
 * USE_EXISTING makes a second start of a live run a no-op). If Temporal refuses, the caller
 * gets a 503 with `Retry-After`. An operation with an idempotency key stays `queued` with the
 * reason noted, so repeating the request starts it; one without (nobody can repeat its start)
 * is recorded `failed`, with its event.
 */
async function startWorkflow(
  deps: ApiDeps,
  operation: Operation,
  tenant: TenantOfStart,
): Promise<Operation> {
  const workflowInput: OperationInput = {
    operationId: operation.id,
    settings: engineSettings(deps, tenant.parallelism),
  };
  try {
    const handle = await deps.temporal.workflow.start(WORKFLOW_TYPES.operation, {
      workflowId: operation.id,
      taskQueue: deps.config.TASK_QUEUE,
      args: [workflowInput],
      workflowIdConflictPolicy: 'USE_EXISTING',
      staticSummary: operationSummary(headlineOf(operation)),
      staticDetails: operationDetails(headlineOf(operation)),
      memo: operationMemo(operation, tenant),
      priority: operationPriority(operation, tenant),
      typedSearchAttributes: [
        { key: searchAttribute(SEARCH_ATTRIBUTES.tenant), value: operation.tenantId },
        { key: searchAttribute(SEARCH_ATTRIBUTES.job), value: operation.jobName },
        { key: searchAttribute(SEARCH_ATTRIBUTES.collection), value: operation.collectionId ?? '' },
        { key: searchAttribute(SEARCH_ATTRIBUTES.mode), value: operation.mode },
      ],
    });
    return { ...operation, runId: handle.firstExecutionRunId };
  } catch (thrown) {
    if (thrown instanceof WorkflowExecutionAlreadyStartedError) return operation;
    const reason = coerceError(thrown).message.split('\n')[0];
    const error = `could not start its workflow: ${reason}`;
    if (operation.idempotencyKey) {
      await setStartError(deps.database.db, operation.id, error);
      throw problems.unavailable(
        `Temporal did not start the operation (${reason}); it is recorded, not lost: repeat the request with the same idempotencyKey to start it.`,
        START_RETRY_AFTER_SECONDS,
      );
    }
    await inTransaction(deps.database, async (tx) => {
      await setOperationStatus(tx.db, operation.id, 'failed', { error, finishedAt: new Date() });
      await appendEvent(tx.db, {
        tenantId: operation.tenantId,
        operationId: operation.id,
        type: 'operation.failed',
        data: { error },
      });
    });
    throw problems.unavailable(
      `Temporal did not start the operation (${reason}); try again, with an idempotencyKey to make the retry safe.`,
      START_RETRY_AFTER_SECONDS,
    );
  }
}

/**
 * An operation found by its idempotency key. One still `queued` was not started yet: its start
 * was cut short (the API died) or Temporal refused it (its reason is noted on the record).
 * Repeating the request starts it, and a retry after a refused start is answered as the start
 * it repeats.
 */
async function resumeStart(
  deps: ApiDeps,
  existing: Operation,
  tenant: TenantOfStart,
): Promise<StartResult> {
  if (existing.status !== 'queued') return { operation: existing, created: false };
  const refusedBefore = existing.error !== null;
  if (refusedBefore) await setStartError(deps.database.db, existing.id, null);
  const operation = await startWorkflow(deps, { ...existing, error: null }, tenant);
  return { operation, created: refusedBefore };
}

/**
 * The collection's items with a result older than its handler's current version, for the
 * handlers of these stages: the rule the collection's stats count stale results by.
 */
async function staleItems(
  handlers: HandlerRegistry,
  deps: ApiDeps,
  collectionId: string,
  definition: JobDefinition,
): Promise<number[]> {
  const current = [...new Set(definition.stages.map((stage) => stage.handler))].flatMap((name) => {
    const handler = handlers.get(name);
    return handler ? [{ handler: name, version: handler.version }] : [];
  });
  return staleItemIds(deps.database.sql, collectionId, current);
}

/**
 * Validates what an operation covers, records it as `queued` with its `operation.created`
 * event in one transaction, then starts its workflow. The record comes first so that a run is
 * never without one; a start cut short in between is finished by repeating the request with the
 * same idempotency key.
 */
export async function startOperation(
  deps: ApiDeps,
  handlers: HandlerRegistry,
  principal: Principal,
  input: StartOperationInput,
  overrides: {
    retryOf?: string;
    definition?: JobDefinition;
    /** Writes that must commit with the operation's record (an event on the retried one). */
    alsoRecord?: (tx: Tx, operation: Operation) => Promise<void>;
    /** The schedule starting it, whose workflow runs the operation as its child. */
    scheduleId?: string;
    /** Records the operation without starting its workflow (a schedule's run starts it). */
    recordOnly?: boolean;
  } = {},
): Promise<StartResult> {
  const { db, sql } = deps.database;
  const tenantId = principal.tenantId;
  if (input.idempotencyKey) {
    const existing = await findOperationByIdempotencyKey(db, tenantId, input.idempotencyKey);
    if (existing) return resumeStart(deps, existing, principal);
  }
  const job = await findJob(db, tenantId, input.job);
  if (!job)
    throw problems.missing([{ name: 'job', reason: `no job "${input.job}" in this tenant` }]);

  const scope = resolveScope(input);
  let collectionId: string | null = null;
  let source: ItemSource | null = null;
  if (scope === 'collection') {
    if (!input.collectionId) {
      throw problems.validation([
        { name: 'collectionId', reason: 'is required for scope "collection"' },
      ]);
    }
    if (!(await getCollection(db, tenantId, input.collectionId))) {
      throw problems.missing([
        { name: 'collectionId', reason: `no collection ${input.collectionId} in this tenant` },
      ]);
    }
    collectionId = input.collectionId;
    source = { collectionId };
  } else if (scope === 'items') {
    if (!input.itemIds)
      throw problems.validation([{ name: 'itemIds', reason: 'is required for scope "items"' }]);
    const unique = [...new Set(input.itemIds)];
    const found = new Set(await findTenantItemIds(sql, tenantId, unique));
    const missing = unique.filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw problems.missing([
        {
          name: 'itemIds',
          reason: `unknown item ids: ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', …' : ''}`,
        },
      ]);
    }
    source = { itemIds: unique };
  }

  if (input.only === 'stale' && scope !== 'collection') {
    throw problems.validation([
      { name: 'only', reason: '"stale" picks items of one collection; give a collectionId' },
    ]);
  }
  const definition = stagesForCoverage(
    operationDefinition(overrides.definition ?? job.definition, handlers, {
      stages: input.stages,
      params: input.params,
    }),
    handlers,
    input.only === 'stale' ? 'items' : scope,
  );
  if (input.only === 'stale' && collectionId) {
    source = { itemIds: await staleItems(handlers, deps, collectionId, definition) };
    if (source.itemIds.length === 0 && input.mode !== 'dry_run') {
      throw problems.conflict(
        `No item of collection ${collectionId} has a stale result from the handlers of job ${job.name}; there is nothing to reprocess.`,
      );
    }
  }
  const priority = input.priority ?? definition.priority ?? PRIORITY.default;
  refuseAbovePriority(await findTenantQuotas(sql, tenantId), priority);
  if (input.mode === 'dry_run') {
    return { plan: await dryRunPlan(deps, definition, handlers, source) };
  }
  const selection = {
    limit: input.limit ?? (input.mode === 'test' ? 1 : undefined),
    itemKeys: input.itemKeys,
  };
  const itemIds = source ? await narrowItems(deps, source, selection) : null;

  const id = operationIdFor(tenantId, input.idempotencyKey);
  let operation: Operation;
  try {
    operation = await inTransaction(deps.database, async (tx) => {
      await admitOneMore(tx, tenantId, 'operationsInFlight');
      const row = await insertOperation(tx.db, {
        id,
        tenantId,
        jobId: job.id,
        jobName: job.name,
        jobVersion: job.version,
        definition,
        scope,
        collectionId,
        itemIds,
        status: 'queued',
        mode: input.mode,
        priority,
        params: input.params,
        requestedBy: principal.keyName,
        idempotencyKey: input.idempotencyKey ?? null,
        retryOf: overrides.retryOf ?? null,
        scheduleId: overrides.scheduleId ?? null,
      });
      await appendEvent(tx.db, {
        tenantId,
        operationId: id,
        type: 'operation.created',
        data: {
          job: job.name,
          jobVersion: job.version,
          scope,
          mode: input.mode,
          ...(input.only ? { only: input.only } : {}),
          ...(overrides.retryOf ? { retryOf: overrides.retryOf } : {}),
          ...(overrides.scheduleId ? { scheduleId: overrides.scheduleId } : {}),
        },
      });
      await overrides.alsoRecord?.(tx, row);
      return row;
    });
  } catch (error) {
    // Two requests with one idempotency key raced; the loser returns the winner's operation.
    if (input.idempotencyKey && isUniqueViolation(error)) {
      const existing = await findOperationByIdempotencyKey(db, tenantId, input.idempotencyKey);
      if (existing) return resumeStart(deps, existing, principal);
    }
    throw error;
  }
  if (overrides.recordOnly) return { operation, created: true };
  return { operation: await startWorkflow(deps, operation, principal), created: true };
}
