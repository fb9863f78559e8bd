import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineHandler } from '../../handlers/define';
import { builtInHandlers, createHandlerRegistry } from '../../handlers/registry';
import {
  createJob,
  type Harness,
  seedCollection,
  startHarness,
  startOperation,
  waitFor,
  waitForStatus,
} from '../harness';
import { type ConsoleBrowser, openBrowser } from './browser';

/**
 * Steering runs from the session: reprocessing results a handler's new version made stale,
 * pausing and resuming an operation, and backfilling a paused schedule's past window.
 */

/**
 * A handler whose version the test bumps: the worker and the API share this very object, so
 * results stamped before the bump read as stale afterwards (as after a deploy of new code).
 */
const echo = defineHandler({
  name: 'steer.echo',
  version: '1',
  description: 'Returns the item key; the steering test bumps its version.',
  params: z.object({}),
  async process(item) {
    return { key: item.key };
  },
});

let harness: Harness;
let session: ConsoleBrowser;
let page: Page;
const capture = (name: string) => session.capture(name);
const statusBadge = () => session.statusBadge();
const operationProgress = () => session.operationProgress();
const echoCells = () =>
  page
    .getByRole('region', { name: 'Results per handler' })
    .getByRole('row')
    .filter({ hasText: 'steer.echo' })
    .getByRole('cell')
    .allTextContents();
const operationCounts = async (id: string) =>
  (await harness.api('GET', `/v1/operations/${id}`)).body.counts as { done: number; items: number };

