import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { forEachWithConcurrency } from '../common/concurrency';
import type { BatchResult } from '../common/engine';
import { MIN_BATCH_SIZE } from '../common/limits';
import { logger } from '../common/log';
import { metrics } from '../common/metrics';
import type { SliceInput } from '../common/slices';
import { inSpan, traceFields } from '../common/tracing';
import { loadEarlierResults } from '../db/earlier-results';
import { claimSlice, type SliceItem } from '../db/outcomes';
import { endRunningBatch, startRunningBatch } from '../db/running-batches';
import type { ActivityDeps } from './deps';
import { createHostAccess, createProgressBoard, operationInfo } from './handler-context';
import { ItemContext, type StageScope } from './item-context';
import { createItemSignals } from './item-signals';
import { createOperationCache } from './operation-cache';
import { batchEnding, itemFailureOutcome, lostWorkerOutcome } from './outcomes';
import { createRateLimiter } from './rate-limiter';
import { createRunLog } from './run-log';
import { createSliceRecorder } from './slice-recorder';
import { flushPatiently, HEARTBEAT_EVERY_MS, resolveStage } from './stage-handlers';

/**
 * Ledger version 2's batch (docs/ledger.md): one slice of a chunk through a run of fused
 * stages. The claim only reads; each item goes through the run's stages in order, a stage only
 * after the one before passed; every final outcome is one inserted row. Items that failed
 * retryably make the batch throw, so Temporal retries it with the stages' policy, and the retry
 * runs only what is not recorded.
 */
