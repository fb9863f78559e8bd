import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteOldTestOperations, quietUnfinishedOperations } from '../db/maintenance';
import { builtInHandlers, createHandlerRegistry } from '../handlers/registry';
import {
  createJob,
  type Harness,
  seedCollection,
  startHarness,
  startOperation,
  waitForStatus,
} from './harness';
import { fetchPage, insertV2Operation, outcome, parsePage } from './ledger-v2-rows';

/**
 * Every reader of the ledger over a version-2 operation, through the API: the operation's rows
 * are written here with SQL as its hot path leaves them (docs/ledger.md), beside a version-1
 * operation run by the engine over the same items.
 */

let harness: Harness;
let collectionId: string;
/** Item ids by key, k0…k5. */
let ids: number[];
/** The version-1 operation run by the engine over the collection. */
let v1: string;
/** A running production version-2 operation. */
let v2: { id: string; key: number };

beforeAll(async () => {
  harness = await startHarness({
    handlers: createHandlerRegistry([...builtInHandlers, fetchPage, parsePage]),
  });
  await createJob(harness, {
    name: 'v2-read',
    stages: [
      { name: 'fetch', handler: 'test.v2-fetch' },
      { name: 'tick', handler: 'noop' },
      { name: 'parse', handler: 'test.v2-parse' },
    ],
  });
  await createJob(harness, {
    name: 'v2-parse-only',
    stages: [{ name: 'parse', handler: 'test.v2-parse' }],
  });
  collectionId = await seedCollection(harness, 6);
  const { sql } = harness.database;
  ids = (
    await sql<{ id: number }[]>`
      select id::int8 as id from items where collection_id = ${collectionId}::uuid order by id`
  ).map((row) => row.id);
  v1 = await startOperation(harness, { job: 'v2-read', collectionId });
  expect((await waitForStatus(harness, v1, ['completed', 'failed'])).status).toBe('completed');

  // k0 done throughout; k1 done, done, then skipped by its own handler; k2 failed its first
  // stage on its third attempt (later stages skipped); k3 failed the second; k4 done in the
  // first, its second failed once retryably and still to run; k5 not reached.
  v2 = await insertV2Operation(sql, v1, {
    status: 'running',
    items_total: 6,
    items_done: 0,
    items_failed: 0,
    items_skipped: 0,
    finished_at: null,
  });
  const [k0, k1, k2, k3, k4] = ids as [number, number, number, number, number];
  await sql`
    insert into operation_chunks (operation_key, chunk_index, item_ids) values
      (${v2.key}, 0, ${ids.slice(0, 3)}::int8[]), (${v2.key}, 1, ${ids.slice(3)}::int8[])`;
  for (const item of [k0, k1, k3, k4]) {
    await outcome(sql, v2.key, item, 0, 'done', {
      version: '0',
      output: { body: `v2 page ${ids.indexOf(item)}` },
    });
  }
  await outcome(sql, v2.key, k2, 0, 'failed', { attempt: 3, error: 'boom' });
  await outcome(sql, v2.key, k2, 1, 'skipped', { error: 'an earlier stage failed' });
  await outcome(sql, v2.key, k2, 2, 'skipped', { error: 'an earlier stage failed' });
  await outcome(sql, v2.key, k0, 1, 'done', { output: {} });
  await outcome(sql, v2.key, k1, 1, 'done', { output: {} });
  await outcome(sql, v2.key, k3, 1, 'failed', { attempt: 2, error: 'bad tick' });
  await outcome(sql, v2.key, k3, 2, 'skipped', { error: 'an earlier stage failed' });
  await outcome(sql, v2.key, k0, 2, 'done', { output: { text: 'V2 PAGE 0' } });
  await outcome(sql, v2.key, k1, 2, 'skipped');
  await sql`
    insert into item_attempt_errors (operation_key, item_id, stage, attempt, error) values
      (${v2.key}, ${k4}, 1, 1, 'flaky'), (${v2.key}, ${k2}, 0, 1, 'first try'),
      (${v2.key}, ${k2}, 0, 2, 'second try')`;
  // Two flushes' tallies, as deltas: stage 0 done 4 failed 1; stage 1 done 2 failed 1 skipped
  // 1; stage 2 done 1 skipped 3.
  await sql`
    insert into stage_tallies (operation_id, stage_index, done, failed, skipped) values
      (${v2.id}, 0, 3, 1, 0), (${v2.id}, 1, 1, 0, 1), (${v2.id}, 2, 0, 0, 1),
      (${v2.id}, 0, 1, 0, 0), (${v2.id}, 1, 1, 1, 0), (${v2.id}, 2, 1, 0, 2)`;
}, 180_000);

