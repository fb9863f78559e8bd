import { ApplicationFailure, Context } from '@temporalio/activity';
import { FINISHED_STATUSES } from '../common/domain';
import {
  type AdvanceStageInput,
  type AdvanceStageResult,
  beginsWithDiscovery,
  type CloseStageInput,
  type CloseStageResult,
  type FinishInput,
  type FinishResult,
  type ItemRange,
  type OpenStageInput,
  type OperationInput,
  type PlanRangesInput,
  type PreparedOperation,
  planItemStages,
  type StageEventInput,
} from '../common/engine';
import { logger } from '../common/log';
import { type Database, inTransaction } from '../db/client';
import { operationCosts } from '../db/costs';
import { appendEvent } from '../db/events';
import { type ItemSource, planRanges, seedItemStages } from '../db/item-stages';
import {
  auditOperation,
  countersAgree,
  type OperationAudit,
  releaseOperationClaims,
  setCountersFromRows,
} from '../db/operation-audit';
import {
  getOperationById,
  markOperationRunning,
  type Operation,
  setOperationStatus,
  setPausedStatus,
} from '../db/operations';
import { auditOutcomes, foldStageStats } from '../db/outcome-audit';
import { clearRunningBatches } from '../db/running-batches';
import { rangeCounts, stageUnfinished } from '../db/stage-counts';
import type { HandlerRegistry } from '../handlers/registry';
import type { ActivityDeps } from './deps';
import { createOperationCache } from './operation-cache';

/**
 * A stage that still has unfinished rows after this many reruns is broken beyond what running
 * again can fix (rows that never become claimable); the operation fails and says so.
 */
export const MAX_STAGE_ROUNDS = 5;

/** Every item of an operation, as a range of item ids. */
const WHOLE_OPERATION = { fromItemId: 0, toItemId: Number.MAX_SAFE_INTEGER };

/**
 * The API commits an operation's record before it starts the workflow, so a missing record is
 * normally a start still in flight; after this many attempts (about a minute of backoff) the
 * record is taken to be gone.
 */
const MISSING_RECORD_ATTEMPTS = 8;

/**
 * The operation a prepare step starts: its record (waiting a while for a start still committing)
 * with every stage's handler present on this worker.
 */
export async function operationToPrepare(
  database: Database,
  handlers: HandlerRegistry,
  operationId: string,
): Promise<Operation> {
  const operation = await getOperationById(database.db, operationId);
  if (!operation) {
    const message = `operation ${operationId} has no record`;
    if (Context.current().info.attempt >= MISSING_RECORD_ATTEMPTS)
      throw ApplicationFailure.nonRetryable(message);
    throw new Error(`${message} yet; waiting for its start to commit`);
  }
  const missing = operation.definition.stages.filter((stage) => !handlers.has(stage.handler));
  if (missing.length > 0) {
    throw ApplicationFailure.nonRetryable(
      `no worker handler named ${missing.map((stage) => stage.handler).join(', ')}; register it in handlers/registry.ts or HANDLER_MODULES`,
    );
  }
  return operation;
}

/** Where an operation's items come from: its collection, its explicit ids, or the global item. */
export function scopeSource(operation: Operation): ItemSource {
  if (operation.scope === 'global') return { global: true };
  if (operation.itemCount !== null) return { itemsOf: operation.id };
  return { collectionId: operation.collectionId ?? '' };
}

