import { createHash, randomUUID } from 'node:crypto';
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import {
  type DefaultScope,
  type JobDefinition,
  type LedgerVersion,
  PRIORITY,
} from '../common/domain';
import { Conflict, InvalidInput, NotFound, Unavailable } from '../common/domain-errors';
import { beginsWithDiscovery } from '../common/engine';
import { coerceError } from '../common/errors';
import { type Database, inTransaction, type Tx } from '../db/client';
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
import type { Principal } from '../db/tenants';
import type { HandlerRegistry } from '../handlers/registry';
import {
  dryRunPlan,
  engineSettings,
  type ItemSource,
  narrowItems,
  operationDefinition,
  type PlanSettings,
  stagesForCoverage,
} from './plan';
import { admitOneMore, refuseAbovePriority } from './quotas';
import type { StartRequest } from './request';
import { nothingSelected, selectItems } from './selection';
import {
  operationWorkflowStart,
  startOperationWorkflow,
  type TenantOfStart,
} from './workflow-start';

/** The deployment's settings a start needs. */
export interface StartSettings extends PlanSettings {
  taskQueue: string;
  /** The ledger new operations are recorded in (LEDGER_VERSION); discovery jobs use 1. */
  ledger: LedgerVersion;
}

/** What starting an operation works with; nothing of HTTP. */
export interface StartContext {
  database: Database;
  temporal: Client;
  handlers: HandlerRegistry;
  settings: StartSettings;
}

/** Recording an operation without starting its workflow needs no Temporal. */
export type RecordContext = Omit<StartContext, 'temporal' | 'settings'> & {
  settings: Pick<PlanSettings, 'chunkSize' | 'batchSize'> & { ledger?: LedgerVersion };
};

/** Who starts the operation: its tenant, and a name for `requestedBy` (a key, a schedule). */
export interface Requester extends TenantOfStart {
  tenantId: string;
  requestedBy: string;
}

export const requesterOf = (principal: Principal): Requester => ({
  tenantId: principal.tenantId,
  tenantName: principal.tenantName,
  fairnessWeight: principal.fairnessWeight,
  parallelism: principal.parallelism,
  requestedBy: principal.keyName,
});

export interface StartOptions {
  retryOf?: string;
  definition?: JobDefinition;
  /** Writes that must commit with the operation's record (an event on the retried one). */
  alsoRecord?: (tx: Tx, operation: Operation) => Promise<void>;
  /** The schedule starting it, whose workflow runs the operation as its child. */
  scheduleId?: string;
}

export type StartResult =
  | { operation: Operation; created: boolean; plan?: undefined }
  | { plan: Awaited<ReturnType<typeof dryRunPlan>>; operation?: undefined };

function resolveScope(request: StartRequest): 'collection' | 'items' | 'global' {
  if (request.scope) return request.scope;
  if (request.collectionId) return 'collection';
  if (request.itemIds) return 'items';
  throw new InvalidInput([
    {
      name: 'collectionId',
      reason: `give collectionId, itemIds, or scope "global" (or give job ${request.job} a defaultScope)`,
    },
  ]);
}

/** The start with its job's default scope when it names none of its own. */
function withDefaultScope(request: StartRequest, scope: DefaultScope | undefined): StartRequest {
  if (!scope || request.scope || request.collectionId || request.itemIds) return request;
  return scope.kind === 'global'
    ? { ...request, scope: 'global' }
    : { ...request, collectionId: scope.collectionId };
}

function operationIdFor(tenantId: string, idempotencyKey: string | undefined): string {
  if (!idempotencyKey) return `op-${randomUUID()}`;
  const digest = createHash('sha256').update(`${tenantId}\n${idempotencyKey}`).digest('hex');
  return `op-${digest.slice(0, 32)}`;
}

/** When a client told that Temporal did not take a start may try again. */
const START_RETRY_AFTER_SECONDS = 5;

/**
 * Starts the operation's workflow (or finds it running). If Temporal refuses, the start is
 * Unavailable. An operation with an idempotency key stays `queued` with the reason noted, so
 * repeating the request starts it; one without (nobody can repeat its start) is recorded
 * `failed`, with its event.
 */
