import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createJob,
  type Harness,
  seedCollection,
  startHarness,
  startOperation,
  waitForStatus,
} from '../harness';
import { type ConsoleBrowser, openBrowser, SCREENSHOTS } from './browser';

// Read inside the page (page.evaluate); the repository's TypeScript has no DOM lib.
declare const document: any;
declare const sessionStorage: { getItem(name: string): string | null };

let harness: Harness;
let session: ConsoleBrowser;
let page: Page;
let collectionId: string;
const capture = (name: string) => session.capture(name);
const statusBadge = () => session.statusBadge();
const operationProgress = () => session.operationProgress();

async function goToSection(name: string) {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name }).click();
  await expect.poll(() => page.locator('h1').first().textContent()).toContain(name);
}

beforeAll(async () => {
  harness = await startHarness({ batchSize: 5 });
  collectionId = await seedCollection(harness, 40, 'console-demo-items');
  await createJob(harness, {
    name: 'console-demo',
    description: 'Two slow no-op stages, to watch progress',
    stages: [
      { name: 'fetch', handler: 'noop', params: { delayMs: 300 }, concurrency: 1, batchSize: 5 },
      { name: 'store', handler: 'noop', params: { delayMs: 300 }, concurrency: 1, batchSize: 5 },
    ],
  });
  await createJob(harness, {
    name: 'console-slow',
    stages: [{ name: 'wait', handler: 'noop', params: { delayMs: 1000 }, concurrency: 1 }],
  });
  await createJob(harness, {
    name: 'console-failing',
    stages: [
      {
        name: 'charge',
        handler: 'noop',
        params: { failKeys: ['k1', 'k3'], cost: 0.25 },
        retry: { maximumAttempts: 1 },
      },
    ],
  });
  session = await openBrowser();
  page = session.page;
});

afterAll(async () => {
  await session?.browser.close();
  await harness?.stop();
});

