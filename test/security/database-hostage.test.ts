import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, type Harness, seedCollection, startHarness } from '../harness';
import { openSse } from '../sse-client';

/**
 * A hostile tenant tries to hold the database: slow exports, slow statements, a full pool, an
 * event stream it never reads, a stream kept open on a revoked key. Each is cut or refused with
 * a 503 that says why, and other tenants are answered throughout.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Gives a collection's items a result each, with enough output that an export is megabytes. */
async function seedResults(harness: Harness, collectionId: string) {
  await harness.database.sql`
    insert into results (item_id, handler, tenant_id, collection_id, handler_version, output, stage_name)
    select id, 'noop', tenant_id, collection_id, '1', jsonb_build_object('pad', repeat('x', 400)), 'only'
    from items where collection_id = ${collectionId}::uuid`;
}

/** A GET whose response is never read: the client holds its end of the stream open. */
function holdOpen(url: string, key: string, headers: Record<string, string> = {}) {
  return new Promise<http.IncomingMessage>((resolve, reject) => {
    const request = http.get(url, { headers: { authorization: `Bearer ${key}`, ...headers } });
    request.once('response', (response) => {
      response.pause();
      resolve(response);
    });
    request.once('error', reject);
  });
}

/** Reads what is left of a paused response to its end (or its reset); complete SSE messages. */
function drainSse(response: http.IncomingMessage): Promise<{ id: number }[]> {
  return new Promise((resolve) => {
    let text = '';
    const done = () =>
      resolve(
        text
          .split('\n\n')
          .slice(0, -1)
          .map((block) => /^id: (\d+)$/m.exec(block)?.[1])
          .filter((id): id is string => id !== undefined)
          .map((id) => ({ id: Number(id) })),
      );
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      text += chunk;
    });
    response.once('end', done);
    response.once('error', done);
    response.once('close', done);
    response.resume();
  });
}

describe('slow exports', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ worker: false, database: { DB_POOL_WAIT_MS: 1_000 } });
  });
  afterAll(() => harness.stop());

  it('take only the export pool: another tenant is answered at once, extra exports get 503', async () => {
    const collection = await seedCollection(harness, 20_000);
    await seedResults(harness, collection);
    const other = await harness.api('POST', '/v1/tenants', { name: 'bystander' });
    expect(other.status).toBe(201);
    // Past the tenant's quota of exports at once, so the export pool is what turns them away.
    const tenants = await harness.api<{ data: { id: string; name: string }[] }>(
      'GET',
      '/v1/tenants',
    );
    const own = tenants.body.data.find((tenant) => tenant.name === 'default');
    const raised = await harness.api('PATCH', `/v1/tenants/${own?.id}`, {
      quotas: { exportsAtOnce: 50 },
    });
    expect(raised.status).toBe(200);

    const url = `${harness.url}/v1/collections/${collection}/results/export`;
    const exports = Array.from({ length: 20 }, () =>
      holdOpen(url, harness.adminKey).then(
        (response) => response,
        (error: Error) => error,
      ),
    );
    await sleep(300);
    const started = performance.now();
    const listed = await harness.api('GET', '/v1/collections', undefined, other.body.key);
    const took = performance.now() - started;
    expect(listed.status).toBe(200);
    expect(took).toBeLessThan(1_000);

    const responses = await Promise.all(exports);
    const statuses = responses.map((r) => (r instanceof Error ? 0 : r.statusCode));
    // Two exports stream (the export pool's size); the rest waited the bound and were refused.
    expect(statuses.filter((s) => s === 200)).toHaveLength(2);
    expect(statuses.filter((s) => s === 503)).toHaveLength(18);
    const refused = responses.find((r) => !(r instanceof Error) && r.statusCode === 503);
    expect(refused && !(refused instanceof Error) && refused.headers['retry-after']).toMatch(
      /^\d+$/,
    );
    for (const response of responses) if (!(response instanceof Error)) response.destroy();

    // Their connections come back: an export works again.
    const again = await harness.api('GET', `/v1/collections/${collection}/results/export`);
    expect(again.status).toBe(200);
    expect(again.body.split('\n').filter(Boolean)).toHaveLength(20_000);
  });
});

