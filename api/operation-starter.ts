import { createHash, randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { z } from 'zod';
import type { HandlerRegistry } from '../activities/handlers/registry';
import { SEARCH_ATTRIBUTES, WORKFLOW_TYPES } from '../common/constants';
import { type JobDefinition, OPERATION_MODES, SCOPE_KINDS } from '../common/domain';
import type { OperationInput } from '../common/engine';
import { coerceError } from '../common/errors';
import { getCollection } from '../db/collections';
import { appendEvent } from '../db/events';
import { findTenantItemIds } from '../db/items';
import { findJob } from '../db/jobs';
import {
  findOperationByIdempotencyKey,
  insertOperation,
  type Operation,
  setOperationStatus,
} from '../db/operations';
import { isUniqueViolation } from '../db/pg-errors';
import type { Principal } from '../db/tenants';
import type { ApiDeps } from './env';
import {
  dryRunPlan,
  engineSettings,
  type ItemSource,
  narrowItems,
  operationDefinition,
} from './operation-plan';
import { problems } from './problems';

export const startOperationInput = z.object({
  job: z.string().min(1, 'name or id of a job'),
  scope: z.enum(SCOPE_KINDS).optional(),
  collectionId: z.uuid().optional(),
  itemIds: z.array(z.number().int().positive()).min(1).max(1_000_000).optional(),
  params: z.record(z.string(), z.unknown()).default({}),
  mode: z.enum(OPERATION_MODES).default('production'),
  /** At most this many items (test mode: 1 unless given). */
  limit: z.number().int().min(1).max(1_000_000).optional(),
  /** Only these stages of the job, by name, in the job's order. */
  stages: z.array(z.string().min(1)).min(1).max(20).optional(),
  /** Only the items with these keys. */
  itemKeys: z.array(z.string().min(1)).min(1).max(10_000).optional(),
  idempotencyKey: z.string().min(1).max(200).optional(),
});
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

/**
 * Validates what an operation covers, records it as `queued`, then starts its workflow. The
 * record comes first so that a run is never without one; if Temporal refuses the start, the
 * record says `failed` with the reason.
 */
export async function startOperation(
  deps: ApiDeps,
  handlers: HandlerRegistry,
  principal: Principal,
  input: StartOperationInput,
  overrides: { retryOf?: string; definition?: JobDefinition } = {},
): Promise<StartResult> {
  const { db, sql } = deps.database;
  const tenantId = principal.tenantId;
  if (input.idempotencyKey) {
    const existing = await findOperationByIdempotencyKey(db, tenantId, input.idempotencyKey);
    if (existing) return { operation: existing, created: false };
  }
  const job = await findJob(db, tenantId, input.job);
  if (!job)
    throw problems.validation([{ name: 'job', reason: `no job "${input.job}" in this tenant` }]);

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
      throw problems.validation([
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
      throw problems.validation([
        {
          name: 'itemIds',
          reason: `unknown item ids: ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', …' : ''}`,
        },
      ]);
    }
    source = { itemIds: unique };
  }

  const definition = operationDefinition(overrides.definition ?? job.definition, handlers, {
    stages: input.stages,
    params: input.params,
  });
  if (
    scope !== 'collection' &&
    handlers.get(definition.stages[0]?.handler ?? '')?.kind === 'discovery'
  ) {
    throw problems.validation([
      { name: 'scope', reason: 'a job that begins with a discovery stage runs over a collection' },
    ]);
  }
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
    operation = await insertOperation(db, {
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
      params: input.params,
      requestedBy: principal.keyName,
      idempotencyKey: input.idempotencyKey ?? null,
      retryOf: overrides.retryOf ?? null,
    });
  } catch (error) {
    // Two requests with one idempotency key raced; the loser returns the winner's operation.
    if (input.idempotencyKey && isUniqueViolation(error)) {
      const existing = await findOperationByIdempotencyKey(db, tenantId, input.idempotencyKey);
      if (existing) return { operation: existing, created: false };
    }
    throw error;
  }
  await appendEvent(db, {
    tenantId,
    operationId: id,
    type: 'operation.created',
    data: { job: job.name, jobVersion: job.version, scope, mode: input.mode },
  });

  const workflowInput: OperationInput = { operationId: id, settings: engineSettings(deps) };
  try {
    const handle = await deps.temporal.workflow.start(WORKFLOW_TYPES.operation, {
      workflowId: id,
      taskQueue: deps.config.TASK_QUEUE,
      args: [workflowInput],
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: [
        { key: searchAttribute(SEARCH_ATTRIBUTES.tenant), value: tenantId },
        { key: searchAttribute(SEARCH_ATTRIBUTES.job), value: job.name },
        { key: searchAttribute(SEARCH_ATTRIBUTES.collection), value: collectionId ?? '' },
        { key: searchAttribute(SEARCH_ATTRIBUTES.mode), value: input.mode },
      ],
    });
    operation = { ...operation, runId: handle.firstExecutionRunId };
  } catch (thrown) {
    if (!(thrown instanceof WorkflowExecutionAlreadyStartedError)) {
      const error = coerceError(thrown);
      await setOperationStatus(db, id, 'failed', {
        error: `could not start its workflow: ${error.message}`,
        finishedAt: new Date(),
      });
      throw problems.unavailable(
        `Temporal did not start the operation (${error.message}); check that Temporal is reachable and try again.`,
      );
    }
  }
  return { operation, created: true };
}
