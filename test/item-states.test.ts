import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineDiscoveryHandler } from '../handlers/define';
import { builtInHandlers, createHandlerRegistry } from '../handlers/registry';
import {
  createJob,
  expectProblem,
  fieldNames,
  type Harness,
  seedCollection,
  startHarness,
  startOperation,
  waitFor,
  waitForStatus,
} from './harness';

/**
 * State per item across runs (DESIGN 15, seed 004): each item's latest final outcome per stage
 * under a job, read in the item list and the item detail, and the starts that take only the
 * unprocessed or the failed items; retrying what a cancelled operation left unfinished.
 */

/** The pages the crawl finds on its next run, as a site's sitemap would list them. */
let site: { key: string; data: unknown }[] = [];
const crawl = defineDiscoveryHandler({
  name: 'test.site',
  version: '1',
  description: 'Discovers the pages `site` lists.',
  params: z.object({}),
  async *discover() {
    for (const page of site) yield page;
  },
});

let harness: Harness;
let collectionId: string;
let firstRun: string;

/** The keys of the collection's items in a state under a job, in id order. */
async function keysIn(state: string, job = 'states-job') {
  const listed = await harness.api(
    'GET',
    `/v1/collections/${collectionId}/items?job=${job}&state=${state}`,
  );
  expect(listed.status, JSON.stringify(listed.body)).toBe(200);
  return listed.body.data.map((item: { key: string }) => item.key);
}

