import { setTimeout as sleep } from 'node:timers/promises';
import { Context } from '@temporalio/activity';
import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type {
  AdvanceStageInput,
  BatchInput,
  BatchResult,
  CloseStageInput,
  EngineSettings,
  FinishInput,
  ItemRange,
  OpenStageInput,
  OperationInput,
  PlanRangesInput,
  StagePlan,
} from '../../common/engine';
import { pauseUpdate, progressQuery, resumeUpdate } from '../../workflows/definitions';
import { FAKE_RETRY, useWorkflowEnvironment } from './workflow-environment';

/**
 * The workflows' rules with the activities replaced by object literals: no Postgres, no handlers,
 * only Temporal's test environment and a worker on a task queue of the test's own. Each activity
 * call is logged in order, so a test reads what the workflow asked for and when.
 */

const workflows = useWorkflowEnvironment('unit-operation');
const { withWorker } = workflows;

function stagePlan(index: number): StagePlan {
  return {
    index,
    name: `s${index}`,
    handler: 'fake',
    batchSize: 5,
    adaptive: false,
    startToCloseMs: 60_000,
    retry: FAKE_RETRY,
  };
}

/** Consecutive ranges of `size` over items `from`..`to`. */
function rangesOf(from: number, to: number, size: number): ItemRange[] {
  const ranges: ItemRange[] = [];
  for (let first = from; first <= to; first += size) {
    const last = Math.min(to, first + size - 1);
    ranges.push({ fromItemId: first, toItemId: last, count: last - first + 1 });
  }
  return ranges;
}

interface FakeOptions {
  items: number;
  chunkSize: number;
  stages: number;
  /** Called at the start of each batch; may block it. */
  onBatch?: (input: BatchInput) => Promise<void>;
  /** Ranges a stage's close reports unfinished on a given round, as Postgres would after a loss. */
  rerun?: (close: CloseStageInput) => ItemRange[];
}

type Logged =
  | { kind: 'batch'; stageIndex: number; range: ItemRange }
  | { kind: 'close'; stageIndex: number; chunkIndex?: number; round: number; rerun: number }
  | { kind: 'prepare'; nextChunk?: number }
  | { kind: 'setPaused'; paused: boolean }
  | { kind: 'finish'; status: string };

/** The bookkeeping and batch activities the workflows proxy, over an in-memory log. */
function fakeActivities(options: FakeOptions) {
  const log: Logged[] = [];
  const stages = Array.from({ length: options.stages }, (_, index) => stagePlan(index));
  const slices = (input: OpenStageInput) =>
    input.slices
      ? rangesOf(input.slices.within.fromItemId, input.slices.within.toItemId, input.slices.size)
      : undefined;
  const close = (input: CloseStageInput) => {
    const rerun = options.rerun?.(input) ?? [];
    const { stageIndex, chunkIndex, round } = input;
    log.push({ kind: 'close', stageIndex, chunkIndex, round, rerun: rerun.length });
    return { rerun };
  };
  const activities = {
    async prepareOperation(input: OperationInput) {
      log.push({ kind: 'prepare', nextChunk: input.nextChunk });
      return {
        mode: 'production' as const,
        stages,
        chunks: rangesOf(1, options.items, options.chunkSize),
      };
    },
    async planRanges(input: PlanRangesInput) {
      return rangesOf(
        input.within?.fromItemId ?? 1,
        input.within?.toItemId ?? options.items,
        input.size,
      );
    },
    async openStage(input: OpenStageInput) {
      return slices(input);
    },
    async recordStageEvent() {},
    async closeStage(input: CloseStageInput) {
      return close(input);
    },
    async advanceStage(input: AdvanceStageInput) {
      const { rerun } = close(input.close);
      return rerun.length > 0 ? { rerun } : { rerun, opened: slices(input.open) };
    },
    async setPaused(input: { operationId: string; paused: boolean }) {
      log.push({ kind: 'setPaused', paused: input.paused });
    },
    async finishOperation(input: FinishInput) {
      log.push({ kind: 'finish', status: input.status });
      return { status: input.status };
    },
    async processBatch(input: BatchInput): Promise<BatchResult> {
      log.push({ kind: 'batch', stageIndex: input.stageIndex, range: input.range });
      await options.onBatch?.(input);
      return {
        done: input.range.count,
        failed: 0,
        skipped: 0,
        items: input.range.count,
        durationMs: 1,
      };
    },
  };
  return { activities, log };
}