export function createLifecycleActivities({
  database,
  handlers,
}: Pick<ActivityDeps, 'database' | 'handlers'>) {
  const { db, sql } = database;
  // Stage steps read only an operation's fixed fields (tenant, stage names), so a boundary's
  // close and open share one read, and later chunks read none.
  const operationOf = createOperationCache(database);

  /**
   * A stage's start (or a discovery stage's completion). A chunk's start is its own
   * `chunk.stage_started`; the operation's `stage.started` is written by the first chunk to
   * start the stage and kept once.
   */
  async function recordStageEvent(input: StageEventInput): Promise<void> {
    const operation = await operationOf(input.operationId);
    if (!operation) return;
    const event = {
      tenantId: operation.tenantId,
      operationId: operation.id,
      stageName: operation.definition.stages[input.stageIndex]?.name,
    };
    await inTransaction(database, async (tx) => {
      if (input.chunkIndex !== undefined) {
        await appendEvent(tx.db, {
          ...event,
          type: input.type === 'stage.started' ? 'chunk.stage_started' : 'chunk.stage_completed',
          data: { chunk: input.chunkIndex, ...(input.counts ?? {}) },
        });
      }
      await appendEvent(tx.db, { ...event, type: input.type, data: { ...input.counts } });
    });
  }

  /**
   * A chunk's stage begins: its start events and, when the chunk has not planned slices of
   * this size yet, its slices, in one step (each step is a local activity and an activation).
   */
  async function openStage(input: OpenStageInput): Promise<ItemRange[] | undefined> {
    await recordStageEvent({ ...input, type: 'stage.started' });
    if (!input.slices) return undefined;
    const { size, within } = input.slices;
    return planRanges(sql, input.operationId, input.stageIndex, size, within);
  }

  /**
   * Closes a stage over a chunk's range once its batches have returned, after checking the
   * range in Postgres: rows still pending, or in progress with no batch left to finish them
   * (a worker that died, a write that was lost), come back as ranges to run again. Only a
   * range with every row final gets its `stage.completed` event.
   */
  async function closeStage(input: CloseStageInput): Promise<CloseStageResult> {
    const operation = await operationOf(input.operationId);
    if (!operation)
      throw ApplicationFailure.nonRetryable(`operation ${input.operationId} has no record`);
    const stageName = operation.definition.stages[input.stageIndex]?.name;
    const chunk = input.chunkIndex === undefined ? {} : { chunk: input.chunkIndex };
    const counts = await rangeCounts(sql, operation.id, input.stageIndex, input.range);
    const event = { tenantId: operation.tenantId, operationId: operation.id, stageName };
    if (counts.unfinished === 0) {
      const { unfinished: _, ...outcomes } = counts;
      if (input.chunkIndex === undefined) {
        await appendEvent(db, { ...event, type: 'stage.completed', data: outcomes });
        return { rerun: [] };
      }
      await appendEvent(db, {
        ...event,
        type: 'chunk.stage_completed',
        data: { ...chunk, ...outcomes },
      });
      // The chunk that leaves the stage with nothing unfinished anywhere completes it for
      // the operation; chunks closing together write it once.
      if (!(await stageUnfinished(sql, operation.id, input.stageIndex))) {
        const { unfinished: __, ...whole } = await rangeCounts(
          sql,
          operation.id,
          input.stageIndex,
          WHOLE_OPERATION,
        );
        await appendEvent(db, { ...event, type: 'stage.completed', data: whole });
      }
      return { rerun: [] };
    }
    if (input.round > MAX_STAGE_ROUNDS) {
      throw ApplicationFailure.nonRetryable(
        `stage ${stageName} still has ${counts.unfinished} unfinished item stages after ${MAX_STAGE_ROUNDS} reruns; the operation cannot complete`,
        'StageLeftUnfinished',
      );
    }
    const rerun = await planRanges(sql, operation.id, input.stageIndex, input.size, input.range, {
      unfinished: true,
    });
    await appendEvent(db, {
      ...event,
      type: 'stage.rerun',
      data: { ...chunk, unfinished: counts.unfinished, round: input.round },
    });
    return { rerun };
  }

  return {
    /**
     * Checks the handlers, seeds the operation's item stages (unless a discovery stage will) and
     * marks it running, in one transaction. Idempotent: a retry or a continued-as-new run seeds
     * nothing twice.
     */
    async prepareOperation(input: OperationInput): Promise<PreparedOperation> {
      const context = Context.current();
      const operation = await operationToPrepare(database, handlers, input.operationId);
      const { stages } = operation.definition;
      const discovery = beginsWithDiscovery(stages, handlers);
      if (operation.status === 'queued') {
        const source = scopeSource(operation);
        const runId = context.info.workflowExecution?.runId ?? null;
        await inTransaction(database, async (tx) => {
          const itemsTotal = discovery
            ? 0
            : await seedItemStages(
                tx.sql,
                operation.id,
                { first: 0, count: stages.length },
                source,
              );
          if (!(await markOperationRunning(tx.sql, operation.id, itemsTotal, runId))) return;
          logger({ tenantId: operation.tenantId, operationId: operation.id, runId }).info(
            { itemsTotal, job: operation.jobName },
            `operation started over ${itemsTotal} items`,
          );
          await appendEvent(tx.db, {
            tenantId: operation.tenantId,
            operationId: operation.id,
            type: 'operation.started',
            data: { itemsTotal },
          });
        });
      }
      return {
        mode: operation.mode,
        discoveryStage: discovery ? 0 : undefined,
        chunks: discovery
          ? undefined
          : await planRanges(sql, operation.id, 0, input.settings.chunkSize),
        stages: planItemStages(stages, discovery, input.settings.batchSize),
      };
    },

    /** Splits the operation's items into chunks, or a chunk into batches. */
    async planRanges(input: PlanRangesInput): Promise<ItemRange[]> {
      return planRanges(sql, input.operationId, input.stageIndex, input.size, input.within);
    },

    recordStageEvent,

    openStage,
    closeStage,

    /**
     * Closes a stage over a chunk's range and, once it closed, opens the next one: a single
     * local activity at each stage boundary, where runs of earlier code took two.
     */
    async advanceStage(input: AdvanceStageInput): Promise<AdvanceStageResult> {
      const closed = await closeStage(input.close);
      if (closed.rerun.length > 0) return closed;
      return { rerun: [], opened: await openStage(input.open) };
    },

    /** Mirrors the workflow's pause state in Postgres and the event log, together. */
    async setPaused(input: { operationId: string; paused: boolean }): Promise<void> {
      await inTransaction(database, async (tx) => {
        const tenantId = await setPausedStatus(tx.sql, input.operationId, input.paused);
        if (!tenantId) return;
        await appendEvent(tx.db, {
          tenantId,
          operationId: input.operationId,
          type: input.paused ? 'operation.paused' : 'operation.resumed',
        });
      });
    },

    /**
     * Records the final status once, with its event, in one transaction; a finished operation
     * is never reopened. `completed` is recorded only when no item stage is left pending or in
     * progress; otherwise the operation fails, saying how many. Counters that disagree with the
     * item stages are set from them, with an `operation.repaired` event. A cancelled or failed
     * operation gives back the claims of batches that will never finish.
     */
    async finishOperation(input: FinishInput): Promise<FinishResult> {
      /** A version-2 production operation, whose statistics are folded once it is finished. */
      let folding: (Operation & { stageNames: string[] }) | undefined;
      const finished = await inTransaction(database, async (tx): Promise<FinishResult> => {
        const operation = await getOperationById(tx.db, input.operationId);
        if (!operation) return { status: input.status, error: input.error };
        if (operation.ledger === 2 && operation.mode === 'production') {
          folding = {
            ...operation,
            stageNames: operation.definition.stages.map((stage) => stage.name),
          };
        }
        if (FINISHED_STATUSES.includes(operation.status)) {
          return {
            status: operation.status as FinishResult['status'],
            error: operation.error ?? undefined,
          };
        }
        const event = { tenantId: operation.tenantId, operationId: operation.id };
        const stageCount = operation.definition.stages.length;
        let audit: OperationAudit | undefined;
        if (operation.ledger === 2) {
          await clearRunningBatches(tx.sql, operation.key);
          audit = await auditOutcomes(tx.sql, operation, stageCount);
          // Version 2 keeps no counters while it runs: the finish sets them, from the outcomes.
          if (audit) await setCountersFromRows(tx.sql, operation.id, audit.rows);
        } else {
          if (input.status !== 'completed') await releaseOperationClaims(tx.sql, operation.id);
          audit = await auditOperation(tx.sql, operation.id, stageCount - 1);
        }
        let { status, error } = input;
        if (audit && status === 'completed' && audit.unfinished > 0) {
          status = 'failed';
          error = `${audit.unfinished} item stages were left unfinished when the operation ended; retry it to run them`;
        }
        const repaired = audit !== undefined && !countersAgree(audit);
        if (audit && repaired && operation.ledger !== 2) {
          await setCountersFromRows(tx.sql, operation.id, audit.rows);
        }
        if (audit?.talliesCorrected) {
          logger({ tenantId: operation.tenantId, operationId: operation.id }).warn(
            { stages: audit.talliesCorrected },
            'stage tallies disagreed with the item stages; corrected',
          );
        }
        await setOperationStatus(tx.db, operation.id, status, {
          error: error ?? null,
          finishedAt: new Date(),
        });
        const counts = audit?.rows ?? {
          done: operation.itemsDone,
          failed: operation.itemsFailed,
          skipped: operation.itemsSkipped,
        };
        const costs = await operationCosts(tx.sql, operation.id);
        // Events come last in the transaction: the tenant's event lock they take is held to
        // commit, and a transaction holding it must not wait for any other lock after it.
        if (audit && repaired) {
          await appendEvent(tx.db, {
            ...event,
            type: 'operation.repaired',
            data: { recorded: audit.counters, fromItemStages: audit.rows },
          });
        }
        await appendEvent(tx.db, {
          ...event,
          type: `operation.${status}`,
          data: {
            ...(operation.requestedFor ? { requestedFor: operation.requestedFor } : {}),
            itemsDone: counts.done,
            itemsFailed: counts.failed,
            itemsSkipped: counts.skipped,
            ...(error ? { error } : {}),
            ...(audit?.unfinished ? { unfinished: audit.unfinished } : {}),
            ...(costs.length > 0 ? { costs } : {}),
          },
        });
        logger({ tenantId: operation.tenantId, operationId: operation.id }).info(
          { status, error, ...counts },
          `operation ${status}`,
        );
        return { status, error };
      });
      if (folding) await foldStageStats(sql, folding, folding.stageNames);
      return finished;
    },
  };
}