export function createSliceActivities(deps: Pick<ActivityDeps, 'database' | 'handlers' | 'host'>) {
  const { sql } = deps.database;
  const cachedOperation = createOperationCache(deps.database);
  const host = deps.host ?? createHostAccess();

  return {
    async processSlice(input: SliceInput): Promise<BatchResult> {
      const context = Context.current();
      const began = performance.now();
      const operation = await cachedOperation(input.operationId);
      if (!operation) {
        throw ApplicationFailure.nonRetryable(`operation ${input.operationId} has no record`);
      }
      const stages = input.stages.map((index) => resolveStage(deps.handlers, operation, index));
      const [first] = stages;
      if (!first) throw ApplicationFailure.nonRetryable('a slice names no stage');
      const attempt = context.info.attempt;
      const labels = { handler: first.handler.name };
      const { workflowExecution } = context.info;
      const batchLog = logger({
        tenantId: operation.tenantId,
        operationId: operation.id,
        workflowId: workflowExecution?.workflowId,
        runId: workflowExecution?.runId,
        ...traceFields(),
      });
      // The batch's own lines name every stage of its run, as its activity's summary does; a
      // handler's lines name the stage and handler it runs in.
      const log = batchLog.child({
        stage: stages.map((each) => each.stage.name).join('+'),
        handler: stages.map((each) => each.handler.name).join('+'),
      });
      if (attempt > 1) metrics.batchRetries.inc(labels);
      metrics.batchesInFlight.inc(labels);
      const stopTimer = metrics.batchDuration.startTimer(labels);
      const running = {
        operationKey: operation.key,
        chunkIndex: input.chunkIndex,
        from: input.from,
        to: input.to,
        stages: input.stages,
        attempt,
      };
      try {
        await startRunningBatch(sql, running);
        const definition = operation.definition.stages;
        const firstIndex = first.index;
        const gate = firstIndex > 0 ? firstIndex - 1 : undefined;
        const lastIndex = firstIndex + stages.length - 1;
        const claimTimer = metrics.batchPhase.startTimer({ phase: 'claim' });
        const claimed = await inSpan('postgres: claim slice', { 'db.system': 'postgresql' }, () =>
          claimSlice(
            sql,
            {
              operationKey: operation.key,
              chunkIndex: input.chunkIndex,
              from: input.from,
              to: input.to,
            },
            { gate, last: lastIndex },
            attempt === 1 && !input.rerun && !input.resumed,
          ),
        );
        claimTimer();
        const stageHandlers = definition.map((each) => each.handler);
        const reads = [...new Set(stages.flatMap((each) => each.handler.reads ?? []))];
        const earlierResults = reads.length
          ? await loadEarlierResults(
              sql,
              operation.id,
              stageHandlers.slice(0, firstIndex),
              reads,
              claimed.map((item) => item.itemId),
            )
          : undefined;
        const recorder = createSliceRecorder(
          deps.database,
          {
            operationId: operation.id,
            operationKey: operation.key,
            attempt,
            handlerVersions: Object.fromEntries(
              stages.map((each) => [each.index, each.handler.version]),
            ),
            lastStage: definition.length - 1,
            stageNames: Object.fromEntries(stages.map((each) => [each.index, each.stage.name])),
          },
          { tenantId: operation.tenantId, operationId: operation.id, jobName: operation.jobName },
          (index) => definition[index]?.handler ?? '',
        );
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
        const itemSignals = createItemSignals(cancelled, first.stage.itemTimeoutMs);
        const scopes = stages.map(
          (each): StageScope<unknown> => ({
            host,
            params: each.params,
            attempt,
            operation: info,
            stageName: each.stage.name,
            signals: itemSignals,
            progress,
            log: runLog.logger(
              batchLog.child({ stage: each.stage.name, handler: each.handler.name }),
              each.stage.name,
            ),
            addCost: (itemId, amount, unit) =>
              recorder.addCost({ itemId, amount, unit, stage: each.index }),
          }),
        );
        const limiters = stages.map((each) =>
          each.stage.rateLimitPerSecond
            ? createRateLimiter(
                sql,
                `${context.info.taskQueue}:${each.handler.name}`,
                each.stage.rateLimitPerSecond,
                each.stage.concurrency,
              )
            : undefined,
        );
        let retried = 0;
        let firstRetryableError: string | undefined;

        /** One item through the run's stages; false stops it (retry, cancel, failure). */
        const runItem = async (item: SliceItem) => {
          const passed = gate === undefined || passes(item.recorded[gate]);
          if (!passed) return;
          const results: Record<string, unknown> = { ...earlierResults?.get(item.itemId) };
          const handlerItem = {
            id: item.itemId,
            key: item.key,
            data: item.data,
            collectionId: item.collectionId,
            results,
          };
          for (const [position, each] of stages.entries()) {
            const recorded = item.recorded[each.index];
            if (recorded !== undefined) {
              if (!passes(recorded)) return;
              continue;
            }
            const lost = lostWorkerOutcome(attempt, each.stage.retry);
            if (lost) {
              recorder.add({
                itemId: item.itemId,
                stage: each.index,
                status: 'failed',
                error: lost.error,
                durationMs: 0,
              });
              return;
            }
            const limiter = limiters[position];
            if (limiter) {
              const waitStarted = performance.now();
              try {
                await limiter.take(cancelled);
              } catch {
                return;
              }
              metrics.rateLimitWait.observe(
                { handler: each.handler.name },
                (performance.now() - waitStarted) / 1000,
              );
            }
            const started = performance.now();
            const itemContext = new ItemContext(
              scopes[position] as StageScope<unknown>,
              item.itemId,
              item.key,
            );
            try {
              const output = await each.handler.process(handlerItem, itemContext);
              recorder.add({
                itemId: item.itemId,
                stage: each.index,
                status: 'done',
                durationMs: performance.now() - started,
                output,
              });
              results[each.handler.name] = output;
            } catch (thrown) {
              const outcome = itemFailureOutcome(
                thrown,
                attempt,
                each.stage.retry,
                cancelled.aborted,
              );
              if (!outcome) return;
              if (outcome.status === 'pending') {
                retried++;
                firstRetryableError ??= outcome.error;
                recorder.retry({ itemId: item.itemId, stage: each.index, error: outcome.error });
                return;
              }
              recorder.add({
                itemId: item.itemId,
                stage: each.index,
                status: outcome.status,
                error: outcome.error,
                durationMs: performance.now() - started,
              });
              if (outcome.status === 'failed') return;
            } finally {
              itemContext.end();
            }
          }
        };

        const timeBox = createTimeBox(input.timeBoxMs, began, cancelled);
        try {
          const handlersTimer = metrics.batchPhase.startTimer({ phase: 'handlers' });
          await forEachWithConcurrency(
            claimed,
            first.stage.concurrency,
            async (item, index) => {
              if (timeBox.over(index)) return;
              await runItem(item);
            },
            timeBox.signal,
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
        const ending = batchEnding({
          cancelled: cancelled.aborted,
          pending: retried,
          claimed: claimed.length,
          firstRetryableError,
        });
        if (ending.kind === 'cancelled') {
          throw new CancelledFailure('batch cancelled; finished items were recorded');
        }
        if (ending.kind === 'retry') {
          throw ApplicationFailure.retryable(ending.message, 'RetryableItemFailures');
        }
        const counts = recorder.totals();
        const left = timeBox.firstLeft === undefined ? undefined : claimed[timeBox.firstLeft];
        const result = {
          done: counts.done,
          failed: counts.failed,
          skipped: counts.skipped,
          items: timeBox.firstLeft ?? claimed.length,
          durationMs: performance.now() - began,
          ...(left ? { rest: { from: left.position, to: input.to } } : {}),
        };
        log.info(
          { slice: [input.from, input.to], stages: input.stages, attempt, ...result },
          `batch of ${claimed.length} items done in ${Math.round(result.durationMs)} ms`,
        );
        return result;
      } finally {
        // A row left behind (Postgres away) only shows items in progress until the finish.
        await endRunningBatch(sql, running).catch(() => undefined);
        metrics.batchesInFlight.dec(labels);
        stopTimer();
      }
    },
  };
}

/**
 * A batch's time box: once `timeBoxMs` has passed since it began, it starts no more items, after
 * MIN_BATCH_SIZE at least. Items start in order, so those left are the claim's from `firstLeft`
 * on; their positions go back to the workflow for another batch. Without a time box, only a
 * cancel stops the batch.
 */
function createTimeBox(timeBoxMs: number | undefined, began: number, cancelled: AbortSignal) {
  const timeUp = new AbortController();
  const box = {
    signal: timeBoxMs === undefined ? cancelled : AbortSignal.any([cancelled, timeUp.signal]),
    firstLeft: undefined as number | undefined,
    /** Whether the item at `index` is past the box; the first such index is remembered. */
    over(index: number): boolean {
      if (timeBoxMs === undefined || index < MIN_BATCH_SIZE) return false;
      if (performance.now() - began < timeBoxMs) return false;
      timeUp.abort();
      box.firstLeft = Math.min(box.firstLeft ?? index, index);
      return true;
    },
  };
  return box;
}

/** Whether an item may go on to the next stage after this outcome there. */
function passes(status: string | undefined): boolean {
  return status === 'done' || status === 'skipped';
}
