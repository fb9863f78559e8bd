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

    const chunk = harness.temporal.workflow.getHandle(`${id}.chunk-0`);
    expect((await chunk.describe()).memo).toMatchObject({ tenant: 'default', job: 'summarized' });
    expect(await (await chunk.describe()).staticSummary()).toMatch(
      /^chunk 1 of 3: items \d+–\d+ \(100\)$/,
    );
    const history = await chunk.fetchHistory();
    const summaries = (history.events ?? [])
      .filter((event) => event.activityTaskScheduledEventAttributes)
      .map((event) => text(event.userMetadata?.summary));
    expect(summaries.length).toBeGreaterThan(0);
    for (const summary of summaries) expect(summary).toMatch(/^only: items \d+–\d+ \(\d+\)$/);
  });
});
