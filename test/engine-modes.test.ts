import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  // fs.directory's test walks a directory made under the system's temporary directory.
  harness = await startHarness({ hostAccess: { FILE_ROOTS: tmpdir() } });
  await createJob(harness, {
    name: 'three',
    stages: [
      { name: 'a', handler: 'noop', params: { cost: 0.5 } },
      { name: 'b', handler: 'noop', params: { cost: 2 } },
      { name: 'c', handler: 'noop' },
    ],
  });
});
afterAll(async () => {
  await harness?.stop();
});

describe('modes', () => {
  it('dry_run returns the plan and runs nothing', async () => {
    const collectionId = await seedCollection(harness, 4_500);
    const before = await harness.database.sql`select count(*)::int as n from operations`;
    const response = await harness.api('POST', '/v1/operations', {
      job: 'three',
      collectionId,
      mode: 'dry_run',
    });
    expect(response.status).toBe(200);
    expect(response.body.plan).toMatchObject({
      items: 4_500,
      chunks: 3,
      sampleKeys: expect.arrayContaining(['k0']),
    });
    // 2,000 + 2,000 + 500 items in batches of 100.
    expect(response.body.plan.stages.map((stage: { batches: number }) => stage.batches)).toEqual([
      45, 45, 45,
    ]);
    const after = await harness.database.sql`select count(*)::int as n from operations`;
    expect(after).toEqual(before);
    const [row] = await harness.database.sql<
      { n: number }[]
    >`select count(*)::int as n from item_stages`;
    const itemStages = row?.n;
    expect(itemStages).toBe(0);
  });

  it('test mode runs one item through the chosen stages and keeps no results', async () => {
    const collectionId = await seedCollection(harness, 10);
    const id = await startOperation(harness, {
      job: 'three',
      collectionId,
      mode: 'test',
      stages: ['b'],
    });
    const op = await waitForStatus(harness, id, ['completed', 'failed']);
    expect(op).toMatchObject({ mode: 'test', counts: { items: 1, done: 1 } });
    expect(op.stages.map((stage: { name: string }) => stage.name)).toEqual(['b']);
    const [row] = await harness.database.sql<
      { n: number }[]
    >`select count(*)::int as n from results where operation_id = ${id}`;
    expect(row?.n).toBe(0);
    const listed = (await harness.api('GET', `/v1/operations?collectionId=${collectionId}`)).body
      .data;
    expect(listed[0]).toMatchObject({ id, mode: 'test' });
  });

  it('limit and itemKeys narrow an operation to exactly those items', async () => {
    const collectionId = await seedCollection(harness, 50);
    const byKeys = await startOperation(harness, {
      job: 'three',
      collectionId,
      itemKeys: ['k5', 'k7', 'missing'],
    });
    const limited = await startOperation(harness, { job: 'three', collectionId, limit: 12 });
    expect((await waitForStatus(harness, byKeys, ['completed'])).counts).toMatchObject({
      items: 2,
      done: 2,
    });
    expect((await waitForStatus(harness, limited, ['completed'])).counts).toMatchObject({
      items: 12,
      done: 12,
    });
  });

  it('rejects an unknown stage and params that do not fit the handlers', async () => {
    const collectionId = await seedCollection(harness, 1);
    const badStage = await harness.api('POST', '/v1/operations', {
      job: 'three',
      collectionId,
      stages: ['zzz'],
    });
    expect(badStage.status).toBe(404);
    expect(badStage.body.invalid_params[0].name).toBe('stages.0');
    const badParams = await harness.api('POST', '/v1/operations', {
      job: 'three',
      collectionId,
      params: { delayMs: 'slow' },
    });
    // Well-formed, but at odds with the handlers' params: a conflict naming the param.
    expect(badParams.status).toBe(409);
    expect(badParams.body.invalid_params[0].name).toContain('delayMs');
  });
});

