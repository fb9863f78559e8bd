import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Stage } from '../common/domain';
import type {
  FinishInput,
  ItemRange,
  OperationInput,
  PreparedOperation,
  StagePlan,
} from '../common/engine';
import { appendEvent } from '../db/events';
import { planRanges, seedItemStages } from '../db/item-stages';
import { getOperationById, setOperationStatus } from '../db/operations';
import type { ActivityDeps } from './deps';

/** Head-room for claiming and writing a batch, on top of the handlers' own time. */
const BATCH_OVERHEAD_MS = 60_000;

export function stagePlan(stage: Stage, index: number, defaultBatchSize: number): StagePlan {
  const batchSize = stage.batchSize ?? defaultBatchSize;
  const rounds = Math.ceil(batchSize / stage.concurrency);
  return {
    index,
    name: stage.name,
    handler: stage.handler,
    batchSize,
    startToCloseMs: Math.min(rounds * stage.itemTimeoutMs + BATCH_OVERHEAD_MS, 24 * 3_600_000),
    retry: stage.retry,
  };
}

export function createLifecycleActivities({ database, handlers }: ActivityDeps) {
  const { db, sql } = database;

  return {
    /**
     * Seeds the operation's item stages, marks it running and plans its chunks. Idempotent: a
     * retry or a continued-as-new run finds the same item stages and plans the same chunks.
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
      let itemsTotal = 0;
      if (operation.scope !== 'global') {
        const scope = operation.collectionId
          ? { collectionId: operation.collectionId }
          : { itemIds: operation.itemIds ?? [] };
        itemsTotal = await seedItemStages(sql, operation.id, stages.length, scope);
      }
      const firstRun = operation.status === 'queued';
      if (firstRun) {
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
      const chunks: ItemRange[] =
        itemsTotal > 0 ? await planRanges(sql, operation.id, input.settings.chunkSize) : [];
      return {
        mode: operation.mode,
        itemsTotal,
        chunks,
        stages: stages.map((stage, index) => stagePlan(stage, index, input.settings.batchSize)),
      };
    },

    async planBatches(input: {
      operationId: string;
      range: ItemRange;
      batchSize: number;
    }): Promise<ItemRange[]> {
      return planRanges(sql, input.operationId, input.batchSize, input.range);
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
