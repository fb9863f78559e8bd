import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createJob,
  type Harness,
  seedCollection,
  startHarness,
  startOperation,
  waitForStatus,
} from './harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ chunkSize: 100 });
});
afterAll(async () => {
  await harness?.stop();
});

const text = (payload: { data?: Uint8Array | null } | null | undefined) =>
  payload?.data ? JSON.parse(Buffer.from(payload.data).toString()) : undefined;

/** The ledger format the operation was recorded in (docs/ledger.md), fixed at its creation. */
async function ledgerOf(operationId: string): Promise<number> {
  const [row] = await harness.database.sql<{ ledger: number }[]>`
    select ledger from operations where id = ${operationId}`;
  return Number(row?.ledger);
}

/** The summaries of a workflow's batch activities, as the Web UI lists its history. */
async function activitySummaries(workflowId: string): Promise<string[]> {
  const history = await harness.temporal.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? [])
    .filter((event) => event.activityTaskScheduledEventAttributes)
    .map((event) => text(event.userMetadata?.summary));
}

/**
 * Version 2's batch: the stages of its run, the chunk (1-based) and its slice of the chunk's
 * frozen positions, which are not item ids.
 */
const sliceSummary = /^only: chunk (\d+), positions (\d+)–(\d+) \((\d+)\)$/;

/** Every version-2 summary is well formed, and its slices cover each chunk's positions once. */
function expectSlicesCover(summaries: string[], chunkSizes: number[]) {
  const covered = chunkSizes.map(() => 0);
  for (const summary of summaries) {
    const [, chunk, from, to, count] = summary.match(sliceSummary) ?? [];
    expect(summary).toMatch(sliceSummary);
    expect(Number(count)).toBe(Number(to) - Number(from) + 1);
    covered[Number(chunk) - 1] = (covered[Number(chunk) - 1] ?? 0) + Number(count);
  }
  expect(covered).toEqual(chunkSizes);
}

describe('the Web UI', () => {
  it('names the job, scope and each batch’s stage and range without opening payloads', async () => {
    const collectionId = await seedCollection(harness, 250);
    await createJob(harness, { name: 'summarized', stages: [{ name: 'only', handler: 'noop' }] });
    const id = await startOperation(harness, { job: 'summarized', collectionId });
    await waitForStatus(harness, id, ['completed']);

    const operation = await harness.temporal.workflow.getHandle(id).describe();
    expect(await operation.staticSummary()).toBe(
      `summarized v1 over collection ${collectionId} (production)`,
    );
    expect(await operation.staticDetails()).toContain('**Requested by** admin');
    expect(operation.memo).toMatchObject({ tenant: 'default', job: 'summarized' });

    if ((await ledgerOf(id)) === 2) {
      // Version 2 runs a few chunks in the operation's own workflow: its batches are there.
      await expect(harness.temporal.workflow.getHandle(`${id}.chunk-0`).describe()).rejects.toThrow(
        /not found/,
      );
      expectSlicesCover(await activitySummaries(id), [100, 100, 50]);
      return;
    }
    const chunk = harness.temporal.workflow.getHandle(`${id}.chunk-0`);
    expect((await chunk.describe()).memo).toMatchObject({ tenant: 'default', job: 'summarized' });
    expect(await (await chunk.describe()).staticSummary()).toMatch(
      /^chunk 1 of 3: items \d+–\d+ \(100\)$/,
    );
    const summaries = await activitySummaries(`${id}.chunk-0`);
    expect(summaries.length).toBeGreaterThan(0);
    for (const summary of summaries) expect(summary).toMatch(/^only: items \d+–\d+ \(\d+\)$/);
  });

  it('names each chunk child and its batches when version 2 has too many chunks to run inline', async () => {
    const collectionId = await seedCollection(harness, 1_050);
    await createJob(harness, { name: 'many-chunks', stages: [{ name: 'only', handler: 'noop' }] });
    const id = await startOperation(harness, { job: 'many-chunks', collectionId });
    await waitForStatus(harness, id, ['completed']);
    // Version 1's children are the first test's; this one is version 2's above MAX_INLINE_CHUNKS.
    if ((await ledgerOf(id)) !== 2) return;

    expect(await activitySummaries(id)).toEqual([]);
    const chunk = harness.temporal.workflow.getHandle(`${id}.chunk-10`);
    const described = await chunk.describe();
    expect(described.memo).toMatchObject({ tenant: 'default', job: 'many-chunks' });
    expect(await described.staticSummary()).toBe('chunk 11 of 11 (50 items)');
    const summaries = await activitySummaries(`${id}.chunk-10`);
    expectSlicesCover(
      summaries,
      Array.from({ length: 11 }, (_, i) => (i === 10 ? 50 : 0)),
    );
  });
});