beforeAll(async () => {
  harness = await startHarness({ handlers: createHandlerRegistry([...builtInHandlers, echo]) });
  await createJob(harness, {
    name: 'steer-echo',
    stages: [{ name: 'echo', handler: 'steer.echo' }],
  });
  // Four batches of two run at once, an item taking half a second: about 8 items a second.
  await createJob(harness, {
    name: 'steer-slow',
    stages: [
      { name: 'wait', handler: 'noop', params: { delayMs: 500 }, concurrency: 1, batchSize: 2 },
    ],
  });
  await createJob(harness, {
    name: 'steer-quick',
    stages: [{ name: 'do', handler: 'noop', params: { log: 'did it' } }],
  });
  // UTC, so the datetime-local inputs of a backfill mean what the test computes.
  session = await openBrowser({ screenshotPrefix: 'steering-', timezoneId: 'UTC' });
  page = session.page;
  await page.goto(`${harness.url}/ui`);
  await page.getByLabel('API key').fill(harness.adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('h1', { hasText: 'Operations' }).waitFor();
});

afterAll(async () => {
  await session?.browser.close();
  await harness?.stop();
});

describe('steering runs from the console', () => {
  it('shows results stale after a version bump and reprocesses only those', async () => {
    const collectionId = await seedCollection(harness, 6, 'steer-stale-items');
    const first = await startOperation(harness, { job: 'steer-echo', collectionId });
    await waitForStatus(harness, first, ['completed']);
    // Two items added afterwards have no result at all: nothing of theirs is stale.
    const added = await harness.api('POST', `/v1/collections/${collectionId}/items`, {
      items: [{ key: 'late-1' }, { key: 'late-2' }],
    });
    expect(added.status).toBe(200);

    await page.goto(`${harness.url}/ui/collections/${collectionId}`);
    await expect.poll(echoCells).toEqual(['steer.echo', '1', '6', 'fresh 0', 'v1: 6']);
    expect(await page.getByRole('button', { name: 'Reprocess 0 stale' }).isDisabled()).toBe(true);

    echo.version = '2';
    await page.reload();
    await expect.poll(echoCells).toEqual(['steer.echo', '2', '6', 'stale 6', 'v1: 6']);
    expect(
      await page.getByRole('region', { name: 'Results per handler' }).locator('p').textContent(),
    ).toBe('8 items; 6 stale results.');
    await page.getByLabel('Job to run over stale results').selectOption('steer-echo');
    await capture('stale');

    await page.getByRole('button', { name: 'Reprocess 6 stale' }).click();
    await page.waitForURL(
      (url) => url.pathname.startsWith('/ui/operations/op-') && !url.pathname.endsWith(first),
    );
    await expect.poll(() => statusBadge().textContent(), { timeout: 60_000 }).toBe('completed');
    expect(await operationProgress()).toBe(100);
    // Only the six stale items, not the collection's eight.
    const run = page.getByRole('region', { name: 'Run', exact: true });
    expect(await run.textContent()).toContain('(6 items)');
    await capture('reprocessed');

    await run.getByRole('link', { name: 'collection', exact: true }).click();
    await expect.poll(echoCells).toEqual(['steer.echo', '2', '6', 'fresh 0', 'v2: 6']);
    expect(await page.getByRole('button', { name: 'Reprocess 0 stale' }).isDisabled()).toBe(true);
    await capture('fresh-again');
  });

  it('pauses a running operation from its page and resumes it to completion', async () => {
    const collectionId = await seedCollection(harness, 40, 'steer-slow-items');
    const id = await startOperation(harness, { job: 'steer-slow', collectionId });
    await page.goto(`${harness.url}/ui/operations/${id}`);
    await expect.poll(() => statusBadge().textContent()).toBe('running');
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await expect.poll(() => statusBadge().textContent(), { timeout: 30_000 }).toBe('paused');
    expect(await page.getByRole('button', { name: 'Pause', exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Cancel operation' }).isEnabled()).toBe(true);

    // The batches in flight finish (a batch takes about a second); then nothing moves.
    const settled = await waitFor(
      async () => {
        const before = (await operationCounts(id)).done;
        await new Promise((resolve) => setTimeout(resolve, 1_200));
        return { before, after: (await operationCounts(id)).done };
      },
      ({ before, after }) => before === after,
      { timeoutMs: 15_000, what: 'the paused operation to stand still' },
    );
    expect(settled.after).toBeLessThan(40);
    await expect
      .poll(() => page.locator('.progress-text').first().textContent())
      .toContain(`${settled.after}/40`);
    expect((await harness.api('GET', `/v1/operations/${id}`)).body.status).toBe('paused');
    await capture('paused');

    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => statusBadge().textContent(), { timeout: 10_000 }).toBe('running');
    await expect.poll(() => statusBadge().textContent(), { timeout: 60_000 }).toBe('completed');
    expect(await operationProgress()).toBe(100);
    const events = await page.getByRole('region', { name: 'Events' }).textContent();
    for (const type of ['operation.paused', 'operation.resumed', 'operation.completed']) {
      expect(events).toContain(type);
    }
    expect((await operationCounts(id)).done).toBe(40);
    await capture('resumed');
  });

  it('backfills a paused schedule’s past window from the schedules page', async () => {
    const collectionId = await seedCollection(harness, 2, 'steer-scheduled-items');
    const created = await harness.api('POST', '/v1/schedules', {
      job: 'steer-quick',
      collectionId,
      spec: { intervals: [{ every: '1m', offset: '30s' }] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const scheduleId = created.body.id as string;
    // Paused, so the spec adds no run of its own; a backfill is manual and runs anyway.
    expect((await harness.api('POST', `/v1/schedules/${scheduleId}/pause`, {})).status).toBe(200);
    const operationsOf = async () =>
      (await harness.api('GET', `/v1/operations?scheduleId=${scheduleId}`)).body.data as {
        status: string;
      }[];

    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('link', { name: 'Schedules' })
      .click();
    const card = page.locator(`[data-schedule="${scheduleId}"]`);
    await expect.poll(() => card.locator('.badge').textContent()).toBe('paused');
    expect(await card.textContent()).toContain('never');

    // The inputs take whole minutes (their step is 60 s) and runs fall at half past each
    // minute: this window holds three, none on its edges.
    const minute = 60_000;
    const from = Math.floor(Date.now() / minute) * minute - 10 * minute;
    const local = (ms: number) => new Date(ms).toISOString().slice(0, 16);
    await card.getByText('Backfill a past window').click();
    await card.getByLabel('From').fill(local(from));
    await card.getByLabel('To').fill(local(from + 3 * minute));
    await capture('backfill-form');
    // A value the inputs refuse (seconds, say) would hold the form back without a word.
    expect(await card.locator('input:invalid').count()).toBe(0);
    await card.getByRole('button', { name: 'Backfill' }).click();
    await expect.poll(() => card.getByRole('alert').count()).toBe(0);

    const runs = await waitFor(
      operationsOf,
      (rows) => rows.length >= 3 && rows.every((row) => row.status === 'completed'),
      { what: 'three backfilled runs' },
    );
    expect(runs).toHaveLength(3);

    // The page reads schedules once; a visit again shows the last run and the count.
    await page.reload();
    await expect.poll(() => card.getByRole('link', { name: 'completed' }).count()).toBe(1);
    expect(await card.textContent()).toContain('(3 runs');
    expect(await card.locator('.badge').textContent()).toBe('paused');
    await capture('backfilled');
    expect(await operationsOf()).toHaveLength(3);
    await harness.api('DELETE', `/v1/schedules/${scheduleId}`);
  });

  it('lists items by their state under a job and runs only the unprocessed ones', async () => {
    const collectionId = await seedCollection(harness, 4, 'steer-state-items');
    await waitForStatus(
      harness,
      await startOperation(harness, { job: 'steer-quick', collectionId }),
      ['completed'],
    );
    await harness.api('POST', `/v1/collections/${collectionId}/items`, {
      items: [{ key: 'new-1' }, { key: 'new-2' }],
    });
    await page.goto(`${harness.url}/ui/collections/${collectionId}`);
    const itemRows = () =>
      page
        .getByRole('table', { name: 'Items by id' })
        .getByRole('row')
        .allTextContents()
        .then((rows) => rows.slice(1));
    await page.getByLabel('State under job').selectOption('steer-quick');
    await expect.poll(itemRows).toContainEqual(expect.stringMatching(/^k0.*do done/));
    await page.getByLabel('Only').selectOption('unprocessed');
    await expect
      .poll(itemRows)
      .toEqual([expect.stringMatching(/^new-1.*not run yet/), expect.stringMatching(/^new-2/)]);
    await capture('unprocessed');

    await page.getByRole('button', { name: 'Run the unprocessed items' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/ui/operations/op-'));
    await expect.poll(() => statusBadge().textContent(), { timeout: 60_000 }).toBe('completed');
    const run = page.getByRole('region', { name: 'Run', exact: true });
    expect(await run.textContent()).toContain('(2 items)');
    // Its handler's lines, one per item.
    const log = page.getByRole('region', { name: 'Log', exact: true });
    await expect
      .poll(() => log.getByRole('row').allTextContents(), { timeout: 10_000 })
      .toEqual([
        expect.stringContaining('Message'),
        expect.stringMatching(/infodonew-1did it/),
        expect.stringMatching(/infodonew-2did it/),
      ]);

    await run.getByRole('link', { name: 'collection', exact: true }).click();
    await page.getByRole('link', { name: 'new-1' }).click();
    const states = page.getByRole('region', { name: 'State per job' });
    await expect
      .poll(() => states.getByRole('row').allTextContents())
      .toEqual([expect.stringContaining('Job'), expect.stringMatching(/^steer-quickdodoneop-/)]);
    await capture('item-state');
  });

  it('has labels, enough contrast and no script errors on what it showed', () => {
    for (const [name, findings] of Object.entries(session.accessibility)) {
      expect(findings.unlabelled, `unlabelled controls on ${name}`).toEqual([]);
      expect(findings.lowContrast, `low contrast on ${name}`).toEqual([]);
    }
    expect(Object.keys(session.accessibility)).toHaveLength(9);
    expect(session.pageErrors).toEqual([]);
  });
});
