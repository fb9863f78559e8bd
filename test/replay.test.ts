import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createJob,
  type Harness,
  seedCollection,
  startHarness,
  startOperation,
  waitForOperation,
  waitForStatus,
} from './harness';

/**
 * Determinism guard. Histories recorded from earlier workflow code are committed under
 * fixtures/ (protobuf binary, as the server stores them); replaying them with today's code fails if a change would break runs in flight.
 * `RECORD_HISTORIES=v2- npx vitest run test/replay.test.ts` records anew those whose names
 * start with its value (do that only when a change is meant to be incompatible, and version the
 * workflow instead where runs may be live); version 1's predate patches that must stay covered.
 */
const fixtures = new URL('./fixtures/histories/', import.meta.url);
const { History } = temporal.api.history.v1;
const replayOptions = () => ({ workflowBundle: { codePath: inject('workflowBundlePath') } });

/** Both ledgers' workflows; small chunks make 150 items several chunks. */
let harness: Harness;
let harnessV2: Harness;
beforeAll(async () => {
  // Version 1: 150 items are three chunk children.
  harness = await startHarness({ chunkSize: 50, batchSize: 20, ledgerVersion: 1 });
  // Version 2 runs up to ten chunks inline: 150 items are fifteen chunk children, 40 run inline.
  harnessV2 = await startHarness({ chunkSize: 10, batchSize: 20, ledgerVersion: 2 });
});
afterAll(async () => {
  await harness?.stop();
  await harnessV2?.stop();
});

async function historyOf(on: Harness, workflowId: string) {
  return on.temporal.workflow.getHandle(workflowId).fetchHistory();
}

/** Runs every path once on `on` and returns their histories by fixture name. */
async function freshHistories(on: Harness, prefix: string) {
  const collectionId = await seedCollection(on, 150);
  await createJob(on, {
    name: 'replayed',
    stages: [
      {
        name: 'a',
        handler: 'noop',
        params: { failKeys: ['k1'], flakyKeys: ['k2'] },
        retry: { initialIntervalMs: 50 },
      },
      { name: 'b', handler: 'noop', params: { delayMs: 20 } },
    ],
  });
  const single = await startOperation(on, { job: 'replayed', collectionId, limit: 10 });
  const inline = await startOperation(on, { job: 'replayed', collectionId, limit: 40 });
  const chunked = await startOperation(on, { job: 'replayed', collectionId });
  await waitForOperation(on, chunked, (op) => op.counts.done > 0, 'progress');
  await on.api('POST', `/v1/operations/${chunked}/pause`);
  await on.api('POST', `/v1/operations/${chunked}/resume`);
  const cancelled = await startOperation(on, { job: 'replayed', collectionId });
  await waitForOperation(on, cancelled, (op) => op.counts.done > 0, 'progress');
  await on.api('POST', `/v1/operations/${cancelled}/cancel`);
  await waitForStatus(on, single, ['completed']);
  await waitForStatus(on, inline, ['completed']);
  await waitForStatus(on, chunked, ['completed']);
  await waitForStatus(on, cancelled, ['cancelled']);
  return {
    [`${prefix}operation-single`]: await historyOf(on, single),
    [`${prefix}operation-inline`]: await historyOf(on, inline),
    [`${prefix}operation-chunked-paused`]: await historyOf(on, chunked),
    [`${prefix}chunk-child`]: await historyOf(on, `${chunked}.chunk-0`),
    [`${prefix}operation-cancelled`]: await historyOf(on, cancelled),
  };
}

describe('replay', () => {
  it('replays histories committed from earlier code: inline, chunked and paused, its chunk, cancelled', async () => {
    const files = readdirSync(fixtures)
      .filter((name) => name.endsWith('.binpb'))
      .sort();
    expect(files).toEqual([
      'chunk-child.binpb',
      'operation-cancelled.binpb',
      'operation-chunked-paused.binpb',
      'operation-inline.binpb',
      'v2-chunk-child.binpb',
      'v2-operation-cancelled.binpb',
      'v2-operation-chunked-paused.binpb',
      'v2-operation-inline.binpb',
      'v2-operation-single.binpb',
    ]);
    const bytes = files.map((file) => readFileSync(new URL(file, fixtures)));
    const v1 = bytes.filter((_, index) => !files[index]?.startsWith('v2-'));
    // They predate the one-step stage patches (run-chunk.ts), so replaying them walks the
    // branches that runs begun before an upgrade still take; re-recording them would lose that.
    for (const patch of ['stage-opens-in-one-step', 'stage-advances-in-one-step']) {
      expect(
        v1.some((history) => history.includes(patch)),
        patch,
      ).toBe(false);
    }
    expect(v1.filter((history) => history.includes('closeStage'))).toHaveLength(2);
    // Version 2's chunks inline, and children where there are more than ten.
    const named = (file: string) => bytes[files.indexOf(file)] ?? Buffer.alloc(0);
    expect(named('v2-operation-inline.binpb').includes('v2-inline-chunks')).toBe(true);
    expect(named('v2-operation-inline.binpb').includes('chunkWorkflow')).toBe(false);
    expect(named('v2-operation-chunked-paused.binpb').includes('chunkWorkflow')).toBe(true);
    for (const [index, file] of files.entries()) {
      const recorded = History.decode(bytes[index] as Uint8Array);
      await expect(
        Worker.runReplayHistory(replayOptions(), recorded, file),
        file,
      ).resolves.toBeUndefined();
    }
  });

  it('replays fresh histories of every path of both ledgers: inline, chunked, paused, cancelled', async () => {
    const recorded = {
      ...(await freshHistories(harness, '')),
      ...(await freshHistories(harnessV2, 'v2-')),
    };
    for (const [name, events] of Object.entries(recorded)) {
      await expect(
        Worker.runReplayHistory(replayOptions(), events, name),
        name,
      ).resolves.toBeUndefined();
      const recording = process.env.RECORD_HISTORIES;
      if (recording !== undefined && name.startsWith(recording)) {
        writeFileSync(new URL(`${name}.binpb`, fixtures), History.encode(events).finish());
      }
    }
  });
});
