import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite } from '../examples/catalogue-scrape/site';
import { csvToItems } from '../examples/customer-import/csv-items';
import { readLab, startDeviceLab } from '../examples/device-check/device-lab';
import { handlers as exampleHandlers } from '../examples/handlers/index';
import { builtInHandlers, createHandlerRegistry } from '../handlers/registry';
import { freePort } from '../runtime/ports';
import {
  createJob,
  type Harness,
  startHarness,
  startOperation,
  waitFor,
  waitForStatus,
} from './harness';

// Each example runs as its README says: its own job.json and data files, through the HTTP API,
// with the example handlers registered as HANDLER_MODULES would register them.

type Body = Record<string, any>;
const exampleFile = (path: string) =>
  readFileSync(new URL(`../examples/${path}`, import.meta.url), 'utf8');
const exampleJson = (path: string): Body => JSON.parse(exampleFile(path));

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({
    handlers: createHandlerRegistry([...builtInHandlers, ...exampleHandlers]),
    // What examples/README.md says to start the service with: the examples' own files, and the
    // lab's and the shop's loopback ports (any port here: both listen where the system puts them).
    hostAccess: {
      FILE_ROOTS: fileURLToPath(new URL('../examples', import.meta.url)),
      OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
    },
  });
});
afterAll(async () => {
  await harness?.stop();
});

async function applyJob(example: string) {
  const definition = exampleJson(`${example}/job.json`);
  const validated = await harness.api('POST', '/v1/jobs/validate', definition);
  expect(validated.status, JSON.stringify(validated.body)).toBe(200);
  return createJob(harness, definition);
}

async function collectionWith(name: string, body: Body) {
  const created = await harness.api('POST', '/v1/collections', { name });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const upserted = await harness.api('POST', `/v1/collections/${created.body.id}/items`, body);
  expect(upserted.status, JSON.stringify(upserted.body)).toBe(200);
  return { id: created.body.id as string, upserted: upserted.body };
}

/** An operation's outcomes of one stage, by item key. */
async function outcomes(operationId: string, stage: string): Promise<Map<string, Body>> {
  const page = await harness.api(
    'GET',
    `/v1/operations/${operationId}/results?stage=${stage}&limit=1000`,
  );
  expect(page.status, JSON.stringify(page.body)).toBe(200);
  return new Map(page.body.data.map((row: Body) => [row.key, row]));
}

const outputOf = (rows: Map<string, Body>, key: string) => rows.get(key)?.result?.output;
const stageCounts = (operation: Body, name: string) =>
  operation.stages.find((stage: Body) => stage.name === name);

