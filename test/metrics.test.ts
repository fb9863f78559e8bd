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
  it('count every item stage once by job, stage, handler and outcome', async () => {
    const collectionId = await seedCollection(harness, 40);
    await createJob(harness, {
      name: 'metered',
      stages: [
        { name: 'fetch', handler: 'noop', params: { failKeys: ['k1', 'k3'], cost: 0.5 } },
        { name: 'parse', handler: 'noop' },
      ],
    });
    const id = await startOperation(harness, { job: 'metered', collectionId });
    await waitForStatus(harness, id, ['completed']);

    const response = await fetch(`${harness.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const scrape = await response.text();
    const items = (stage: string, outcome: string) =>
      sample(scrape, 'conveyor_items_total', { job: 'metered', stage, handler: 'noop', outcome });
    expect(items('fetch', 'done')).toBe(38);
    expect(items('fetch', 'failed')).toBe(2);
    expect(items('parse', 'done')).toBe(38);
    expect(sample(scrape, 'conveyor_item_duration_seconds_count', { stage: 'fetch' })).toBe(40);
    expect(sample(scrape, 'conveyor_costs_total', { job: 'metered', stage: 'fetch' })).toBeCloseTo(
      19,
    );
    expect(
      sample(scrape, 'conveyor_batch_duration_seconds_count', { stage: 'parse' }),
    ).toBeGreaterThan(0);
    expect(
      sample(scrape, 'conveyor_http_requests_total', {
        route: '/v1/operations',
        method: 'POST',
        status: '202',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(scrape, 'conveyor_operations', { status: 'completed' })).toBeGreaterThanOrEqual(
      1,
    );
    // No series is labelled by an operation or an item.
    expect(scrape).not.toContain(id);
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
