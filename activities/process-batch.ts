import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { forEachWithConcurrency } from '../common/concurrency';
import type { BatchInput, BatchResult } from '../common/engine';
import { logger } from '../common/log';
import { metrics } from '../common/metrics';
import { inSpan, traceFields } from '../common/tracing';
import { loadEarlierResults } from '../db/earlier-results';
import { claimBatch, releaseBatch } from '../db/item-stages';
import type { Operation } from '../db/operations';
import { createBatchRecorder } from './batch-recorder';
import type { ActivityDeps } from './deps';
import { createHostAccess, createProgressBoard, operationInfo } from './handler-context';
import { ItemContext, type StageScope } from './item-context';
import { createItemSignals } from './item-signals';
import { createOperationCache } from './operation-cache';
import { batchEnding, itemFailureOutcome, lostWorkerOutcome } from './outcomes';
import { createRateLimiter } from './rate-limiter';
import { createRunLog } from './run-log';
import { flushPatiently, HEARTBEAT_EVERY_MS, resolveStage } from './stage-handlers';

export function createBatchActivities(deps: ActivityDeps) {
  const { sql } = deps.database;
  const cachedOperation = createOperationCache(deps.database);
  const host = deps.host ?? createHostAccess();
  const loadOperation = async (operationId: string): Promise<Operation> => {
    const operation = await cachedOperation(operationId);
    if (!operation) throw ApplicationFailure.nonRetryable(`operation ${operationId} has no record`);
    return operation;
  };

  return {
    /**
     * Runs one stage's handler over one batch of items. Retryable item failures go back to
     * `pending` and the batch throws, so Temporal retries it with the stage's policy and the retry
     * takes only what is not done; on the last attempt they are recorded as failed.
     */
    async processBatch(input: BatchInput): Promise<BatchResult> {
      const context = Context.current();
      const began = performance.now();
      const operation = await loadOperation(input.operationId);
      const { stage, handler, params } = resolveStage(deps.handlers, operation, input.stageIndex);
      const labels = { handler: handler.name };
      const { workflowExecution } = context.info;
      const log = logger({
        tenantId: operation.tenantId,
        operationId: operation.id,
        workflowId: workflowExecution?.workflowId,
        runId: workflowExecution?.runId,
        stage: stage.name,
        handler: handler.name,
        ...traceFields(),
      });
      if (context.info.attempt > 1) metrics.batchRetries.inc(labels);
      metrics.batchesInFlight.inc(labels);
      const stopTimer = metrics.batchDuration.startTimer(labels);
      try {
        const claimTimer = metrics.batchPhase.startTimer({ phase: 'claim' });
        const claimed = await inSpan('postgres: claim batch', { 'db.system': 'postgresql' }, () =>
          claimBatch(sql, operation.id, input.stageIndex, input.range),
        );
        claimTimer();
        const stageHandlers = operation.definition.stages.map((each) => each.handler);
        const earlierResults = handler.reads?.length
          ? await loadEarlierResults(
              sql,
              operation.id,
              stageHandlers.slice(0, input.stageIndex),
              handler.reads,
              claimed.map((item) => item.itemId),
            )
          : undefined;
        const laterStageReads = stageHandlers.slice(input.stageIndex + 1).some((name) => {
          const later = deps.handlers.get(name);
          return later?.kind === 'item' && later.reads?.includes(handler.name) === true;
        });

        const recorder = createBatchRecorder(
          deps.database,
          {
            operationId: operation.id,
            stageIndex: input.stageIndex,
            stageName: stage.name,
            isLastStage: input.stageIndex === operation.definition.stages.length - 1,
            handler: handler.name,
            handlerVersion: handler.version,
            storeResults: operation.mode === 'production',
            keepOutput: laterStageReads,
          },
          {
            tenantId: operation.tenantId,
            operationId: operation.id,
            jobName: operation.jobName,
            stageName: stage.name,
          },
        );
        let firstRetryableError: string | undefined;
        // Each heartbeat also writes what finished since the last one. A write that fails (Postgres
        // restarting) keeps its outcomes for the next; the heartbeat goes on, since this process
        // is alive and its work is safe in memory until Postgres answers again.
        const progress = createProgressBoard();
        const runLog = createRunLog(deps.database, operation);
        const info = operationInfo(operation);
        const heartbeat = setInterval(() => {
          context.heartbeat({
            recorded: recorder.totals(),
            of: claimed.length,
            progress: progress.snapshot(),
          });
          recorder.flush().catch(() => undefined);
          void runLog.flush();
        }, HEARTBEAT_EVERY_MS);
        const cancelled = context.cancellationSignal;
        const itemSignals = createItemSignals(cancelled, stage.itemTimeoutMs);
        const scope: StageScope<unknown> = {
          host,
          params,
          attempt: context.info.attempt,
          operation: info,
          stageName: stage.name,
          signals: itemSignals,
          progress,
          log: runLog.logger(log, stage.name),
          addCost: (itemId, amount, unit) => recorder.addCost({ itemId, amount, unit }),
        };
        const limiter = stage.rateLimitPerSecond
          ? createRateLimiter(
              sql,
              `${context.info.taskQueue}:${handler.name}`,
              stage.rateLimitPerSecond,
              stage.concurrency,
            )
          : undefined;
        try {
          const handlersTimer = metrics.batchPhase.startTimer({ phase: 'handlers' });
          await forEachWithConcurrency(
            claimed,
            stage.concurrency,
            async (item) => {
              const lost = lostWorkerOutcome(item.attempts, stage.retry);
              if (lost) {
                recorder.add({
                  itemId: item.itemId,
                  startedAt: Date.now(),
                  ...lost,
                  durationMs: 0,
                });
                return;
              }
              if (limiter) {
                const waitStarted = performance.now();
                try {
                  await limiter.take(cancelled);
                  metrics.rateLimitWait.observe(
                    { handler: handler.name },
                    (performance.now() - waitStarted) / 1000,
                  );
                } catch {
                  return;
                }
              }
              const started = performance.now();
              const startedAt = Date.now();
              const itemContext = new ItemContext(scope, item.itemId, item.key, item.attempts);
              try {
                const output = await handler.process(
                  {
                    id: item.itemId,
                    key: item.key,
                    data: item.data,
                    collectionId: item.collectionId,
                    results: earlierResults?.get(item.itemId) ?? {},
                  },
                  itemContext,
                );
                recorder.add({
                  itemId: item.itemId,
                  startedAt,
                  status: 'done',
                  durationMs: performance.now() - started,
                  output,
                });
              } catch (thrown) {
                const outcome = itemFailureOutcome(
                  thrown,
                  item.attempts,
                  stage.retry,
                  cancelled.aborted,
                );
                if (!outcome) return;
                if (outcome.status === 'pending') firstRetryableError ??= outcome.error;
                recorder.add({
                  itemId: item.itemId,
                  startedAt,
                  ...outcome,
                  durationMs: performance.now() - started,
                });
              } finally {
                itemContext.end();
              }
            },
            cancelled,
          );
          handlersTimer();
          // A cancelled batch writes what it finished too, before it reports the cancel.
          const recordTimer = metrics.batchPhase.startTimer({ phase: 'record' });
          await inSpan('postgres: record outcomes', { 'db.system': 'postgresql' }, () =>
            flushPatiently(recorder.flush),
          );
          recordTimer();
          await runLog.flush();
        } finally {
          clearInterval(heartbeat);
          itemSignals.dispose();
        }
        const counts = recorder.totals();
        const ending = batchEnding({
          cancelled: cancelled.aborted,
          pending: counts.pending,
          claimed: claimed.length,
          firstRetryableError,
        });
        if (ending.kind === 'cancelled') {
          // What finished is kept; what was cut short goes back to pending for a later run.
          await inSpan('postgres: release batch', { 'db.system': 'postgresql' }, () =>
            releaseBatch(sql, operation.id, input.stageIndex, input.range),
          );
          throw new CancelledFailure('batch cancelled; finished items were recorded');
        }
        if (ending.kind === 'retry') {
          throw ApplicationFailure.retryable(ending.message, 'RetryableItemFailures');
        }
        const result = {
          done: counts.done,
          failed: counts.failed,
          skipped: counts.skipped,
          items: claimed.length,
          durationMs: performance.now() - began,
        };
        log.info(
          { range: input.range, attempt: context.info.attempt, ...result },
          `batch of ${claimed.length} items done in ${Math.round(result.durationMs)} ms`,
        );
        return result;
      } finally {
        metrics.batchesInFlight.dec(labels);
        stopTimer();
      }
    },
  };
}
