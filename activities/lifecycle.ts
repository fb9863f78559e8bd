import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Stage } from '../common/domain';
import type {
  FinishInput,
  ItemRange,
  OperationInput,
  PlanRangesInput,
  PreparedOperation,
  StageEventInput,
  StagePlan,
} from '../common/engine';
import { appendEvent } from '../db/events';
import { type ItemSource, planRanges, rangeCounts, seedItemStages } from '../db/item-stages';
import { getOperationById, setOperationStatus } from '../db/operations';
import type { ActivityDeps } from './deps';

/** Head-room for claiming and writing a batch, on top of the handlers' own time. */
const BATCH_OVERHEAD_MS = 60_000;

/** Largest batch an adaptive stage may grow to (workflows/batch-size.ts). */
const MAX_ADAPTIVE_BATCH = 2_000;

export function stagePlan(stage: Stage, index: number, defaultBatchSize: number): StagePlan {
  const batchSize = stage.batchSize ?? defaultBatchSize;
  const adaptive = stage.batchSize === undefined;
  // Heartbeats, not this deadline, notice a dead worker; it only has to fit the largest batch.
  const rounds = Math.ceil((adaptive ? MAX_ADAPTIVE_BATCH : batchSize) / stage.concurrency);
  return {
    index,
    name: stage.name,
    handler: stage.handler,
    batchSize,
    adaptive,
    startToCloseMs: Math.min(rounds * stage.itemTimeoutMs + BATCH_OVERHEAD_MS, 24 * 3_600_000),
    retry: stage.retry,
  };
}

export function createLifecycleActivities({ database, handlers }: ActivityDeps) {
  const { db, sql } = database;

  return {
    /**
     * Checks the handlers, seeds the operation's item stages (unless a discovery stage will) and
     * marks it running. Idempotent: a retry or a continued-as-new run seeds nothing twice.
     */
    async prepareOperation(input: OperationInput): Promise<PreparedOperation> {
      const operation = await getOperationById(db, input.operationId);
      if (!operation) {
        throw ApplicationFailure.nonRetryable(`operation ${input.operationId} has no record`);
      }
      const { stages } = operation.definition;
      const missing = stages.filter((stage) => !handlers.has(stage.handler));
      if (missing.length > 0) {
        throw ApplicationFailure.nonRetryable(
          `no worker handler named ${missing.map((stage) => stage.handler).join(', ')}; register it in activities/handlers/registry.ts`,
        );
      }
      const discovery = handlers.get(stages[0]?.handler ?? '')?.kind === 'discovery';
      const firstItemStage = discovery ? 1 : 0;
      if (operation.status === 'queued') {
        let itemsTotal = 0;
        if (!discovery) {
          const source: ItemSource =
            operation.scope === 'global'
              ? { global: true }
              : operation.itemIds
                ? { itemIds: operation.itemIds }
                : { collectionId: operation.collectionId ?? '' };
          itemsTotal = await seedItemStages(
            sql,
            operation.id,
            { first: 0, count: stages.length },
            source,
          );
        }
        const runId = Context.current().info.workflowExecution?.runId ?? null;
        await sql`
          update operations set status = 'running', items_total = ${itemsTotal},
            started_at = coalesce(started_at, now()), run_id = ${runId}, updated_at = now()
          where id = ${operation.id} and status = 'queued'`;
        await appendEvent(db, {
          tenantId: operation.tenantId,
          operationId: operation.id,
          type: 'operation.started',
          data: { itemsTotal },
        });
      }
      return {
        mode: operation.mode,
        discoveryStage: discovery ? 0 : undefined,
        stages: stages
          .map((stage, index) => stagePlan(stage, index, input.settings.batchSize))
          .slice(firstItemStage),
      };
    },

    /** Splits the operation's items into chunks, or a chunk into batches. */
    async planRanges(input: PlanRangesInput): Promise<ItemRange[]> {
      return planRanges(sql, input.operationId, input.stageIndex, input.size, input.within);
    },

    async recordStageEvent(input: StageEventInput): Promise<void> {
      const operation = await getOperationById(db, input.operationId);
      if (!operation) return;
      const counts =
        input.counts ??
        (input.range && input.type === 'stage.completed'
          ? await rangeCounts(sql, operation.id, input.stageIndex, input.range)
          : undefined);
      await appendEvent(db, {
        tenantId: operation.tenantId,
        operationId: operation.id,
        type: input.type,
        stageName: operation.definition.stages[input.stageIndex]?.name,
        data: {
          ...(input.chunkIndex === undefined ? {} : { chunk: input.chunkIndex }),
          ...(counts ?? {}),
        },
      });
    },

    /** Mirrors the workflow's pause state in Postgres and the event log. */
    async setPaused(input: { operationId: string; paused: boolean }): Promise<void> {
      const [row] = await sql<{ tenantId: string }[]>`
        update operations set status = ${input.paused ? 'paused' : 'running'}, updated_at = now()
        where id = ${input.operationId} and status in ('running', 'paused')
        returning tenant_id as "tenantId"`;
      if (!row) return;
      await appendEvent(db, {
        tenantId: row.tenantId,
        operationId: input.operationId,
        type: input.paused ? 'operation.paused' : 'operation.resumed',
      });
    },

    /** Records the final status once; a finished operation is never reopened. */
    async finishOperation(input: FinishInput): Promise<void> {
      const operation = await getOperationById(db, input.operationId);
      if (!operation || ['completed', 'failed', 'cancelled'].includes(operation.status)) return;
      await setOperationStatus(db, input.operationId, input.status, {
        error: input.error ?? null,
        finishedAt: new Date(),
      });
      await appendEvent(db, {
        tenantId: operation.tenantId,
        operationId: operation.id,
        type: `operation.${input.status}`,
        data: {
          itemsDone: operation.itemsDone,
          itemsFailed: operation.itemsFailed,
          itemsSkipped: operation.itemsSkipped,
          ...(input.error ? { error: input.error } : {}),
        },
      });
    },
  };
}
