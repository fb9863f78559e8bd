import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { defineHandler, sleep } from '../handlers/define';
import { builtInHandlers, createHandlerRegistry } from '../handlers/registry';
import {
  createJob,
  type Harness,
  seedCollection,
  startHarness,
  startOperation,
  waitFor,
  waitForOperation,
  waitForStatus,
} from './harness';

/** Keys whose handler saw its abort signal fire: proof that a cancel reaches running handlers. */
const aborted: string[] = [];
const abortable = defineHandler({
  name: 'test.abortable',
  version: '1',
  description: 'Sleeps ten seconds unless aborted, and notes the abort.',
  params: z.object({}),
  async process(item, { signal }) {
    try {
      await sleep(10_000, signal);
    } catch (error) {
      if (signal.aborted) aborted.push(item.key);
      throw error;
    }
  },
});

/** Set by the test: every waiting `test.fails-on-cue` item then fails with a retryable error. */
const cue = { fail: false };
const failsOnCue = defineHandler({
  name: 'test.fails-on-cue',
  version: '1',
  description: 'Waits, deaf to aborts, until cued, then fails with a retryable error.',
  params: z.object({}),
  async process() {
    while (!cue.fail) await new Promise((resolve) => setTimeout(resolve, 5));
    throw new Error('cued failure');
  },
});

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({
    handlers: createHandlerRegistry([...builtInHandlers, abortable, failsOnCue]),
  });
});
afterAll(async () => {
  await harness?.stop();
});

it('cancels a running 2,000-item operation: it ends cancelled, keeps its work and stops moving', async () => {
  const collectionId = await seedCollection(harness, 2_000);
  await createJob(harness, {
    name: 'slow',
    stages: [{ name: 'sleep', handler: 'noop', params: { delayMs: 200 } }],
  });
  const id = await startOperation(harness, { job: 'slow', collectionId });
  await waitForOperation(harness, id, (op) => op.counts.done >= 100, 'some items to finish');

  const cancel = await harness.api('POST', `/v1/operations/${id}/cancel`);
  expect(cancel.status).toBe(202);
  const cancelled = await waitForStatus(harness, id, ['cancelled', 'completed', 'failed'], 30_000);
  expect(cancelled.status).toBe('cancelled');
  expect(cancelled.counts.done).toBeGreaterThanOrEqual(100);
  expect(cancelled.counts.done).toBeLessThan(2_000);
  expect(cancelled.stages[0].inProgress).toBe(0);

  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const later = (await harness.api('GET', `/v1/operations/${id}`)).body;
  expect(later.counts).toEqual(cancelled.counts);
  expect(later.stages[0].done).toBe(cancelled.counts.done);

  const described = await harness.temporal.workflow.getHandle(id).describe();
  expect(described.status.name).toBe('CANCELLED');

  const again = await harness.api('POST', `/v1/operations/${id}/cancel`);
  expect(again.status).toBe(409);
  expect(again.contentType).toContain('application/problem+json');
});

it('aborts the handlers that are running when the operation is cancelled', async () => {
  const collectionId = await seedCollection(harness, 50);
  await createJob(harness, {
    name: 'abortable',
    stages: [{ name: 'wait', handler: 'test.abortable', concurrency: 5 }],
  });
  const id = await startOperation(harness, { job: 'abortable', collectionId });
  await waitForOperation(harness, id, (op) => op.stages[0].inProgress > 0, 'a batch to start');
  await new Promise((resolve) => setTimeout(resolve, 300));
  await harness.api('POST', `/v1/operations/${id}/cancel`);
  const op = await waitForStatus(harness, id, ['cancelled', 'completed', 'failed'], 30_000);
  expect(op.status).toBe('cancelled');
  expect(op.counts.done).toBe(0);
  expect(op.stages[0]).toMatchObject({ inProgress: 0, pending: 50 });
  expect(aborted.length).toBeGreaterThan(0);
});

it('records cancelled when a batch fails with retryable errors just after the cancel', async () => {
  const collectionId = await seedCollection(harness, 20);
  await createJob(harness, {
    name: 'failing-at-cancel',
    stages: [{ name: 'wait', handler: 'test.fails-on-cue', concurrency: 20 }],
  });
  const id = await startOperation(harness, { job: 'failing-at-cancel', collectionId });
  await waitForOperation(harness, id, (op) => op.stages[0].inProgress === 20, 'the batch to start');
  await harness.api('POST', `/v1/operations/${id}/cancel`);
  // The batch fails before its next heartbeat brings the cancel: Temporal records the failure
  // with retry state CANCEL_REQUESTED, an error that is not a cancellation.
  cue.fail = true;
  const op = await waitForStatus(harness, id, ['cancelled', 'completed', 'failed'], 20_000);
  expect(op.status).toBe('cancelled');
  expect(op.stages[0]).toMatchObject({ inProgress: 0, pending: 20 });
  const described = await harness.temporal.workflow.getHandle(id).describe();
  expect(described.status.name).toBe('CANCELLED');
});

it('keeps an operation completed when the cancel lands while its completion commits', async () => {
  const { sql } = harness.database;
  // Holds the commit of `completed` for three seconds: the window a late cancel falls into.
  await sql.unsafe(`
    create function slow_completion() returns trigger language plpgsql as $$
    begin perform pg_sleep(3); return new; end $$;
    create trigger slow_completion before update on operations for each row
      when (new.status = 'completed' and new.job_name = 'late-cancel')
      execute function slow_completion();`);
  const collectionId = await seedCollection(harness, 10);
  await createJob(harness, { name: 'late-cancel', stages: [{ name: 'only', handler: 'noop' }] });
  const id = await startOperation(harness, { job: 'late-cancel', collectionId });
  await waitFor(
    () => sql<{ n: number }[]>`
      select count(*)::int as n from pg_stat_activity where query like '%update "operations"%' and wait_event = 'PgSleep'`,
    ([row]) => (row?.n ?? 0) > 0,
    { what: 'the completion to be committing' },
  );
  const cancel = await harness.api('POST', `/v1/operations/${id}/cancel`);
  expect(cancel.status).toBe(202);
  const op = await waitForStatus(harness, id, ['cancelled', 'completed', 'failed'], 20_000);
  expect(op.status).toBe('completed');
  await harness.temporal.workflow.getHandle(id).result();
  const described = await harness.temporal.workflow.getHandle(id).describe();
  expect(described.status.name).toBe('COMPLETED');
});
