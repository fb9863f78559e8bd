import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type {
  BatchResult,
  EngineSettings,
  FinishInput,
  OperationInput,
  StagePlan,
} from '../../common/engine';
import { MIN_FIRST_SLICE, TARGET_BATCH_MS } from '../../common/limits';
import type { CloseRunInput, SlicedPlan, SliceInput } from '../../common/slices';
import { FAKE_RETRY, useWorkflowEnvironment } from './workflow-environment';

/**
 * Ledger version 2's workflow rules with the activities replaced by object literals: how slices
 * are cut, time-boxed batches handing back their rest, and chunks run side by side within the
 * operation's batches in flight.
 */

const workflows = useWorkflowEnvironment('unit-sliced');

function stagePlan(adaptive: boolean): StagePlan {
  return {
    index: 0,
    name: 's0',
    handler: 'fake',
    batchSize: 5,
    adaptive,
    startToCloseMs: 60_000,
    retry: FAKE_RETRY,
  };
}

interface FakeOptions {
  chunks: number[];
  adaptive: boolean;
  /** Items a batch runs before its time box is up; the rest it hands back. */
  perBatch: number;
  /** Awaited inside each batch, while it counts as in flight. */
  onBatch?: () => Promise<void>;
}

function fakeActivities(options: FakeOptions) {
  const slices: SliceInput[] = [];
  /** The chunks each open named, in order: one list for a step that opened several. */
  const opened: number[][] = [];
  /** Positions each chunk ran, in order. */
  const ran = new Map<number, number[]>();
  let inFlight = 0;
  let mostInFlight = 0;
  const activities = {
    async prepareSlicedOperation(): Promise<SlicedPlan> {
      return { operationKey: 1, chunks: options.chunks, runs: [[stagePlan(options.adaptive)]] };
    },
    async openRun(input: { chunks: number[] }) {
      opened.push(input.chunks);
    },
    async closeRun(_input: CloseRunInput) {
      return { rerun: [] };
    },
    async setPaused() {},
    async finishOperation(input: FinishInput) {
      return { status: input.status };
    },
    async processSlice(input: SliceInput): Promise<BatchResult> {
      slices.push(input);
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      try {
        await options.onBatch?.();
      } finally {
        inFlight--;
      }
      const last = input.timeBoxMs
        ? Math.min(input.to, input.from + options.perBatch - 1)
        : input.to;
      const positions = ran.get(input.chunkIndex) ?? [];
      for (let position = input.from; position <= last; position++) positions.push(position);
      ran.set(input.chunkIndex, positions);
      const items = last - input.from + 1;
      return {
        done: items,
        failed: 0,
        skipped: 0,
        items,
        durationMs: TARGET_BATCH_MS,
        ...(last < input.to ? { rest: { from: last + 1, to: input.to } } : {}),
      };
    },
  };
  return { activities, slices, ran, opened, mostInFlight: () => mostInFlight };
}

async function run(
  activities: ReturnType<typeof fakeActivities>['activities'],
  overrides: Partial<EngineSettings>,
) {
  const settings: EngineSettings = {
    chunkSize: 2_000,
    batchSize: 5,
    parallelChunks: 1,
    parallelBatches: 2,
    historyEventsLimit: 10_000,
    ...overrides,
  };
  return workflows.withWorker(activities, (taskQueue) =>
    workflows.client().workflow.execute('operationWorkflow', {
      taskQueue,
      workflowId: `sliced-${taskQueue}`,
      args: [{ operationId: `sliced-${taskQueue}`, settings, ledger: 2 } satisfies OperationInput],
      workflowExecutionTimeout: '1 minute',
    }),
  );
}

const upTo = (count: number) => Array.from({ length: count }, (_, index) => index + 1);
const sorted = (positions: number[] | undefined) => [...(positions ?? [])].sort((a, b) => a - b);

