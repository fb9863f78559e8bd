import { ApplicationFailure, Context } from '@temporalio/activity';
import { beginsWithDiscovery, type OperationInput, planItemStages } from '../common/engine';
import { logger } from '../common/log';
import {
  type CloseRunInput,
  type CloseRunResult,
  fuseStages,
  type SlicedPlan,
  slicesOf,
} from '../common/slices';
import { inTransaction } from '../db/client';
import { appendEvent, appendEvents, type NewEvent } from '../db/events';
import { markOperationRunning, type Operation } from '../db/operations';
import {
  chunkSizes,
  chunkStageCounts,
  freezeScope,
  sizeOfChunk,
  stageTotals,
  unrecordedInChunk,
} from '../db/outcomes';
import type { ActivityDeps } from './deps';
import { MAX_STAGE_ROUNDS, operationToPrepare, scopeSource } from './lifecycle';
import { createOperationCache } from './operation-cache';

/**
 * Ledger version 2's bookkeeping steps (docs/ledger.md): freezing the scope at the start, and a
 * run of fused stages opening and closing over a chunk. Local activities, as version 1's are.
 */
export function createSliceLifecycleActivities({ database, handlers }: ActivityDeps) {
  const { db, sql } = database;
  const operationOf = createOperationCache(database);

  const required = async (operationId: string): Promise<Operation> => {
    const operation = await operationOf(operationId);
    if (!operation) throw ApplicationFailure.nonRetryable(`operation ${operationId} has no record`);
    return operation;
  };

  /** `stage.started` of each stage, once per operation, and each chunk's own when chunked. */
  function openingEvents(
    operation: Operation,
    input: { chunks: number[]; chunked: boolean; stages: number[] },
  ): NewEvent[] {
    return input.stages.flatMap((stage): NewEvent[] => {
      const event = {
        tenantId: operation.tenantId,
        operationId: operation.id,
        stageName: operation.definition.stages[stage]?.name,
      };
      return [
        ...(input.chunked ? input.chunks : []).map(
          (chunk): NewEvent => ({ ...event, type: 'chunk.stage_started', data: { chunk } }),
        ),
        { ...event, type: 'stage.started' },
      ];
    });
  }

  /** Opens runs: their events in one statement, so chunks opened together take the lock once. */
  async function openRuns(
    operation: Operation,
    input: { chunks: number[]; chunked: boolean; stages: number[] },
  ): Promise<void> {
    await appendEvents(db, openingEvents(operation, input));
  }

  return {
    /**
     * Freezes the scope into chunks and marks the operation running, in one transaction, and
     * announces the first run of stages. Idempotent: a retry or a continued-as-new run freezes
     * nothing twice and reads the chunks frozen.
     */
    async prepareSlicedOperation(input: OperationInput): Promise<SlicedPlan> {
      const operation = await operationToPrepare(database, handlers, input.operationId);
      const { stages } = operation.definition;
      if (beginsWithDiscovery(stages, handlers)) {
        throw ApplicationFailure.nonRetryable(
          'a job that begins with discovery runs on ledger version 1; start it again',
        );
      }
      const runs = fuseStages(stages, 0);
      let chunks: number[];
      if (operation.status === 'queued') {
        const runId = Context.current().info.workflowExecution?.runId ?? null;
        chunks = await inTransaction(database, async (tx) => {
          const frozen = await freezeScope(
            tx.sql,
            operation.key,
            scopeSource(operation),
            input.settings.chunkSize,
          );
          const itemsTotal = frozen.reduce((sum, size) => sum + size, 0);
          if (!(await markOperationRunning(tx.sql, operation.id, itemsTotal, runId))) {
            return frozen;
          }
          logger({ tenantId: operation.tenantId, operationId: operation.id, runId }).info(
            { itemsTotal, job: operation.jobName, chunks: frozen.length },
            `operation started over ${itemsTotal} items`,
          );
          await appendEvent(tx.db, {
            tenantId: operation.tenantId,
            operationId: operation.id,
            type: 'operation.started',
            data: { itemsTotal },
          });
          return frozen;
        });
        const [firstRun] = runs;
        if (firstRun && chunks.length === 1) {
          await openRuns(operation, { chunks: [0], chunked: false, stages: firstRun });
        }
      } else {
        chunks = await chunkSizes(sql, operation.key);
      }
      const plans = planItemStages(stages, false, input.settings.batchSize);
      return {
        operationKey: operation.key,
        chunks,
        runs: runs.map((run) => run.flatMap((index) => plans[index] ?? [])),
      };
    },

    /** A run of stages over chunks: one, or every chunk an operation starts at once. */
    async openRun(input: { operationId: string; chunks: number[]; stages: number[] }) {
      const { chunks, stages } = input;
      await openRuns(await required(input.operationId), { chunks, chunked: true, stages });
    },

    /**
     * Closes a run of stages over a chunk once its batches returned, after checking in Postgres
     * that every item of the chunk has an outcome in each: items without one (a write lost, a
     * worker gone) come back as slices to run again. A closed run writes each stage's completion
     * (the operation's once every chunk recorded the stage) and opens the next run.
     */
    async closeRun(input: CloseRunInput): Promise<CloseRunResult> {
      const operation = await required(input.operationId);
      const size = await sizeOfChunk(sql, operation.key, input.chunkIndex);
      const counts = await chunkStageCounts(sql, operation.key, input.chunkIndex, input.stages);
      const recorded = (stage: number) => {
        const each = counts.get(stage);
        return each ? each.done + each.failed + each.skipped : 0;
      };
      const short = input.stages.filter((stage) => recorded(stage) < size);
      const stageName = (stage: number) => operation.definition.stages[stage]?.name;
      const event = { tenantId: operation.tenantId, operationId: operation.id };
      if (short.length > 0) {
        const missing = new Set<number>();
        for (const stage of short) {
          const positions = await unrecordedInChunk(sql, operation.key, input.chunkIndex, {
            index: stage,
            first: stage === 0,
          });
          for (const position of positions) missing.add(position);
        }
        if (input.round > MAX_STAGE_ROUNDS) {
          throw ApplicationFailure.nonRetryable(
            `stage ${stageName(short[0] ?? 0)} still has ${missing.size} unrecorded items after ${MAX_STAGE_ROUNDS} reruns; the operation cannot complete`,
            'StageLeftUnfinished',
          );
        }
        await appendEvent(db, {
          ...event,
          stageName: stageName(short[0] ?? 0),
          type: 'stage.rerun',
          data: { chunk: input.chunkIndex, unfinished: missing.size, round: input.round },
        });
        return {
          rerun: slicesOf(
            [...missing].sort((a, b) => a - b),
            input.size,
          ),
        };
      }
      const { itemsTotal, stages: totals } = await stageTotals(sql, operation.id, input.stages);
      const closing: NewEvent[] = [];
      for (const stage of input.stages) {
        const chunkCounts = counts.get(stage) ?? { done: 0, failed: 0, skipped: 0 };
        const named = { ...event, stageName: stageName(stage) };
        if (input.chunked) {
          const data = { chunk: input.chunkIndex, ...chunkCounts };
          closing.push({ ...named, type: 'chunk.stage_completed', data });
        }
        const whole = totals.get(stage) ?? chunkCounts;
        if (whole.done + whole.failed + whole.skipped >= itemsTotal || !input.chunked) {
          closing.push({ ...named, type: 'stage.completed', data: whole });
        }
      }
      // The run's close and the next one's open, in one statement.
      const opening = input.next
        ? openingEvents(operation, {
            chunks: [input.chunkIndex],
            chunked: input.chunked,
            stages: input.next,
          })
        : [];
      await appendEvents(db, [...closing, ...opening]);
      return { rerun: [] };
    },
  };
}