describe('the operator console', () => {
  it('refuses a wrong key with what to do, then signs in with the keyboard', async () => {
    await page.goto(`${harness.url}/ui`);
    await page.getByLabel('API key').fill('cvk_wrong_key_0123456789');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/wrong or was revoked: sign in again/);
    await capture('sign-in');

    await page.reload();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('api-key');
    await page.keyboard.type(harness.adminKey);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Operations');
    // The key is kept for the tab only, never in the address.
    expect(await page.evaluate(() => sessionStorage.getItem('conveyor.apiKey'))).toBe(
      harness.adminKey,
    );
    expect(page.url()).not.toContain(harness.adminKey);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
  });

  it('plans a dry run, then starts an operation and follows it live to 100%', async () => {
    await goToSection('Jobs');
    await page.getByRole('link', { name: 'console-demo' }).click();
    await page.getByLabel('Run over').selectOption(collectionId);
    await page.getByLabel('Mode').selectOption('dry_run');
    await page.getByRole('button', { name: 'Plan the run' }).click();
    const plan = page.getByTestId('dry-run-plan');
    await expect.poll(() => plan.textContent()).toContain('40 item(s) in 1 chunk(s)');
    expect(await plan.locator('tbody tr').count()).toBe(2);
    await capture('job-dry-run');

    await page.getByLabel('Mode').selectOption('production');
    await page.getByRole('button', { name: 'Start the run' }).click();
    await page.waitForURL(/\/ui\/operations\/op-/);

    // Read the page, never reload it: what changes comes from the stream and the poll.
    const seen = new Set<number>();
    let rateShown = false;
    const deadline = Date.now() + 90_000;
    for (;;) {
      const value = await operationProgress();
      if (value > 0 && value < 100 && ![...seen].some((v) => v > 0 && v < 100)) {
        await page.screenshot({ path: join(SCREENSHOTS, 'operation-running.png'), fullPage: true });
      }
      seen.add(value);
      rateShown ||= /\d\/s/.test((await page.locator('tr[data-stage]').allTextContents()).join());
      if (value === 100 && (await statusBadge().textContent()) === 'completed') break;
      if (Date.now() > deadline) throw new Error(`progress stuck; seen ${[...seen].join(', ')}`);
      await page.waitForTimeout(100);
    }
    expect(
      [...seen].some((value) => value > 0 && value < 100),
      [...seen].join(', '),
    ).toBe(true);
    expect(rateShown).toBe(true);
    const events = await page.getByRole('region', { name: 'Events' }).textContent();
    expect(events).toContain('operation.completed');
    expect(events).toContain('stage.completed');
    const temporalLink = page.getByRole('link', { name: 'Open in Temporal Web UI' });
    const history = (await temporalLink.getAttribute('href')) ?? '';
    expect(history).toMatch(
      new RegExp(
        `^${inject('temporalUiUrl')}/namespaces/default/workflows/op-[^/]+/[^/]+/history$`,
      ),
    );
    await capture('operation-completed');

    // Follow it: Temporal's own Web UI shows the run, named by the operation's id.
    const operationPage = page.url();
    const operationId = /\/workflows\/(op-[^/]+)\//.exec(history)?.[1] ?? '';
    await page.goto(history);
    await expect
      .poll(async () => (await page.locator('body').textContent()) ?? '', { timeout: 30_000 })
      .toContain(operationId);
    await expect
      .poll(async () => (await page.locator('body').textContent()) ?? '', { timeout: 30_000 })
      .toMatch(/Completed/i);
    await page.screenshot({ path: join(SCREENSHOTS, 'temporal-history.png'), fullPage: true });
    await page.goto(operationPage);
    await statusBadge().waitFor();

    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(SCREENSHOTS, 'operation-phone.png'), fullPage: true });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, 'the page scrolls sideways on a phone').toBeLessThanOrEqual(1);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('cancels a running operation from its page', async () => {
    const id = await startOperation(harness, { job: 'console-slow', collectionId });
    await page.goto(`${harness.url}/ui/operations/${id}`);
    await expect.poll(() => statusBadge().textContent()).toMatch(/queued|running/);
    await page.getByRole('button', { name: 'Cancel operation' }).click();
    await expect.poll(() => statusBadge().textContent(), { timeout: 60_000 }).toBe('cancelled');
    await capture('operation-cancelled');
  });

  it('shows failures with their errors, opens one, and retries them', async () => {
    const id = await startOperation(harness, { job: 'console-failing', collectionId });
    await waitForStatus(harness, id, ['completed', 'failed']);
    await page.goto(`${harness.url}/ui/operations/${id}`);
    const failures = page.locator('tr.failure');
    await expect.poll(() => failures.count()).toBe(2);
    expect(await failures.first().textContent()).toMatch(/k[13] is in failKeys/);
    expect(await page.getByRole('region', { name: 'Costs' }).textContent()).toContain('9.5');
    await capture('operation-failures');

    await failures.getByRole('link', { name: 'k1', exact: true }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Item k1');
    expect(
      await page.getByRole('region', { name: 'History across operations' }).textContent(),
    ).toContain('k1 is in failKeys');
    await capture('item');
    await page.goBack();

    await page.getByRole('button', { name: 'Retry 2 failed item(s)' }).click();
    await page.waitForURL(
      (url) => url.pathname.startsWith('/ui/operations/') && !url.pathname.endsWith(id),
    );
    await expect.poll(() => page.getByRole('link', { name: id }).count()).toBe(1);
    await expect
      .poll(() => statusBadge().textContent(), { timeout: 60_000 })
      .toMatch(/completed|failed/);
    await capture('operation-retry');
  });

  it('lists operations live with progress bars, filters and previews a bulk action', async () => {
    await goToSection('Operations');
    await expect.poll(() => page.locator('tr[data-operation]').count()).toBeGreaterThanOrEqual(4);
    // A run started elsewhere shows up without a reload.
    const started = await startOperation(harness, {
      job: 'console-demo',
      collectionId,
      limit: 1,
      mode: 'test',
    });
    await expect.poll(() => page.locator(`tr[data-operation="${started}"]`).count()).toBe(1);
    expect(await page.getByRole('progressbar').count()).toBeGreaterThanOrEqual(4);
    await page.getByText('Filters and bulk cancel or retry').click();
    await page.getByRole('checkbox', { name: 'completed' }).check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => page.url()).toContain('status=completed');
    await page.getByRole('button', { name: 'Preview retry' }).click();
    await expect
      .poll(() => page.locator('.bulk-result').textContent())
      .toMatch(/\d+ operation\(s\) match; retry would act on/);
    await capture('operations');
  });

  it('draws duration and cost charts', async () => {
    await goToSection('Statistics');
    await expect.poll(() => page.locator('.chart canvas').count(), { timeout: 30_000 }).toBe(2);
    expect(await page.locator('.uplot .u-title').allTextContents()).toEqual([
      expect.stringMatching(/p50 and p95/),
      'Costs per day and job',
    ]);
    await capture('statistics');
  });

  it('shows collections with results and stale flags, jobs, schedules and workers', async () => {
    await goToSection('Collections');
    await page.getByRole('link', { name: 'console-demo-items' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('console-demo-items');
    await expect
      .poll(() => page.getByRole('region', { name: 'Results per handler' }).textContent())
      .toContain('fresh');
    await capture('collection');

    await goToSection('Jobs');
    await page.getByRole('button', { name: 'New job' }).click();
    const editor = page.getByLabel('Definition (JSON)');
    await editor.fill(
      JSON.stringify({ name: 'console-new', stages: [{ name: 'a', handler: 'nope' }] }),
    );
    await page.getByRole('button', { name: 'Validate' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('stages.0.handler');
    expect(await page.getByRole('button', { name: 'Create job' }).isDisabled()).toBe(true);
    await editor.fill(
      JSON.stringify({ name: 'console-new', stages: [{ name: 'a', handler: 'noop' }] }),
    );
    await page.getByRole('button', { name: 'Validate' }).click();
    await page.getByRole('button', { name: 'Create job' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toContain('console-new');
    await capture('job');

    const created = await harness.api('POST', '/v1/schedules', {
      job: 'console-demo',
      collectionId,
      spec: { intervals: [{ every: '1h' }] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await goToSection('Schedules');
    const card = page.locator(`[data-schedule="${created.body.id}"]`);
    await expect.poll(() => card.locator('li').count()).toBeGreaterThan(0);
    await card.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => card.locator('.badge').textContent()).toBe('paused');
    await card.getByRole('button', { name: 'Trigger now' }).click();
    await expect.poll(() => card.getByRole('alert').count()).toBe(0);
    await capture('schedules');
    await harness.api('DELETE', `/v1/schedules/${created.body.id}`);

    await goToSection('Workers');
    await expect
      .poll(() => page.getByRole('region', { name: 'Handlers' }).textContent())
      .toContain('noop');
    await expect
      .poll(() => page.getByRole('region', { name: 'Who is polling' }).locator('td.mono').count())
      .toBeGreaterThan(0);
    // Each worker's own report of what it runs.
    await expect
      .poll(() => page.getByRole('region', { name: 'Who is polling' }).textContent())
      .toContain('http.fetch v1');
    await capture('workers');
  });

  it('has labels, enough contrast and no script errors on every page', () => {
    for (const [name, findings] of Object.entries(session.accessibility)) {
      expect(findings.unlabelled, `unlabelled controls on ${name}`).toEqual([]);
      expect(findings.lowContrast, `low contrast on ${name}`).toEqual([]);
    }
    expect(Object.keys(session.accessibility).length).toBeGreaterThanOrEqual(10);
    expect(session.pageErrors).toEqual([]);
  });
});