describe('costs, scopes and discovery', () => {
  it('sums reported costs per operation and stage', async () => {
    const collectionId = await seedCollection(harness, 40);
    const id = await startOperation(harness, { job: 'three', collectionId });
    const op = await waitForStatus(harness, id, ['completed']);
    expect(op.costs).toEqual([
      { stageName: 'a', unit: 'unit', amount: 20, items: 40 },
      { stageName: 'b', unit: 'unit', amount: 80, items: 40 },
    ]);
  });

  it('runs an items scope across collections and a global scope once', async () => {
    const first = await seedCollection(harness, 3);
    const second = await seedCollection(harness, 3);
    const ids = [
      ...(await harness.api('GET', `/v1/collections/${first}/items?limit=2`)).body.data,
      ...(await harness.api('GET', `/v1/collections/${second}/items?limit=1`)).body.data,
    ].map((item: { id: number }) => item.id);
    const items = await startOperation(harness, { job: 'three', itemIds: ids });
    expect((await waitForStatus(harness, items, ['completed'])).counts).toMatchObject({
      items: 3,
      done: 3,
    });
    // Lists count the explicit ids rather than read them.
    const listed = (await harness.api('GET', '/v1/operations?scope=items')).body.data;
    expect(listed.find((op: { id: string }) => op.id === items).scope).toEqual({
      kind: 'items',
      collectionId: null,
      itemCount: 3,
    });

    const unknown = await harness.api('POST', '/v1/operations', {
      job: 'three',
      itemIds: [ids[0], 987654321],
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.invalid_params[0]).toMatchObject({
      name: 'itemIds',
      reason: expect.stringContaining('987654321'),
    });

    const global = await startOperation(harness, { job: 'three', scope: 'global' });
    const op = await waitForStatus(harness, global, ['completed', 'failed']);
    expect(op).toMatchObject({ scope: { kind: 'global' }, counts: { items: 1, done: 1 } });
    expect(op.stages.map((stage: { done: number }) => stage.done)).toEqual([1, 1, 1]);
  });

  it('discovers the files of a directory and checksums them in the same operation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conveyor-discovery-'));
    mkdirSync(join(dir, 'nested'));
    const expected = new Map<string, string>();
    for (let i = 0; i < 25; i++) {
      const name = i % 5 === 0 ? join('nested', `f${i}.txt`) : `f${i}.txt`;
      const body = `file ${i}\n`.repeat(i + 1);
      writeFileSync(join(dir, name), body);
      expected.set(name, createHash('sha256').update(body).digest('hex'));
    }
    writeFileSync(join(dir, 'skip.bin'), 'not a text file');
    const collection = (await harness.api('POST', '/v1/collections', { name: 'files' })).body;
    await createJob(harness, {
      name: 'checksum-dir',
      stages: [
        { name: 'discover', handler: 'fs.directory', params: { path: dir, extensions: ['.txt'] } },
        { name: 'checksum', handler: 'file.checksum' },
      ],
    });
    const id = await startOperation(harness, { job: 'checksum-dir', collectionId: collection.id });
    const op = await waitForStatus(harness, id, ['completed', 'failed']);
    expect(op.status).toBe('completed');
    expect(op.counts).toMatchObject({ items: 25, done: 25, failed: 0 });
    const rows = await harness.database.sql<{ key: string; digest: string }[]>`
      select i.key, r.output->>'digest' as digest from results r join items i on i.id = r.item_id
      where r.operation_id = ${id}`;
    expect(new Map(rows.map((row) => [row.key, row.digest]))).toEqual(expected);

    // Running it again finds the same 25 items: discovery deduplicates by key.
    const again = await startOperation(harness, {
      job: 'checksum-dir',
      collectionId: collection.id,
    });
    expect((await waitForStatus(harness, again, ['completed'])).counts.items).toBe(25);
    expect((await harness.api('GET', `/v1/collections/${collection.id}`)).body.itemCount).toBe(25);
  });
});
