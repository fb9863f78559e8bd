import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createJob,
  expectProblem,
  fieldNames,
  type Harness,
  seedCollection,
  startHarness,
  startOperation,
  waitForStatus,
} from './harness';

/** Defaults a job carries (issue 23): the scope a start that names none runs over. */

let harness: Harness;
let collectionId: string;

beforeAll(async () => {
  harness = await startHarness();
  collectionId = await seedCollection(harness, 3);
});
afterAll(async () => {
  await harness?.stop();
});

describe('a job’s default scope', () => {
  it('is what a start that names no scope runs over; a start’s own scope still wins', async () => {
    await createJob(harness, {
      name: 'nightly-default',
      defaultScope: { kind: 'collection', collectionId },
      stages: [{ name: 'only', handler: 'noop' }],
    });
    const stored = await harness.api('GET', '/v1/jobs/nightly-default');
    expect(stored.body.definition.defaultScope).toEqual({ kind: 'collection', collectionId });
    const id = await startOperation(harness, { job: 'nightly-default' });
    const done = await waitForStatus(harness, id, ['completed']);
    expect(done.scope).toMatchObject({ kind: 'collection', collectionId });
    expect(done.counts).toMatchObject({ items: 3, done: 3 });

    const other = await seedCollection(harness, 1);
    const own = await startOperation(harness, { job: 'nightly-default', collectionId: other });
    expect((await waitForStatus(harness, own, ['completed'])).counts.items).toBe(1);
  });

  it('may be global', async () => {
    await createJob(harness, {
      name: 'global-default',
      defaultScope: { kind: 'global' },
      stages: [{ name: 'only', handler: 'noop' }],
    });
    const id = await startOperation(harness, { job: 'global-default' });
    expect((await waitForStatus(harness, id, ['completed'])).scope.kind).toBe('global');
  });

  it('names a collection of the tenant, and a start without scope or default says what to give', async () => {
    const missing = await harness.api('POST', '/v1/jobs', {
      name: 'nowhere',
      defaultScope: { kind: 'collection', collectionId: '00000000-0000-4000-8000-000000000000' },
      stages: [{ name: 'only', handler: 'noop' }],
    });
    expectProblem(missing, 404);
    expect(fieldNames(missing)).toEqual(['defaultScope.collectionId']);

    await createJob(harness, { name: 'no-default', stages: [{ name: 'only', handler: 'noop' }] });
    const start = await harness.api('POST', '/v1/operations', { job: 'no-default' });
    expectProblem(start, 400);
    expect(fieldNames(start)).toEqual(['collectionId']);
    expect(start.body.invalid_params[0].reason).toContain('give job no-default a defaultScope');
  });
});