describe('slow statements and a full pool', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      worker: false,
      requestPoolSize: 1,
      database: { DB_STATEMENT_TIMEOUT_MS: 1_500, DB_POOL_WAIT_MS: 300 },
    });
  });
  afterAll(() => harness.stop());

  /**
   * Holds the collection's row locked, as a long write of another request would, until the
   * returned function lets it go: no timer decides when the lock ends, so a slow machine cannot
   * release it before the request under test arrives.
   */
  async function lockCollection(id: string): Promise<() => Promise<void>> {
    let locked!: () => void;
    let release!: () => void;
    const holding = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const done = harness.database.sql.begin(async (tx) => {
      await tx`select 1 from collections where id = ${id}::uuid for update`;
      locked();
      await released;
    });
    await holding;
    return async () => {
      release();
      await done;
    };
  }

  /** Until Postgres shows a statement waiting on a row lock: the blocked request holds its connection. */
  async function waitForLockWait() {
    for (;;) {
      const [row] = await harness.database.sql<{ waiting: number }[]>`
        select count(*)::int as waiting from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`;
      if ((row?.waiting ?? 0) > 0) return;
      await sleep(20);
    }
  }

  it('a statement past the timeout answers 503 database-busy, not 500', async () => {
    const collection = await seedCollection(harness, 1);
    const release = await lockCollection(collection);
    const started = performance.now();
    const patched = await harness.api('PATCH', `/v1/collections/${collection}`, {
      description: 'blocked',
    });
    expectProblem(patched, 503, 'database-busy');
    expect(patched.body.detail).toMatch(/statement timeout/);
    expect(performance.now() - started).toBeLessThan(2_900);
    await release();
  });

  it('a request that cannot get a connection within the bound answers 503 with Retry-After', async () => {
    const collection = await seedCollection(harness, 1);
    const release = await lockCollection(collection);
    // Holds the pool's one connection, waiting for the lock.
    const blocked = harness.api('PATCH', `/v1/collections/${collection}`, { description: 'x' });
    await waitForLockWait();
    const response = await fetch(`${harness.url}/v1/collections`, {
      headers: { authorization: `Bearer ${harness.adminKey}` },
    });
    const body = (await response.json()) as { detail: string };
    expectProblem(
      { status: response.status, contentType: response.headers.get('content-type') ?? '', body },
      503,
      'database-busy',
    );
    expect(body.detail).toMatch(/no request connection came free within 0.3 s/);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    // The blocked write goes through once the lock is let go, and the pool serves again.
    await release();
    expect((await blocked).status).toBe(200);
    expect((await harness.api('GET', '/v1/collections')).status).toBe(200);
  });
});

describe('event streams', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      worker: false,
      sseMaxQueuedEvents: 1_000,
      sseKeyCheckSeconds: 1,
    });
  });
  afterAll(() => harness.stop());

  it('a client that does not read is cut, and resumes with every event exactly once', async () => {
    const streamUrl = `${harness.url}/v1/events/stream?type=operation.progress`;
    const slow = await holdOpen(streamUrl, harness.adminKey);
    // Subscribed before the events are written.
    await sleep(500);

    const [tenant] = await harness.database.sql<{ id: string }[]>`
      select tenant_id as id from api_keys where system limit 1`;
    const count = 6_000;
    const inserted = await harness.database.sql<{ id: number }[]>`
      insert into events (tenant_id, type, data)
      select ${tenant?.id ?? ''}::uuid, 'operation.progress', jsonb_build_object('n', n, 'pad', repeat('y', 4000))
      from generate_series(1, ${count}) n
      returning id`;
    const ids = inserted.map((row) => Number(row.id)).sort((a, b) => a - b);
    // The hub hands them over page by page; the one that does not read falls behind and is cut.
    await sleep(3_000);

    const before = await drainSse(slow);
    expect(before.length).toBeLessThan(count);
    const lastId = before.at(-1)?.id ?? 0;
    const resumed = await openSse(streamUrl, harness.adminKey, { 'last-event-id': String(lastId) });
    const rest = ids.filter((id) => id > lastId).length;
    await resumed.until((messages) => messages.length >= rest, 30_000);
    resumed.close();
    const seen = [...before.map((m) => m.id), ...resumed.messages.map((m) => Number(m.id))];
    expect(seen).toEqual(ids);
  });

  it('closes an open stream within a few seconds of its key being revoked', async () => {
    const created = await harness.api('POST', '/v1/api-keys', { name: 'watcher', role: 'viewer' });
    expect(created.status).toBe(201);
    const stream = await openSse(`${harness.url}/v1/events/stream`, created.body.key);
    expect(stream.status).toBe(200);
    let ended = false;
    void stream.ended.then(() => {
      ended = true;
    });
    await sleep(1_500);
    expect(ended).toBe(false);

    const revoked = await harness.api('DELETE', `/v1/api-keys/${created.body.id}`);
    expect(revoked.status).toBeLessThan(300);
    const started = performance.now();
    await Promise.race([stream.ended, sleep(5_000)]);
    expect(ended).toBe(true);
    expect(performance.now() - started).toBeLessThan(4_000);
    const again = await fetch(`${harness.url}/v1/events/stream`, {
      headers: { authorization: `Bearer ${created.body.key}` },
    });
    expect(again.status).toBe(401);
  });
});