describe('version-2 operation workflow with fake activities', () => {
  it('starts an adaptive stage with a lane’s share, and runs the rest a time box handed back', async () => {
    const fake = fakeActivities({ chunks: [2_000], adaptive: true, perBatch: 300 });
    const result = await run(fake.activities, { parallelBatches: 2 });
    expect(result.status).toBe('completed');
    // Every position once: what a batch handed back ran in later batches, nothing twice.
    expect(sorted(fake.ran.get(0))).toEqual(upTo(2_000));
    const [first, second] = fake.slices;
    expect([first?.from, first?.to, second?.from, second?.to]).toEqual([1, 1_000, 1_001, 2_000]);
    expect(fake.slices.every((slice) => slice.timeBoxMs === TARGET_BATCH_MS)).toBe(true);
    const rests = fake.slices.slice(2);
    expect(rests.length).toBeGreaterThan(0);
    // A rest may hold items a zombie of its batch recorded: its claim reads outcomes.
    expect(rests.every((slice) => slice.resumed === true)).toBe(true);
  });

  it('starts a chunk smaller than MIN_FIRST_SLICE in one batch, whatever the lanes', async () => {
    const fake = fakeActivities({ chunks: [50], adaptive: true, perBatch: 50 });
    await run(fake.activities, { parallelBatches: 4 });
    expect(fake.slices.map((slice) => [slice.from, slice.to])).toEqual([[1, 50]]);
    expect(MIN_FIRST_SLICE).toBeGreaterThan(50);
  });

  it('keeps a stage’s own batch size, without a time box', async () => {
    const fake = fakeActivities({ chunks: [20], adaptive: false, perBatch: 2 });
    await run(fake.activities, {});
    expect(fake.slices.map((slice) => [slice.from, slice.to])).toEqual([
      [1, 5],
      [6, 10],
      [11, 15],
      [16, 20],
    ]);
    expect(fake.slices.some((slice) => slice.timeBoxMs !== undefined)).toBe(false);
  });

  it('runs every chunk at once within the operation’s batches in flight', async () => {
    const gate = { open: false };
    const fake = fakeActivities({
      chunks: [2_000, 2_000, 2_000, 2_000, 2_000],
      adaptive: true,
      perBatch: 2_000,
      onBatch: async () => {
        while (!gate.open) await sleep(10);
      },
    });
    // History room for their batches at the stage's batch size of 5, so they run inline.
    const done = run(fake.activities, {
      parallelChunks: 4,
      parallelBatches: 4,
      historyEventsLimit: 50_000,
    });
    // 16 batches in flight at most over 5 chunks: 3 lanes each, but a third of a chunk is less
    // than MIN_FIRST_SLICE, so two batches of half a chunk each.
    const deadline = Date.now() + 10_000;
    while (fake.slices.length < 10 && Date.now() < deadline) await sleep(20);
    await sleep(200);
    expect(fake.slices.length).toBe(10);
    expect(new Set(fake.slices.map((slice) => slice.chunkIndex))).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(fake.slices.every((slice) => slice.to - slice.from + 1 === MIN_FIRST_SLICE)).toBe(true);
    gate.open = true;
    await done;
    for (const chunk of [0, 1, 2, 3, 4]) expect(sorted(fake.ran.get(chunk))).toEqual(upTo(2_000));
    // Their first runs opened in one step.
    expect(fake.opened).toEqual([[0, 1, 2, 3, 4]]);
  });

  it('never runs more batches than the operation’s parallelism, however many chunks', async () => {
    const fake = fakeActivities({
      chunks: [10, 10, 10, 10, 10, 10],
      adaptive: true,
      perBatch: 10,
      onBatch: () => sleep(30),
    });
    await run(fake.activities, { parallelChunks: 2, parallelBatches: 2 });
    expect(fake.mostInFlight()).toBe(4);
    // Chunks that wait for a lane open their runs when they start.
    expect(fake.opened).toEqual([0, 1, 2, 3, 4, 5].map((chunk) => [chunk]));
    for (const chunk of [0, 1, 2, 3, 4, 5]) expect(sorted(fake.ran.get(chunk))).toEqual(upTo(10));
  });
});