async function startWorkflow(
  context: StartContext,
  operation: Operation,
  requester: Requester,
): Promise<Operation> {
  const start = operationWorkflowStart(operation, requester, {
    operationId: operation.id,
    settings: engineSettings(context.settings, requester.parallelism),
  });
  try {
    const handle = await startOperationWorkflow(
      context.temporal,
      start,
      context.settings.taskQueue,
    );
    return { ...operation, runId: handle.firstExecutionRunId };
  } catch (thrown) {
    if (thrown instanceof WorkflowExecutionAlreadyStartedError) return operation;
    const reason = coerceError(thrown).message.split('\n')[0];
    const error = `could not start its workflow: ${reason}`;
    if (operation.idempotencyKey) {
      await setStartError(context.database.db, operation.id, error);
      throw new Unavailable(
        `Temporal did not start the operation (${reason}); it is recorded, not lost: repeat the request with the same idempotencyKey to start it.`,
        START_RETRY_AFTER_SECONDS,
      );
    }
    await inTransaction(context.database, async (tx) => {
      await setOperationStatus(tx.db, operation.id, 'failed', { error, finishedAt: new Date() });
      await appendEvent(tx.db, {
        tenantId: operation.tenantId,
        operationId: operation.id,
        type: 'operation.failed',
        data: { error },
      });
    });
    throw new Unavailable(
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
  context: StartContext,
  existing: Operation,
  requester: Requester,
): Promise<StartResult> {
  if (existing.status !== 'queued') return { operation: existing, created: false };
  const refusedBefore = existing.error !== null;
  if (refusedBefore) await setStartError(context.database.db, existing.id, null);
  const operation = await startWorkflow(context, { ...existing, error: null }, requester);
  return { operation, created: refusedBefore };
}

/** What admitting a request came to: a plan, the operation its key found, or a new record. */
type Admitted =
  | { plan: Awaited<ReturnType<typeof dryRunPlan>> }
  | { existing: Operation }
  | { created: Operation };

/**
 * Validates what an operation covers and records it as `queued` with its `operation.created`
 * event in one transaction; a dry run only plans. A request whose idempotency key names an
 * operation returns that one.
 */
async function admit(
  context: RecordContext,
  requester: Requester,
  asked: StartRequest,
  options: StartOptions,
): Promise<Admitted> {
  const { database, handlers } = context;
  const { db, sql } = database;
  const tenantId = requester.tenantId;
  if (asked.idempotencyKey) {
    const existing = await findOperationByIdempotencyKey(db, tenantId, asked.idempotencyKey);
    if (existing) return { existing };
  }
  const job = await findJob(db, tenantId, asked.job);
  if (!job) throw new NotFound([{ name: 'job', reason: `no job "${asked.job}" in this tenant` }]);
  const request = withDefaultScope(asked, job.definition.defaultScope);
  // A plan starts nothing, so a paused job still answers one.
  if (job.pausedAt && request.mode !== 'dry_run') {
    throw new Conflict(
      `Job ${job.name} is paused (since ${job.pausedAt.toISOString()}): it starts nothing, retries included. Resume it with POST /v1/jobs/${job.name}/resume, then start again.`,
    );
  }

  const scope = resolveScope(request);
  let collectionId: string | null = null;
  let source: ItemSource | null = null;
  if (scope === 'collection') {
    if (!request.collectionId) {
      throw new InvalidInput([
        { name: 'collectionId', reason: 'is required for scope "collection"' },
      ]);
    }
    if (!(await getCollection(db, tenantId, request.collectionId))) {
      throw new NotFound([
        { name: 'collectionId', reason: `no collection ${request.collectionId} in this tenant` },
      ]);
    }
    collectionId = request.collectionId;
    source = { collectionId };
  } else if (scope === 'items') {
    if (!request.itemIds)
      throw new InvalidInput([{ name: 'itemIds', reason: 'is required for scope "items"' }]);
    const unique = [...new Set(request.itemIds)];
    const found = new Set(await findTenantItemIds(sql, tenantId, unique));
    const missing = unique.filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw new NotFound([
        {
          name: 'itemIds',
          reason: `unknown item ids: ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', …' : ''}`,
        },
      ]);
    }
    source = { itemIds: unique };
  }

  if (request.only && scope !== 'collection') {
    throw new InvalidInput([
      {
        name: 'only',
        reason: `"${request.only}" picks items of one collection; give a collectionId`,
      },
    ]);
  }
  const definition = stagesForCoverage(
    operationDefinition(options.definition ?? job.definition, handlers, {
      stages: request.stages,
      params: request.params,
    }),
    handlers,
    request.only ? 'items' : scope,
  );
  if (request.only && collectionId) {
    const selecting = { tenantId, collectionId, job, definition };
    source = { itemIds: await selectItems(context, request.only, selecting) };
    if (source.itemIds.length === 0 && request.mode !== 'dry_run') {
      throw nothingSelected(request.only, selecting);
    }
  }
  const priority = request.priority ?? definition.priority ?? PRIORITY.default;
  refuseAbovePriority(await findTenantQuotas(sql, tenantId), priority);
  if (request.mode === 'dry_run') {
    return { plan: await dryRunPlan(sql, context.settings, definition, handlers, source) };
  }
  const selection = {
    limit: request.limit ?? (request.mode === 'test' ? 1 : undefined),
    itemKeys: request.itemKeys,
  };
  const itemIds = source ? await narrowItems(sql, source, selection) : null;

  const id = operationIdFor(tenantId, request.idempotencyKey);
  try {
    const created = await inTransaction(database, async (tx) => {
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
        mode: request.mode,
        ledger: beginsWithDiscovery(definition.stages, handlers) ? 1 : context.settings.ledger,
        priority,
        params: request.params,
        requestedBy: requester.requestedBy,
        requestedFor: request.requestedFor ?? null,
        idempotencyKey: request.idempotencyKey ?? null,
        retryOf: options.retryOf ?? null,
        scheduleId: options.scheduleId ?? null,
      });
      await appendEvent(tx.db, {
        tenantId,
        operationId: id,
        type: 'operation.created',
        data: {
          job: job.name,
          jobVersion: job.version,
          scope,
          mode: request.mode,
          ...(request.only ? { only: request.only } : {}),
          ...(request.requestedFor ? { requestedFor: request.requestedFor } : {}),
          ...(options.retryOf ? { retryOf: options.retryOf } : {}),
          ...(options.scheduleId ? { scheduleId: options.scheduleId } : {}),
        },
      });
      await options.alsoRecord?.(tx, row);
      return row;
    });
    return { created };
  } catch (error) {
    // Two requests with one idempotency key raced; the loser returns the winner's operation.
    if (request.idempotencyKey && isUniqueViolation(error)) {
      const existing = await findOperationByIdempotencyKey(db, tenantId, request.idempotencyKey);
      if (existing) return { existing };
    }
    throw error;
  }
}

/**
 * Starts an operation: admits and records it, then starts its workflow. The record comes first
 * so that a run is never without one; a start cut short in between is finished by repeating the
 * request with the same idempotency key.
 */
export async function startOperation(
  context: StartContext,
  requester: Requester,
  request: StartRequest,
  options: StartOptions = {},
): Promise<StartResult> {
  const admitted = await admit(context, requester, request, options);
  if ('plan' in admitted) return { plan: admitted.plan };
  if ('existing' in admitted) return resumeStart(context, admitted.existing, requester);
  return { operation: await startWorkflow(context, admitted.created, requester), created: true };
}

/**
 * Records an operation as `startOperation` would, without starting its workflow: a schedule's
 * run starts it as its child. No Temporal client is needed.
 */
export async function recordOperation(
  context: RecordContext,
  requester: Requester,
  request: StartRequest,
  options: StartOptions = {},
): Promise<StartResult> {
  const admitted = await admit(context, requester, request, options);
  if ('plan' in admitted) return { plan: admitted.plan };
  if ('existing' in admitted) return { operation: admitted.existing, created: false };
  return { operation: admitted.created, created: true };
}