afterAll(async () => {
  await harness?.stop();
});

const itemIdsOf = (rows: { itemId: number }[]) => rows.map((row) => row.itemId);

describe('a running version-2 operation', () => {
  it('shows per-stage and item counts from its tallies, in the detail and the list', async () => {
    const detail = await harness.api('GET', `/v1/operations/${v2.id}`);
    expect(detail.status).toBe(200);
    // done: k0; failed: k2, k3; skipped by its own last stage: k1; pending: k4, k5.
    expect(detail.body.counts).toEqual({ items: 6, done: 1, failed: 2, skipped: 1, pending: 2 });
    expect(detail.body.stages.map((stage: Record<string, number>) => stage)).toMatchObject([
      { name: 'fetch', items: 6, pending: 1, inProgress: 0, done: 4, failed: 1, skipped: 0 },
      { name: 'tick', items: 6, pending: 2, inProgress: 0, done: 2, failed: 1, skipped: 1 },
      { name: 'parse', items: 6, pending: 2, inProgress: 0, done: 1, failed: 0, skipped: 3 },
    ]);
    const list = await harness.api('GET', '/v1/operations?limit=20');
    const listed = list.body.data.find((row: { id: string }) => row.id === v2.id);
    expect(listed.counts).toEqual(detail.body.counts);
    // The version-1 operation beside it keeps its counters.
    const other = list.body.data.find((row: { id: string }) => row.id === v1);
    expect(other.counts).toEqual({ items: 6, done: 6, failed: 0, skipped: 0, pending: 0 });
  });

  it('lists its items from the scope, in stage states from the outcomes, paged by item id', async () => {
    const pages: number[][] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: any } = await harness.api(
        'GET',
        `/v1/operations/${v2.id}/items?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      pages.push(itemIdsOf(page.body.data));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(pages.filter((page) => page.length > 0)).toEqual([
      ids.slice(0, 2),
      ids.slice(2, 4),
      ids.slice(4, 6),
    ]);
    const all = await harness.api('GET', `/v1/operations/${v2.id}/items?limit=10`);
    const byKey = Object.fromEntries(
      all.body.data.map((row: { key: string; stages: unknown[] }) => [row.key, row.stages]),
    );
    expect(byKey.k2).toEqual([
      { stage: 'fetch', status: 'failed', attempts: 3, error: 'boom', durationMs: 12.5 },
      {
        stage: 'tick',
        status: 'skipped',
        attempts: 1,
        error: 'an earlier stage failed',
        durationMs: 12.5,
      },
      {
        stage: 'parse',
        status: 'skipped',
        attempts: 1,
        error: 'an earlier stage failed',
        durationMs: 12.5,
      },
    ]);
    expect(byKey.k4).toMatchObject([
      { stage: 'fetch', status: 'done' },
      { stage: 'tick', status: 'pending', attempts: 1, error: 'flaky', durationMs: null },
      { stage: 'parse', status: 'pending', attempts: 0, error: null },
    ]);
    expect(byKey.k5.map((stage: { status: string }) => stage.status)).toEqual([
      'pending',
      'pending',
      'pending',
    ]);
  });

  it('filters its items by a stage’s status, pending being no outcome', async () => {
    const filtered = async (query: string) => {
      const page = await harness.api('GET', `/v1/operations/${v2.id}/items?limit=10&${query}`);
      expect(page.status).toBe(200);
      return itemIdsOf(page.body.data);
    };
    const [k0, k1, k2, k3, k4, k5] = ids;
    expect(await filtered('status=pending')).toEqual([k5]);
    expect(await filtered('status=failed')).toEqual([k2]);
    expect(await filtered('status=done')).toEqual([k0, k1, k3, k4]);
    expect(await filtered('stage=tick&status=pending')).toEqual([k4, k5]);
    expect(await filtered('stage=tick&status=failed')).toEqual([k3]);
    expect(await filtered('stage=parse&status=skipped')).toEqual([k1, k2, k3]);
    expect(await filtered('stage=parse&status=done')).toEqual([k0]);
    expect(await filtered('status=in_progress')).toEqual([]);
    expect(await filtered(`stage=parse&status=pending&cursor=${k4}`)).toEqual([k5]);
  });

  it('shows its outcomes and attempt errors in an item’s history, beside version 1’s', async () => {
    const detail = async (index: number) =>
      (await harness.api('GET', `/v1/collections/${collectionId}/items/${ids[index]}`)).body;
    const k2 = await detail(2);
    const ofV2 = (history: { operationId: string; startedAt: string; finishedAt: string }[]) =>
      history.filter((entry) => entry.operationId === v2.id);
    expect(ofV2(k2.history)).toMatchObject([
      { stage: 'parse', status: 'skipped', attempts: 1, error: 'an earlier stage failed' },
      { stage: 'tick', status: 'skipped', attempts: 1 },
      { stage: 'fetch', status: 'failed', attempts: 3, error: 'boom', handlerVersion: '1' },
    ]);
    const failedAt = ofV2(k2.history)[2];
    expect(failedAt && failedAt.startedAt < failedAt.finishedAt).toBe(true);
    // Newest operation first: version 2's rows, then the version-1 run's three stages.
    expect(k2.history.map((entry: { operationId: string }) => entry.operationId)).toEqual([
      v2.id,
      v2.id,
      v2.id,
      v1,
      v1,
      v1,
    ]);
    const k4 = await detail(4);
    expect(ofV2(k4.history)).toMatchObject([
      { stage: 'tick', status: 'pending', attempts: 1, error: 'flaky', finishedAt: null },
      { stage: 'fetch', status: 'done', attempts: 1 },
    ]);
  });

  it('makes its done outcomes the items’ latest results, with stale detection', async () => {
    const k0 = (await harness.api('GET', `/v1/collections/${collectionId}/items/${ids[0]}`)).body;
    const byHandler = Object.fromEntries(
      k0.results.map((result: { handler: string }) => [result.handler, result]),
    );
    expect(byHandler['test.v2-fetch']).toMatchObject({
      stage: 'fetch',
      handlerVersion: '0',
      currentVersion: '1',
      stale: true,
      output: { body: 'v2 page 0' },
      operationId: v2.id,
    });
    expect(byHandler['test.v2-parse']).toMatchObject({
      output: { text: 'V2 PAGE 0' },
      operationId: v2.id,
      stale: false,
    });
    // k2 failed in version 2: its result stays version 1's.
    const k2 = (await harness.api('GET', `/v1/collections/${collectionId}/items/${ids[2]}`)).body;
    expect(
      k2.results.find((result: { handler: string }) => result.handler === 'test.v2-fetch'),
    ).toMatchObject({ operationId: v1, handlerVersion: '1', output: { body: 'page 2' } });

    const stats = await harness.api('GET', `/v1/collections/${collectionId}/stats`);
    expect(stats.status).toBe(200);
    const fetchStats = stats.body.handlers.find(
      (row: { handler: string }) => row.handler === 'test.v2-fetch',
    );
    expect(fetchStats).toMatchObject({ results: 6, stale: 4, versions: { '0': 4, '1': 2 } });
    expect(stats.body.stale).toBe(4);
  });

  it('pages its results by (stage, item), each with the item’s current result', async () => {
    const page = await harness.api('GET', `/v1/operations/${v2.id}/results?stage=fetch&limit=3`);
    expect(page.status).toBe(200);
    expect(page.body.data).toMatchObject([
      {
        itemId: ids[0],
        status: 'done',
        result: { operationId: v2.id, output: { body: 'v2 page 0' } },
      },
      { itemId: ids[1], status: 'done', result: { operationId: v2.id } },
      { itemId: ids[2], status: 'failed', attempts: 3, error: 'boom', result: { operationId: v1 } },
    ]);
    const next = await harness.api(
      'GET',
      `/v1/operations/${v2.id}/results?limit=3&cursor=${page.body.nextCursor}`,
    );
    expect(
      next.body.data.map((row: { itemId: number; stage: string }) => [row.stage, row.itemId]),
    ).toEqual([
      ['fetch', ids[3]],
      ['fetch', ids[4]],
      ['fetch', ids[5]],
    ]);
    const pending = await harness.api(
      'GET',
      `/v1/operations/${v2.id}/results?status=pending&limit=10`,
    );
    expect(
      pending.body.data.map((row: { stage: string; key: string }) => `${row.stage}:${row.key}`),
    ).toEqual(['fetch:k5', 'tick:k4', 'tick:k5', 'parse:k4', 'parse:k5']);
    const failed = await harness.api('GET', `/v1/operations/${v2.id}/results?status=failed`);
    expect(failed.body.data).toMatchObject([
      { stage: 'fetch', key: 'k2', status: 'failed', attempts: 3, error: 'boom' },
      { stage: 'tick', key: 'k3', status: 'failed', attempts: 2, error: 'bad tick' },
    ]);
    expect(failed.body.data).toHaveLength(2);
  });

  it('exports its results as the latest, and only the stale ones when asked', async () => {
    const response = await fetch(
      `${harness.url}/v1/collections/${collectionId}/results/export?stale=true`,
      { headers: { authorization: `Bearer ${harness.adminKey}` } },
    );
    expect(response.status).toBe(200);
    const lines = (await response.text())
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => [line.key, line.handler, line.operationId])).toEqual([
      ['k0', 'test.v2-fetch', v2.id],
      ['k1', 'test.v2-fetch', v2.id],
      ['k3', 'test.v2-fetch', v2.id],
      ['k4', 'test.v2-fetch', v2.id],
    ]);
  });

  it('gives a handler that reads an earlier handler the version-2 result', async () => {
    const id = await startOperation(harness, {
      job: 'v2-parse-only',
      scope: 'items',
      itemIds: [ids[0], ids[2]],
    });
    expect((await waitForStatus(harness, id, ['completed', 'failed'])).status).toBe('completed');
    const rows = await harness.api('GET', `/v1/operations/${id}/results?limit=10`);
    expect(rows.body.data.map((row: { result: { output: unknown } }) => row.result.output)).toEqual(
      [{ text: 'V2 PAGE 0' }, { text: 'PAGE 2' }],
    );
  });

  it('is not taken for quiet by maintenance while its flushes write events', async () => {
    const { sql } = harness.database;
    await sql`update operations set updated_at = now() - interval '1 hour' where id = ${v2.id}`;
    const quiet = async () =>
      (await quietUnfinishedOperations(sql, 600, 1000)).map((operation) => operation.id);
    expect(await quiet()).toContain(v2.id);
    await sql`
      insert into events (tenant_id, operation_id, type, data)
      select tenant_id, id, 'operation.progress', '{}'::jsonb from operations where id = ${v2.id}`;
    expect(await quiet()).not.toContain(v2.id);
  });
});

describe('a finished version-2 operation', () => {
  it('shows the counters its finish set, not its tallies', async () => {
    const { sql } = harness.database;
    await sql`
      update operations set status = 'completed', finished_at = now(), items_done = 1,
        items_failed = 2, items_skipped = 1
      where id = ${v2.id}`;
    // A tally written after the finish moves the stage's counts but not the counters.
    await sql`insert into stage_tallies (operation_id, stage_index, done) values (${v2.id}, 2, 1)`;
    const detail = await harness.api('GET', `/v1/operations/${v2.id}`);
    expect(detail.body.counts).toEqual({ items: 6, done: 1, failed: 2, skipped: 1, pending: 2 });
    expect(detail.body.stages[2]).toMatchObject({ done: 2 });
  });

  it('runs `only: "stale"` over the items whose latest result is its stale one', async () => {
    const id = await startOperation(harness, { job: 'v2-read', collectionId, only: 'stale' });
    const finished = await waitForStatus(harness, id, ['completed', 'failed']);
    expect(finished.counts.items).toBe(4);
    const items = await harness.api('GET', `/v1/operations/${id}/items?limit=10`);
    expect(itemIdsOf(items.body.data)).toEqual([ids[0], ids[1], ids[3], ids[4]]);
    const stats = await harness.api('GET', `/v1/collections/${collectionId}/stats`);
    expect(stats.body.stale).toBe(0);
  });
  it('retries exactly its failed items', async () => {
    const retried = await harness.api('POST', `/v1/operations/${v2.id}/retry`, {});
    expect(retried.status).toBe(202);
    expect(retried.body.scope.itemCount).toBe(2);
    await waitForStatus(harness, retried.body.id, ['completed', 'failed']);
    const items = await harness.api('GET', `/v1/operations/${retried.body.id}/items?limit=10`);
    expect(itemIdsOf(items.body.data)).toEqual([ids[2], ids[3]]);
  });
});

describe('a test-mode version-2 operation', () => {
  it('leaves no results, and ages out with its scope, outcomes and attempt errors', async () => {
    const { sql } = harness.database;
    const test = await insertV2Operation(sql, v1, {
      mode: 'test',
      status: 'completed',
      finished_at: new Date(Date.now() - 40 * 86_400_000).toISOString(),
    });
    const k5 = ids[5] as number;
    await sql`insert into operation_chunks (operation_key, chunk_index, item_ids) values (${test.key}, 0, ${[k5]}::int8[])`;
    await outcome(sql, test.key, k5, 0, 'done', { version: '9', output: { body: 'test page' } });
    await sql`insert into item_attempt_errors (operation_key, item_id, stage, attempt, error) values (${test.key}, ${k5}, 0, 1, 'x')`;
    const detail = (await harness.api('GET', `/v1/collections/${collectionId}/items/${k5}`)).body;
    const fetched = detail.results.find(
      (result: { handler: string }) => result.handler === 'test.v2-fetch',
    );
    expect(fetched.operationId).not.toBe(test.id);
    expect(fetched.output).toEqual({ body: 'page 5' });
    // The history still shows what the test run did.
    expect(
      detail.history.some((entry: { operationId: string }) => entry.operationId === test.id),
    ).toBe(true);

    expect(await deleteOldTestOperations(sql, 30, 100)).toBeGreaterThanOrEqual(1);
    const [left] = await sql<{ chunks: number; outcomes: number; errors: number }[]>`
      select (select count(*) from operation_chunks where operation_key = ${test.key})::int as chunks,
        (select count(*) from outcomes where operation_key = ${test.key})::int as outcomes,
        (select count(*) from item_attempt_errors where operation_key = ${test.key})::int as errors`;
    expect(left).toEqual({ chunks: 0, outcomes: 0, errors: 0 });
    const [kept] = await sql<{ count: number }[]>`
      select count(*)::int as count from outcomes where operation_key = ${v2.key}`;
    expect(kept?.count).toBe(13);
  });
});