// Both ledger formats: version 1's item stages and version 2's outcomes make one state.
describe.each([1, 2] as const)('on ledger version %i', (ledger) => {
  beforeAll(async () => {
    harness = await startHarness({
      ledgerVersion: ledger,
      handlers: createHandlerRegistry([...builtInHandlers, crawl]),
    });
    collectionId = await seedCollection(harness, 6);
    await createJob(harness, {
      name: 'states-job',
      stages: [
        {
          name: 'fetch',
          handler: 'noop',
          params: { failKeys: ['k4'] },
          retry: { maximumAttempts: 1 },
        },
        { name: 'parse', handler: 'noop' },
      ],
    });
    firstRun = await startOperation(harness, { job: 'states-job', collectionId });
    expect((await waitForStatus(harness, firstRun, ['completed'])).counts).toMatchObject({
      items: 6,
      done: 5,
      failed: 1,
    });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  describe('state per item across runs', () => {
    it('lists each item’s latest outcome per stage under a job, and filters by it', async () => {
      const listed = await harness.api(
        'GET',
        `/v1/collections/${collectionId}/items?job=states-job`,
      );
      expect(listed.status).toBe(200);
      const byKey = Object.fromEntries(
        listed.body.data.map((item: { key: string; states: unknown[] }) => [item.key, item.states]),
      );
      expect(byKey.k0).toEqual([
        expect.objectContaining({
          job: 'states-job',
          stage: 'fetch',
          status: 'done',
          operationId: firstRun,
        }),
        expect.objectContaining({ stage: 'parse', status: 'done' }),
      ]);
      expect(byKey.k4).toEqual([
        expect.objectContaining({ stage: 'fetch', status: 'failed' }),
        expect.objectContaining({ stage: 'parse', status: 'skipped' }),
      ]);
      expect(await keysIn('failed')).toEqual(['k4']);
      expect(await keysIn('processed')).toEqual(['k0', 'k1', 'k2', 'k3', 'k5']);
      expect(await keysIn('unprocessed')).toEqual([]);
      // Without a job, items carry no states.
      const plain = await harness.api('GET', `/v1/collections/${collectionId}/items`);
      expect(plain.body.data[0].states).toBeUndefined();
    });

    it('runs only the items no run has finished: new ones', async () => {
      await harness.api('POST', `/v1/collections/${collectionId}/items`, {
        items: [
          { key: 'k6', data: { n: 6 } },
          { key: 'k7', data: { n: 7 } },
        ],
      });
      expect(await keysIn('unprocessed')).toEqual(['k6', 'k7']);
      const body = { job: 'states-job', collectionId, only: 'unprocessed' };
      const plan = await harness.api('POST', '/v1/operations', { ...body, mode: 'dry_run' });
      expect(plan.status).toBe(200);
      expect(plan.body.plan).toMatchObject({ items: 2, sampleKeys: ['k6', 'k7'] });
      const id = await startOperation(harness, body);
      expect((await waitForStatus(harness, id, ['completed'])).counts).toMatchObject({
        items: 2,
        done: 2,
      });
      expect(await keysIn('unprocessed')).toEqual([]);
      const nothing = await harness.api('POST', '/v1/operations', body);
      expectProblem(nothing, 409);
      expect(nothing.body.detail).toContain('nothing unprocessed');
    });

    it('runs only the items whose latest outcome failed, and they stop counting as failed', async () => {
      const body = { job: 'states-job', collectionId, only: 'failed' };
      const plan = await harness.api('POST', '/v1/operations', { ...body, mode: 'dry_run' });
      expect(plan.body.plan).toMatchObject({ items: 1, sampleKeys: ['k4'] });
      // The handler's failure is a parameter: this run lets k4 through.
      const id = await startOperation(harness, { ...body, params: { failKeys: [] } });
      expect((await waitForStatus(harness, id, ['completed'])).counts).toMatchObject({
        items: 1,
        done: 1,
        failed: 0,
      });
      expect(await keysIn('failed')).toEqual([]);
      const items = (await harness.api('GET', `/v1/collections/${collectionId}/items`)).body.data;
      const k4 = items.find((item: { key: string }) => item.key === 'k4');
      const detail = await harness.api('GET', `/v1/collections/${collectionId}/items/${k4.id}`);
      expect(detail.body.states).toEqual([
        expect.objectContaining({
          job: 'states-job',
          stage: 'fetch',
          status: 'done',
          operationId: id,
        }),
        expect.objectContaining({ stage: 'parse', status: 'done', operationId: id }),
      ]);
    });

    it('keeps test runs out of the state', async () => {
      await harness.api('POST', `/v1/collections/${collectionId}/items`, {
        items: [{ key: 'k8', data: { n: 8 } }],
      });
      const test = await startOperation(harness, {
        job: 'states-job',
        collectionId,
        mode: 'test',
        itemKeys: ['k8'],
      });
      await waitForStatus(harness, test, ['completed']);
      expect(await keysIn('unprocessed')).toEqual(['k8']);
    });

    it('refuses selections it cannot make, naming the field', async () => {
      const overItems = await harness.api('POST', '/v1/operations', {
        job: 'states-job',
        itemIds: [1],
        only: 'failed',
      });
      expectProblem(overItems, 400);
      expect(fieldNames(overItems)).toEqual(['only']);
      const stateAlone = await harness.api(
        'GET',
        `/v1/collections/${collectionId}/items?state=failed`,
      );
      expectProblem(stateAlone, 409);
      expect(fieldNames(stateAlone)).toEqual(['job']);
      const unknownJob = await harness.api(
        'GET',
        `/v1/collections/${collectionId}/items?job=no-such-job`,
      );
      expectProblem(unknownJob, 404);
    });
  });

  describe('what a cancelled operation left unfinished', () => {
    it('runs as a linked operation; nothing of the job is left unprocessed, and the collection cannot be deleted while either runs', async () => {
      const slow = await seedCollection(harness, 20);
      await createJob(harness, {
        name: 'slow-states',
        stages: [{ name: 'wait', handler: 'noop', params: { delayMs: 150 }, concurrency: 1 }],
      });
      const id = await startOperation(harness, { job: 'slow-states', collectionId: slow });
      await waitFor(
        async () => (await harness.api('GET', `/v1/operations/${id}`)).body,
        (operation) => operation.stages[0].done >= 2,
        { what: 'two items done' },
      );
      // A collection an operation runs over cannot be deleted from under it.
      const busy = await harness.api('DELETE', `/v1/collections/${slow}`);
      expectProblem(busy, 409);
      expect(busy.body.detail).toContain(`Operation ${id} runs over collection ${slow}`);
      expect((await harness.api('POST', `/v1/operations/${id}/cancel`)).status).toBe(202);
      const cancelled = await waitForStatus(harness, id, ['cancelled']);
      const finished = cancelled.counts.done;
      expect(finished).toBeGreaterThanOrEqual(2);
      expect(finished).toBeLessThan(20);

      // A plain retry takes failed items, and none failed.
      expectProblem(await harness.api('POST', `/v1/operations/${id}/retry`), 409);
      const retry = await harness.api('POST', `/v1/operations/${id}/retry`, {
        items: 'unfinished',
      });
      expect(retry.status, JSON.stringify(retry.body)).toBe(202);
      expect(retry.body).toMatchObject({
        retryOf: id,
        scope: { kind: 'items', itemCount: 20 - finished },
      });
      // Nor while a run over items of it (not the whole of it) goes on.
      const busyRetry = await harness.api('DELETE', `/v1/collections/${slow}`);
      expectProblem(busyRetry, 409);
      expect(busyRetry.body.detail).toContain(`Operation ${retry.body.id} runs over`);
      const rerun = await waitForStatus(harness, retry.body.id, ['completed']);
      expect(rerun.counts).toMatchObject({ items: 20 - finished, done: 20 - finished });
      const unprocessed = await harness.api(
        'GET',
        `/v1/collections/${slow}/items?job=slow-states&state=unprocessed`,
      );
      expect(unprocessed.body.data).toEqual([]);
      const events = (await harness.api('GET', `/v1/operations/${id}/events`)).body.data;
      expect(
        events.find((event: { type: string }) => event.type === 'operation.retried')?.data,
      ).toMatchObject({ retryId: retry.body.id, items: 20 - finished, selection: 'unfinished' });
      // Once completed, nothing is left unfinished.
      const again = await harness.api('POST', `/v1/operations/${retry.body.id}/retry`, {
        items: 'unfinished',
      });
      expectProblem(again, 409);
      expect(again.body.detail).toContain('no unfinished items');
      expect((await harness.api('DELETE', `/v1/collections/${slow}`)).status).toBe(204);
    });
  });

  describe('a discovery stage that passes on only what it found new or changed', () => {
    const pages = (keys: string[], version = 1) => keys.map((key) => ({ key, data: { version } }));

    it('runs the later stages over new pages, then over new and changed ones', async () => {
      const crawled = (await harness.api('POST', '/v1/collections', { name: `site-${ledger}` }))
        .body.id;
      for (const passOn of ['new', 'changed']) {
        await createJob(harness, {
          name: `crawl-${passOn}`,
          stages: [
            { name: 'discover', handler: 'test.site', passOn },
            { name: 'fetch', handler: 'noop' },
          ],
        });
      }
      const run = async (job: string) => {
        const id = await startOperation(harness, { job, collectionId: crawled });
        return (await waitForStatus(harness, id, ['completed'])).counts.items;
      };
      site = pages(['a', 'b', 'c']);
      expect(await run('crawl-new')).toBe(3);
      site = pages(['a', 'b', 'c', 'd']);
      expect(await run('crawl-new')).toBe(1);
      // a's data changed, b's did not, e is new.
      site = [...pages(['a'], 2), ...pages(['b', 'e'])];
      expect(await run('crawl-changed')).toBe(2);
      expect(await run('crawl-changed')).toBe(0);
    });

    it('refuses passOn on a stage that discovers nothing, naming it', async () => {
      const refused = await harness.api('POST', '/v1/jobs', {
        name: 'no-discovery',
        stages: [{ name: 'fetch', handler: 'noop', passOn: 'new' }],
      });
      expectProblem(refused, 409);
      expect(fieldNames(refused)).toEqual(['stages.0.passOn']);
    });
  });
});