describe('examples', () => {
  it('handbook-index: checksums and indexes a collection of documents', async () => {
    await applyJob('handbook-index');
    const { id, upserted } = await collectionWith(
      'handbook',
      exampleJson('handbook-index/items.json'),
    );
    expect(upserted.inserted).toBe(9);
    const operationId = await startOperation(harness, { job: 'handbook-index', collectionId: id });
    const operation = await waitForStatus(harness, operationId, ['completed', 'failed']);

    expect(operation.status).toBe('completed');
    expect(stageCounts(operation, 'checksum')).toMatchObject({ done: 8, failed: 1 });
    expect(stageCounts(operation, 'index')).toMatchObject({ done: 8 });
    const checksums = await outcomes(operationId, 'checksum');
    expect(checksums.get('handbook/expenses.md')?.error).toMatch(/does not exist/);
    expect(outputOf(checksums, 'handbook/security.md').digest).toMatch(/^[0-9a-f]{64}$/);

    const entries = await outcomes(operationId, 'index');
    const onCall = outputOf(entries, 'handbook/on-call.md');
    expect(onCall).toMatchObject({
      title: 'On-call',
      headings: ['Expectations', 'Alerts', 'Compensation'],
    });
    expect(onCall.words).toBeGreaterThan(100);
    expect(onCall.topTerms).toHaveLength(8);
    expect(onCall.topTerms.map((term: Body) => term.term)).toContain('on-call');
    expect(onCall.excerpt).toMatch(/^On-call rotates weekly/);
    // The index stage read what the checksum stage returned for the same document.
    expect(onCall.digest).toBe(outputOf(checksums, 'handbook/on-call.md').digest);
    const tokens = operation.costs.find((cost: Body) => cost.unit === 'tokens');
    expect(tokens).toMatchObject({ stageName: 'index', items: 8 });
    expect(tokens.amount).toBeGreaterThan(1_000);
  });

  it('photo-set: probes photos chosen by id across two collections', async () => {
    await applyJob('photo-set');
    const albums = await Promise.all(
      ['lisbon-2024', 'garden'].map((album) =>
        collectionWith(album, exampleJson(`photo-set/${album}.json`)),
      ),
    );
    const favourites: number[] = [];
    for (const album of albums) {
      const listed = await harness.api('GET', `/v1/collections/${album.id}/items?limit=100`);
      favourites.push(
        ...listed.body.data
          .filter((item: Body) => item.data.favourite)
          .map((item: Body) => item.id),
      );
    }
    expect(favourites).toHaveLength(7);
    const operationId = await startOperation(harness, {
      job: 'photo-set-probe',
      itemIds: favourites,
    });
    const operation = await waitForStatus(harness, operationId, ['completed', 'failed']);

    expect(operation.scope).toMatchObject({ kind: 'items', collectionId: null, itemCount: 7 });
    expect(operation.counts).toMatchObject({ items: 7, done: 6, failed: 1 });
    const probes = await outcomes(operationId, 'probe');
    expect(outputOf(probes, 'tram-28.jpg')).toMatchObject({
      format: 'jpeg',
      width: 160,
      height: 120,
      orientation: 'landscape',
      aspectRatio: '4:3',
      thumbnail: { width: 64, height: 48 },
    });
    expect(outputOf(probes, 'bee-on-lavender.jpg')).toMatchObject({
      orientation: 'portrait',
      thumbnail: { width: 36, height: 64 },
    });
    expect(outputOf(probes, 'azulejo-tiles.png')).toMatchObject({
      format: 'png',
      aspectRatio: '1:1',
    });
    expect(outputOf(probes, 'ferry-crossing.gif')).toMatchObject({
      format: 'gif',
      width: 80,
      height: 60,
    });
    expect(probes.get('compost-heap.jpg')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(probes.get('compost-heap.jpg')?.error).toMatch(/not a readable PNG, JPEG or GIF/);
    const fromCollections = new Set(
      [...probes.values()].flatMap((row) => row.result?.output.collectionId ?? []),
    );
    expect(fromCollections).toEqual(new Set(albums.map((album) => album.id)));
  });

  it('device-check: a schedule runs the compliance check over the device inventory', async () => {
    const lab = await startDeviceLab(readLab(), { portFor: () => 0 });
    const downPort = await freePort();
    try {
      await applyJob('device-check');
      // The inventory as committed, pointed at this lab's ports; the device missing from the lab stays down.
      const inventory = exampleJson('device-check/items.json');
      for (const item of inventory.items) item.data.port = lab.ports[item.key] ?? downPort;
      const { id: collectionId } = await collectionWith('devices', inventory);

      const created = await harness.api('POST', '/v1/schedules', {
        ...exampleJson('device-check/schedule.json'),
        collectionId,
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const scheduleId = created.body.id as string;
      try {
        expect(created.body.nextRuns.length).toBeGreaterThan(0);
        expect((await harness.api('POST', `/v1/schedules/${scheduleId}/trigger`)).status).toBe(202);
        const [run] = await waitFor(
          async () =>
            (await harness.api('GET', `/v1/operations?scheduleId=${scheduleId}`)).body
              .data as Body[],
          (rows) => rows.some((row) => row.status === 'completed' || row.status === 'failed'),
          { what: 'the triggered run', timeoutMs: 60_000 },
        );
        expect(run).toMatchObject({
          status: 'completed',
          scheduleId,
          counts: { items: 8, done: 7, failed: 1 },
        });
        const checks = await outcomes(run?.id, 'run');
        expect(outputOf(checks, 'dist-lis-01')).toMatchObject({
          command: 'show running-config',
          compliant: true,
          missing: [],
        });
        expect(outputOf(checks, 'core-lis-01')).toMatchObject({
          compliant: false,
          missing: ['ntp server 10.0.0.1', 'ntp server 10.0.0.2'],
        });
        expect(outputOf(checks, 'core-lis-01').output).toContain('ntp server 10.0.0.9');
        // Unreachable is retryable: the device got its two attempts before it failed.
        expect(checks.get('edge-opo-02')).toMatchObject({ status: 'failed', attempts: 2 });
        expect(checks.get('edge-opo-02')?.error).toMatch(/unreachable/);
      } finally {
        expect((await harness.api('DELETE', `/v1/schedules/${scheduleId}`)).status).toBe(204);
      }

      // The job's own params (a version audit) when a start gives none.
      const audit = await startOperation(harness, {
        job: 'device-check',
        collectionId,
        itemKeys: ['core-lis-01', 'dist-opo-01'],
      });
      expect(await waitForStatus(harness, audit, ['completed', 'failed'])).toMatchObject({
        status: 'completed',
        counts: { done: 2 },
      });
      const versions = await outcomes(audit, 'run');
      expect(outputOf(versions, 'core-lis-01')).toMatchObject({
        command: 'show version',
        version: '4.30.2F',
      });
      expect(outputOf(versions, 'dist-opo-01')).toMatchObject({ version: '17.6.5' });
    } finally {
      await lab.close();
    }
  });

  it('customer-import: test mode samples rows and keeps nothing; production imports them', async () => {
    await applyJob('customer-import');
    const items = csvToItems(exampleFile('customer-import/customers.csv'));
    // 24 rows, C1002 twice: its later row stands.
    expect(items).toHaveLength(23);
    const { id: collectionId, upserted } = await collectionWith('crm-export', { items });
    expect(upserted).toMatchObject({ received: 23, inserted: 23 });

    const sample = await startOperation(harness, {
      job: 'customer-import',
      collectionId,
      mode: 'test',
      limit: 5,
    });
    const sampled = await waitForStatus(harness, sample, ['completed', 'failed']);
    expect(sampled).toMatchObject({
      mode: 'test',
      status: 'completed',
      counts: { items: 5, done: 4, failed: 1 },
    });
    const sampleRows = await outcomes(sample, 'normalise');
    expect(sampleRows.size).toBe(5);
    expect([...sampleRows.values()].every((row) => row.result === null)).toBe(true);
    expect(sampleRows.get('C1003')?.error).toMatch(
      /email "marta.sousa\(at\)example.pt" is not an address/,
    );
    const exported = await harness.api('GET', `/v1/collections/${collectionId}/results/export`);
    expect(exported.status).toBe(200);
    expect(exported.body ?? '').toBe('');

    const run = await startOperation(harness, { job: 'customer-import', collectionId });
    const imported = await waitForStatus(harness, run, ['completed', 'failed']);
    expect(imported).toMatchObject({
      mode: 'production',
      counts: { items: 23, done: 17, failed: 6 },
    });
    const rows = await outcomes(run, 'normalise');
    expect(outputOf(rows, 'C1002')).toEqual({
      customerId: 'C1002',
      name: 'João Pereira',
      email: 'joao.pereira@example.pt',
      country: 'PT',
      signupDate: '2023-02-14',
      lifetimeValue: { amount: 355, currency: 'EUR' },
      newsletter: true,
    });
    expect(outputOf(rows, 'C1006')).toMatchObject({
      name: 'Sven Lindqvist',
      country: 'SE',
      lifetimeValue: { amount: 12_500 },
    });
    expect(outputOf(rows, 'C1004')).toMatchObject({
      country: 'IE',
      signupDate: '2023-03-02',
      lifetimeValue: { amount: 2105.75 },
    });
    expect(outputOf(rows, 'C1017')).toMatchObject({
      country: 'PT',
      lifetimeValue: { amount: 88.9 },
      newsletter: true,
    });
    const failures = [...rows.values()]
      .filter((row) => row.status === 'failed')
      .map((row) => row.key);
    expect(failures.sort()).toEqual(['C1003', 'C1007', 'C1011', 'C1012', 'C1016', 'line-14']);
    expect(rows.get('C1007')?.error).toMatch(/signup_date "2023-02-30" is not a date/);
    expect(rows.get('line-14')?.error).toMatch(
      /customer_id is missing.*email "" is not an address/,
    );
    const lines = (await harness.api('GET', `/v1/collections/${collectionId}/results/export`)).body;
    expect(String(lines).trim().split('\n')).toHaveLength(17);
  });

  it('catalogue-scrape: discovers pages from a sitemap and extracts them at the stage rate', async () => {
    const site = await startSite({ port: 0 });
    try {
      const job = await applyJob('catalogue-scrape');
      const rate = exampleJson('catalogue-scrape/job.json').stages[1].rateLimitPerSecond;
      // The stage's rate overrides the handler's polite default of 2; its retry defaults stand.
      expect(job.definition.stages[1]).toMatchObject({
        rateLimitPerSecond: rate,
        retry: { maximumAttempts: 3, initialIntervalMs: 2_000 },
      });
      const created = await harness.api('POST', '/v1/collections', { name: 'harbour-hardware' });
      const collectionId = created.body.id as string;
      // The README's site listens on 8088; this one on a free port, so the start names its sitemap.
      const operationId = await startOperation(harness, {
        job: 'catalogue-scrape',
        collectionId,
        params: { url: `${site.url}/sitemap.xml` },
      });
      const operation = await waitForStatus(harness, operationId, ['completed', 'failed'], 60_000);

      expect(operation.status).toBe('completed');
      expect(stageCounts(operation, 'extract')).toMatchObject({ items: 21, done: 20, failed: 1 });
      const listed = await harness.api('GET', `/v1/collections/${collectionId}/items?limit=100`);
      expect(listed.body.data).toHaveLength(21);
      const pages = await outcomes(operationId, 'extract');
      expect(outputOf(pages, `${site.url}/products/claw-hammer-450g`)).toMatchObject({
        status: 200,
        title: 'Claw hammer, 450 g | Harbour Hardware',
        name: 'Claw hammer, 450 g',
        sku: 'HH-1001',
        price: 14.9,
        currency: 'EUR',
        inStock: true,
      });
      expect(outputOf(pages, `${site.url}/products/spirit-level-60cm`)).toMatchObject({
        inStock: false,
      });
      expect(pages.get(`${site.url}/products/bench-vice-100`)?.error).toMatch(/answered 404/);
      expect(operation.costs).toContainEqual(
        expect.objectContaining({ stageName: 'extract', unit: 'requests', amount: 21 }),
      );

      // The site's own clock: after a one-second burst, pages were asked for no faster than the rate.
      const asked = site.requests
        .filter((request) => request.path.startsWith('/products/'))
        .map((request) => request.at);
      expect(asked).toHaveLength(21);
      const span = ((asked.at(-1) ?? 0) - (asked[0] ?? 0)) / 1000;
      expect(span).toBeGreaterThanOrEqual(asked.length / rate - 1 - 0.2);
      for (const at of asked) {
        expect(asked.filter((t) => t >= at && t < at + 1000).length).toBeLessThanOrEqual(2 * rate);
      }
    } finally {
      await site.close();
    }
  });
});