function settings(overrides: Partial<EngineSettings> = {}): EngineSettings {
  return {
    chunkSize: 10,
    batchSize: 5,
    parallelChunks: 2,
    parallelBatches: 2,
    historyEventsLimit: 10_000,
    ...overrides,
  };
}

function start(taskQueue: string, operationId: string, engine: EngineSettings) {
  return workflows.client().workflow.start('operationWorkflow', {
    taskQueue,
    workflowId: operationId,
    args: [{ operationId, settings: engine } satisfies OperationInput],
    workflowExecutionTimeout: '1 minute',
  });
}

const batches = (log: Logged[], stageIndex?: number) =>
  log.flatMap((entry) =>
    entry.kind === 'batch' && (stageIndex === undefined || entry.stageIndex === stageIndex)
      ? [entry]
      : [],
  );
const itemsOf = (entries: { range: ItemRange }[]) =>
  entries
    .flatMap((entry) =>
      Array.from({ length: entry.range.count }, (_, offset) => entry.range.fromItemId + offset),
    )
    .sort((a, b) => a - b);
const allItems = (count: number) => Array.from({ length: count }, (_, index) => index + 1);

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const unique = (name: string) => `${name}-${process.pid}-${Date.now()}`;

describe('operation workflow with fake activities', () => {
  it("starts a chunk's stage N+1 only after its stage N closed", async () => {
    // Batches that take different times, so lanes and chunks interleave.
    const fake = fakeActivities({
      items: 30,
      chunkSize: 10,
      stages: 3,
      onBatch: (input) => sleep(((input.range.fromItemId * 7) % 5) * 10),
    });
    const result = await withWorker(fake.activities, async (taskQueue) =>
      (await start(taskQueue, unique('invariant'), settings())).result(),
    );
    expect(result).toEqual({ status: 'completed', chunksTotal: 3, chunksDone: 3, paused: false });
    for (const stageIndex of [0, 1, 2])
      expect(itemsOf(batches(fake.log, stageIndex))).toEqual(allItems(30));
    for (const [position, entry] of fake.log.entries()) {
      if (entry.kind !== 'batch' || entry.stageIndex === 0) continue;
      const chunkIndex = Math.floor((entry.range.fromItemId - 1) / 10);
      const closedBefore = fake.log
        .slice(0, position)
        .some(
          (earlier) =>
            earlier.kind === 'close' &&
            earlier.stageIndex === entry.stageIndex - 1 &&
            earlier.chunkIndex === chunkIndex &&
            earlier.rerun === 0,
        );
      expect(
        closedBefore,
        `stage ${entry.stageIndex} batch at item ${entry.range.fromItemId}`,
      ).toBe(true);
    }
    // Each close comes after every batch of its stage over its chunk.
    const lastStage0Batch = fake.log.findLastIndex(
      (entry) => entry.kind === 'batch' && entry.stageIndex === 0 && entry.range.fromItemId <= 10,
    );
    const stage0Close = fake.log.findIndex(
      (entry) => entry.kind === 'close' && entry.stageIndex === 0 && entry.chunkIndex === 0,
    );
    expect(stage0Close).toBeGreaterThan(lastStage0Batch);
    expect(fake.log.at(-1)).toEqual({ kind: 'finish', status: 'completed' });
  });

  it('runs again what the close found unfinished, then moves on', async () => {
    const lost = { fromItemId: 3, toItemId: 3, count: 1 };
    // Postgres lost item 3's outcome in stage 0 and item 7's in the last stage, once each.
    const fake = fakeActivities({
      items: 10,
      chunkSize: 10,
      stages: 2,
      rerun: (close) =>
        close.round > 1
          ? []
          : close.stageIndex === 0
            ? [lost]
            : [{ fromItemId: 7, toItemId: 7, count: 1 }],
    });
    const result = await withWorker(fake.activities, async (taskQueue) =>
      (await start(taskQueue, unique('rerun'), settings())).result(),
    );
    expect(result.status).toBe('completed');
    const closes = fake.log.filter((entry) => entry.kind === 'close');
    expect(closes).toEqual([
      { kind: 'close', stageIndex: 0, chunkIndex: undefined, round: 1, rerun: 1 },
      { kind: 'close', stageIndex: 0, chunkIndex: undefined, round: 2, rerun: 0 },
      { kind: 'close', stageIndex: 1, chunkIndex: undefined, round: 1, rerun: 1 },
      { kind: 'close', stageIndex: 1, chunkIndex: undefined, round: 2, rerun: 0 },
    ]);
    const stage0 = batches(fake.log, 0);
    expect(stage0.map((entry) => entry.range)).toEqual([...rangesOf(1, 10, 5), lost]);
    expect(itemsOf(batches(fake.log, 1))).toEqual([...allItems(10), 7].sort((a, b) => a - b));
    // The rerun of stage 0 ran before stage 1 began.
    const rerunAt = fake.log.findIndex(
      (entry) => entry.kind === 'batch' && entry.stageIndex === 0 && entry.range.count === 1,
    );
    const firstStage1 = fake.log.findIndex(
      (entry) => entry.kind === 'batch' && entry.stageIndex === 1,
    );
    expect(rerunAt).toBeLessThan(firstStage1);
  });

  it('continues as new past its history limit and runs every chunk exactly once', async () => {
    const fake = fakeActivities({ items: 60, chunkSize: 10, stages: 1 });
    const operationId = unique('continue');
    const result = await withWorker(fake.activities, async (taskQueue) =>
      (
        await start(taskQueue, operationId, settings({ parallelChunks: 1, historyEventsLimit: 20 }))
      ).result(),
    );
    expect(result).toEqual({ status: 'completed', chunksTotal: 6, chunksDone: 6, paused: false });
    const resumedAt = fake.log.flatMap((entry) =>
      entry.kind === 'prepare' ? [entry.nextChunk] : [],
    );
    expect(resumedAt.length).toBeGreaterThan(1);
    expect(resumedAt[0]).toBeUndefined();
    const later = resumedAt.slice(1) as number[];
    expect(later).toEqual([...later].sort((a, b) => a - b));
    expect(new Set(later).size).toBe(later.length);
    expect(later.every((next) => next > 0 && next < 6)).toBe(true);
    // Not one item twice: continuing as new does not start finished chunks again.
    expect(itemsOf(batches(fake.log))).toEqual(allItems(60));
  });

  // Inline, the operation's own wait holds the next batch; chunked, the chunk's wait does.
  it.each([
    { layout: 'inline', items: 10, chunksTotal: 1 },
    { layout: 'chunked', items: 20, chunksTotal: 2 },
  ])(
    'a pause lets the batch in flight finish and starts nothing until resumed ($layout)',
    async ({ items, chunksTotal }) => {
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      const fake = fakeActivities({
        items,
        chunkSize: 10,
        stages: 1,
        onBatch: (input) => (input.range.fromItemId === 1 ? released : Promise.resolve()),
      });
      const result = await withWorker(fake.activities, async (taskQueue) => {
        const handle = await start(
          taskQueue,
          unique('pause'),
          settings({ parallelChunks: 1, parallelBatches: 1 }),
        );
        await until(() => batches(fake.log).length === 1, 'the first batch');
        const paused = await handle.executeUpdate(pauseUpdate);
        expect(paused).toEqual({ status: 'paused', chunksTotal, chunksDone: 0, paused: true });
        release();
        await sleep(1_500);
        expect(batches(fake.log)).toHaveLength(1);
        expect(await handle.query(progressQuery)).toMatchObject({ status: 'paused', paused: true });
        const resumed = await handle.executeUpdate(resumeUpdate);
        expect(resumed).toMatchObject({ status: 'running', paused: false });
        return handle.result();
      });
      expect(result).toEqual({
        status: 'completed',
        chunksTotal,
        chunksDone: chunksTotal,
        paused: false,
      });
      expect(fake.log.filter((entry) => entry.kind === 'setPaused')).toEqual([
        { kind: 'setPaused', paused: true },
        { kind: 'setPaused', paused: false },
      ]);
      expect(itemsOf(batches(fake.log))).toEqual(allItems(items));
    },
  );

  it('a cancel waits for the batch in flight and records the operation cancelled', async () => {
    let batchCancelled = false;
    const fake = fakeActivities({
      items: 10,
      chunkSize: 10,
      stages: 2,
      onBatch: async () => {
        const context = Context.current();
        for (;;) {
          context.heartbeat();
          try {
            await Promise.race([context.cancelled, sleep(50)]);
          } catch (error) {
            batchCancelled = true;
            throw error;
          }
        }
      },
    });
    const failure = await withWorker(fake.activities, async (taskQueue) => {
      const handle = await start(taskQueue, unique('cancel'), settings({ parallelBatches: 1 }));
      await until(() => batches(fake.log).length === 1, 'the first batch');
      await handle.cancel();
      return handle.result().then(
        () => undefined,
        (error: unknown) => error,
      );
    });
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    expect(batchCancelled).toBe(true);
    expect(batches(fake.log)).toHaveLength(1);
    expect(fake.log.at(-1)).toEqual({ kind: 'finish', status: 'cancelled' });
  });
});
