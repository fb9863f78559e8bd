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
 * `RECORD_HISTORIES=1 npx vitest run test/replay.test.ts` records them anew (do that only when
 * a change is meant to be incompatible, and version the workflow instead where runs may be live).
 */
const fixtures = new URL('./fixtures/histories/', import.meta.url);
const { History } = temporal.api.history.v1;
const replayOptions = () => ({ workflowBundle: { codePath: inject('workflowBundlePath') } });

let harness: Harness;
beforeAll(async () => {
  // A small chunk size makes 150 items three chunk children.
  harness = await startHarness({ chunkSize: 50, batchSize: 20 });
});
afterAll(async () => {
  await harness?.stop();
});

async function history(workflowId: string) {
  return harness.temporal.workflow.getHandle(workflowId).fetchHistory();
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
    ]);
    const bytes = files.map((file) => readFileSync(new URL(file, fixtures)));
    // They predate the one-step stage patches (run-chunk.ts), so replaying them walks the
    // branches that runs begun before an upgrade still take; re-recording them would lose that.
    for (const patch of ['stage-opens-in-one-step', 'stage-advances-in-one-step']) {
      expect(
        bytes.some((history) => history.includes(patch)),
        patch,
      ).toBe(false);
    }
    expect(bytes.filter((history) => history.includes('closeStage'))).toHaveLength(2);
    for (const [index, file] of files.entries()) {
      const recorded = History.decode(bytes[index] as Uint8Array);
      await expect(
        Worker.runReplayHistory(replayOptions(), recorded, file),
        file,
      ).resolves.toBeUndefined();
    }
  });

  it('replays fresh histories of every path: inline, chunked, paused, cancelled', async () => {
    const collectionId = await seedCollection(harness, 150);
    await createJob(harness, {
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
    const inline = await startOperation(harness, { job: 'replayed', collectionId, limit: 40 });
    const chunked = await startOperation(harness, { job: 'replayed', collectionId });
    await waitForOperation(harness, chunked, (op) => op.counts.done > 0, 'progress');
    await harness.api('POST', `/v1/operations/${chunked}/pause`);
    await harness.api('POST', `/v1/operations/${chunked}/resume`);
    const cancelled = await startOperation(harness, { job: 'replayed', collectionId });
    await waitForOperation(harness, cancelled, (op) => op.counts.done > 0, 'progress');
    await harness.api('POST', `/v1/operations/${cancelled}/cancel`);
    await waitForStatus(harness, inline, ['completed']);
    await waitForStatus(harness, chunked, ['completed']);
    await waitForStatus(harness, cancelled, ['cancelled']);

    const recorded = {
      'operation-inline': await history(inline),
      'operation-chunked-paused': await history(chunked),
      'chunk-child': await history(`${chunked}.chunk-0`),
      'operation-cancelled': await history(cancelled),
    };
    for (const [name, events] of Object.entries(recorded)) {
      await expect(
        Worker.runReplayHistory(replayOptions(), events, name),
        name,
      ).resolves.toBeUndefined();
      if (process.env.RECORD_HISTORIES === '1') {
        writeFileSync(new URL(`${name}.binpb`, fixtures), History.encode(events).finish());
      }
    }
  });
});
