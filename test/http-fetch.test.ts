import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createJob, type Harness, startHarness, startOperation, waitForStatus } from './harness';

let harness: Harness;
let server: Server;
let base: string;
const flakyHits = new Map<string, number>();

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? '/';
    if (path.startsWith('/ok/')) return response.end(`body of ${path}`);
    if (path === '/flaky') {
      const hits = (flakyHits.get(path) ?? 0) + 1;
      flakyHits.set(path, hits);
      response.statusCode = hits === 1 ? 503 : 200;
      return response.end(hits === 1 ? 'try later' : 'recovered');
    }
    response.statusCode = 404;
    response.end('no such page');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  // Loopback is private: this test's server, and only it, is allowed.
  harness = await startHarness({ hostAccess: { OUTBOUND_ALLOWED_HOSTS: `127.0.0.1:${port}` } });
});
afterAll(async () => {
  await harness?.stop();
  await new Promise((resolve) => server?.close(resolve));
});

it('fetches item URLs: pages are hashed, 404s fail at once, 5xx are retried', async () => {
  const collection = (await harness.api('POST', '/v1/collections', { name: 'pages' })).body;
  const items = [
    ...Array.from({ length: 5 }, (_, i) => ({ key: `ok-${i}`, data: { url: `${base}/ok/${i}` } })),
    { key: 'missing', data: { url: `${base}/missing` } },
    { key: 'flaky', data: { url: `${base}/flaky` } },
  ];
  await harness.api('POST', `/v1/collections/${collection.id}/items`, { items });
  await createJob(harness, {
    name: 'fetch',
    stages: [
      {
        name: 'fetch',
        handler: 'http.fetch',
        params: { timeoutMs: 5_000 },
        retry: { initialIntervalMs: 100 },
      },
    ],
  });
  const id = await startOperation(harness, { job: 'fetch', collectionId: collection.id });
  const op = await waitForStatus(harness, id, ['completed', 'failed']);
  expect(op.counts).toMatchObject({ items: 7, done: 6, failed: 1 });

  // Through the API, which reads either ledger format: each item stage with its current result.
  const results = await harness.api('GET', `/v1/operations/${id}/results?limit=100`);
  expect(results.status).toBe(200);
  const rows = results.body.data as {
    key: string;
    status: string;
    attempts: number;
    error: string | null;
    result: { output: any } | null;
  }[];
  expect(rows).toHaveLength(7);
  const byKey = new Map(rows.map((row) => [row.key, row]));
  expect(byKey.get('ok-3')?.result?.output).toMatchObject({
    status: 200,
    bytes: 'body of /ok/3'.length,
    sha256: createHash('sha256').update('body of /ok/3').digest('hex'),
  });
  expect(byKey.get('missing')).toMatchObject({ status: 'failed', attempts: 1 });
  expect(byKey.get('missing')?.error).toContain('404');
  expect(byKey.get('missing')?.result).toBeNull();
  expect(byKey.get('flaky')).toMatchObject({ status: 'done', attempts: 2 });
  expect(byKey.get('flaky')?.result?.output).toMatchObject({ status: 200 });
});
