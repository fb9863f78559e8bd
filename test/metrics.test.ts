import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../runtime/ports';
import { serveWorkerMetrics } from '../worker/metrics-server';
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
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.stop();
});

/** The value of one series in a Prometheus text scrape, 0 when absent. */
function sample(scrape: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = scrape
    .split('\n')
    .find((row) => row.startsWith(`${name}{`) && wanted.every((pair) => row.includes(pair)));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('Prometheus metrics', () => {
  it('count every item stage once by handler and outcome, naming nothing a tenant chose', async () => {
    const collectionId = await seedCollection(harness, 40);
    await createJob(harness, {
      name: 'metered-job',
      stages: [
        {
          name: 'fetch-stage',
          handler: 'noop',
          params: { failKeys: ['k1', 'k3'], cost: 0.5 },
        },
        { name: 'parse-stage', handler: 'noop' },
      ],
    });
    const id = await startOperation(harness, { job: 'metered-job', collectionId });
    await waitForStatus(harness, id, ['completed']);
    const missing = '00000000-0000-4000-8000-00000000abcd';
    expect((await harness.api('GET', `/v1/collections/${missing}`)).status).toBe(404);
    expect((await harness.api('GET', '/no-such-route-4f2a')).status).toBe(404);
    await fetch(`${harness.url}/v1/jobs`, { method: 'PROPFIND' });

    const response = await fetch(`${harness.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const scrape = await response.text();
    const items = (outcome: string) =>
      sample(scrape, 'conveyor_items_total', { handler: 'noop', outcome });
    // Both stages run noop: 40 items in the first (2 fail), the 38 others in the second.
    expect(items('done')).toBe(76);
    expect(items('failed')).toBe(2);
    expect(sample(scrape, 'conveyor_item_duration_seconds_count', { handler: 'noop' })).toBe(78);
    expect(sample(scrape, 'conveyor_costs_total', { handler: 'noop' })).toBeCloseTo(19);
    expect(
      sample(scrape, 'conveyor_batch_duration_seconds_count', { handler: 'noop' }),
    ).toBeGreaterThan(0);
    expect(
      sample(scrape, 'conveyor_http_requests_total', {
        route: '/v1/operations',
        method: 'POST',
        status: '202',
      }),
    ).toBeGreaterThanOrEqual(1);
    // Routes by their template, a path no route took and a method outside the usual ones as `other`.
    expect(
      sample(scrape, 'conveyor_http_requests_total', {
        route: '/v1/collections/:id',
        method: 'GET',
        status: '404',
      }),
    ).toBe(1);
    expect(
      sample(scrape, 'conveyor_http_requests_total', { route: 'unmatched', method: 'GET' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(scrape, 'conveyor_http_requests_total', { method: 'other' })).toBe(1);
    expect(sample(scrape, 'conveyor_operations', { status: 'completed' })).toBeGreaterThanOrEqual(
      1,
    );
    // No series is labelled by anything a tenant named or an id: job, stage, collection, route
    // parameter, operation, item.
    expect(scrape).not.toMatch(/[{,](job|stage|collection)="/);
    for (const chosen of ['metered-job', 'fetch-stage', 'parse-stage', collectionId, missing, id]) {
      expect(scrape).not.toContain(chosen);
    }
    expect(scrape).not.toContain('no-such-route');
    expect(scrape).not.toContain('PROPFIND');
    expect(scrape).not.toMatch(/"k\d+"/);
  });

  it('are served by a worker on its own port', async () => {
    const port = await freePort();
    const server = await serveWorkerMetrics(port, '127.0.0.1');
    try {
      const scrape = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(scrape).toContain('# TYPE conveyor_items_total counter');
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    } finally {
      server.close();
    }
  });
});
