import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineHandler } from '../handlers/define';
import { builtInHandlers, createHandlerRegistry } from '../handlers/registry';
import {
  createJob,
  expectProblem,
  type Harness,
  seedCollection,
  startHarness,
  startOperation,
  waitForStatus,
} from './harness';

/** A handler whose version the test moves on, as a deploy of new handler code would. */
const versioned = defineHandler({
  name: 'test.versioned',
  version: '1',
  description: 'Returns the item’s n.',
  params: z.object({}),
  async process(item) {
    return { n: (item.data as { n: number }).n };
  },
});

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

let harness: Harness;
let collectionId: string;
let firstRun: string;
let itemIds: Record<string, number>;

beforeAll(async () => {
  harness = await startHarness({
    handlers: createHandlerRegistry([...builtInHandlers, versioned]),
  });
  collectionId = await seedCollection(harness, 5);
  const listed = await harness.api('GET', `/v1/collections/${collectionId}/items`);
  itemIds = Object.fromEntries(listed.body.data.map((item: any) => [item.key, item.id]));
  await createJob(harness, {
    name: 'results-job',
    stages: [
      {
        name: 'fetch',
        handler: 'noop',
        params: { flakyKeys: ['k1'], failKeys: ['k4'] },
        retry: { initialIntervalMs: 100 },
      },
      { name: 'parse', handler: 'test.versioned' },
    ],
  });
  firstRun = await startOperation(harness, { job: 'results-job', collectionId });
  const done = await waitForStatus(harness, firstRun, ['completed', 'failed', 'cancelled']);
  expect(done.status).toBe('completed');
});
afterAll(async () => {
  await harness?.stop();
});

const itemPath = (key: string) => `/v1/collections/${collectionId}/items/${itemIds[key]}`;

/** The export's raw response and its lines, parsed. */
async function exportLines(query = '') {
  const response = await fetch(
    `${harness.url}/v1/collections/${collectionId}/results/export${query}`,
    { headers: { authorization: `Bearer ${harness.adminKey}` } },
  );
  const text = await response.text();
  return {
    response,
    text,
    lines: text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line)),
  };
}

describe('item detail', () => {
  it('returns the item with ISO times, its results per stage and its history with attempts', async () => {
    const { status, body } = await harness.api('GET', itemPath('k1'));
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: itemIds.k1, key: 'k1', data: { n: 1 } });
    expect(body.createdAt).toMatch(ISO);
    expect(body.updatedAt).toMatch(ISO);
    expect(body.results).toEqual([
      expect.objectContaining({
        stage: 'fetch',
        handler: 'noop',
        handlerVersion: '1',
        currentVersion: '1',
        stale: false,
        output: { key: 'k1' },
        operationId: firstRun,
      }),
      expect.objectContaining({ stage: 'parse', handler: 'test.versioned', output: { n: 1 } }),
    ]);
    expect(body.results[0].updatedAt).toMatch(ISO);
    expect(body.history).toEqual([
      expect.objectContaining({
        operationId: firstRun,
        jobName: 'results-job',
        stage: 'parse',
        status: 'done',
        attempts: 1,
      }),
      expect.objectContaining({ stage: 'fetch', status: 'done', attempts: 2, error: null }),
    ]);
    expect(body.history[1].startedAt).toMatch(ISO);
    expect(body.history[1].finishedAt).toMatch(ISO);
    expect(body.history[1].durationMs).toBeTypeOf('number');
  });

  it('shows a failed item’s error, its skipped later stage and no result for either', async () => {
    const { body } = await harness.api('GET', itemPath('k4'));
    expect(body.results).toEqual([]);
    expect(body.history.map((entry: any) => [entry.stage, entry.status])).toEqual([
      ['parse', 'skipped'],
      ['fetch', 'failed'],
    ]);
    expect(body.history[1].error).toContain('failKeys');
  });

  it('lists item times in ISO 8601 too', async () => {
    const { body } = await harness.api('GET', `/v1/collections/${collectionId}/items`);
    for (const item of body.data) {
      expect(item.createdAt).toMatch(ISO);
      expect(item.updatedAt).toMatch(ISO);
    }
  });

  it('answers 404 for an unknown collection or item, or an item of another collection', async () => {
    const other = await seedCollection(harness, 1);
    const missingCollection = await harness.api(
      'GET',
      `/v1/collections/00000000-0000-4000-8000-000000000000/items/${itemIds.k0}`,
    );
    expectProblem(missingCollection, 404);
    expect(missingCollection.body.title).toBe('collection not found');
    for (const itemId of [
      String(itemIds.k0),
      '999999999',
      'abc',
      '0',
      '1e3',
      '99999999999999999999',
    ]) {
      const response = await harness.api('GET', `/v1/collections/${other}/items/${itemId}`);
      expectProblem(response, 404);
      expect(response.body.title).toBe('item not found');
    }
  });
});

describe('operation results', () => {
  it('pages every item stage in stage then item order, with results', async () => {
    const seen: any[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = await harness.api('GET', `/v1/operations/${firstRun}/results?limit=3${query}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.data);
      cursor = page.body.nextCursor;
    }
    expect(seen.map((row) => `${row.stage}:${row.key}:${row.status}`)).toEqual([
      'fetch:k0:done',
      'fetch:k1:done',
      'fetch:k2:done',
      'fetch:k3:done',
      'fetch:k4:failed',
      'parse:k0:done',
      'parse:k1:done',
      'parse:k2:done',
      'parse:k3:done',
      'parse:k4:skipped',
    ]);
    const k1 = seen.find((row) => row.stage === 'fetch' && row.key === 'k1');
    expect(k1).toMatchObject({ stageIndex: 0, handler: 'noop', attempts: 2 });
    expect(k1.result).toMatchObject({ output: { key: 'k1' }, operationId: firstRun, stale: false });
    expect(seen.find((row) => row.key === 'k4' && row.stage === 'fetch').result).toBeNull();
  });

  it('filters by stage and status', async () => {
    const parse = await harness.api('GET', `/v1/operations/${firstRun}/results?stage=parse`);
    expect(parse.body.data).toHaveLength(5);
    expect(parse.body.data.every((row: any) => row.stage === 'parse')).toBe(true);
    expect(parse.body.nextCursor).toBeNull();
    const failed = await harness.api('GET', `/v1/operations/${firstRun}/results?status=failed`);
    expect(failed.body.data.map((row: any) => [row.stage, row.key])).toEqual([['fetch', 'k4']]);
    expect(failed.body.data[0].error).toContain('failKeys');
    const none = await harness.api(
      'GET',
      `/v1/operations/${firstRun}/results?stage=parse&status=failed`,
    );
    expect(none.body).toEqual({ data: [], nextCursor: null });
  });

  it('refuses a bad limit, an unknown stage or status and a foreign cursor; 404s an unknown operation', async () => {
    for (const limit of ['0', '1001', 'x']) {
      const response = await harness.api(
        'GET',
        `/v1/operations/${firstRun}/results?limit=${limit}`,
      );
      expectProblem(response, 400);
      expect(response.body.invalid_params.map((p: any) => p.name)).toEqual(['limit']);
    }
    // Well-formed, naming a stage the operation does not have: a 404 naming the field.
    const stage = await harness.api('GET', `/v1/operations/${firstRun}/results?stage=nope`);
    expectProblem(stage, 404);
    expect(stage.body.invalid_params).toEqual([
      { name: 'stage', reason: 'operation has no stage "nope"' },
    ]);
    const status = await harness.api('GET', `/v1/operations/${firstRun}/results?status=gone`);
    expectProblem(status, 400);
    expect(status.body.invalid_params.map((p: any) => p.name)).toEqual(['status']);
    const cursor = await harness.api('GET', `/v1/operations/${firstRun}/results?cursor=abc`);
    expectProblem(cursor, 400);
    expect(cursor.body.invalid_params.map((p: any) => p.name)).toEqual(['cursor']);
    expectProblem(await harness.api('GET', '/v1/operations/op-nope/results'), 404);
  });
});

describe('results export', () => {
  it('streams one JSON line per result as application/x-ndjson', async () => {
    const { response, text, lines } = await exportLines();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    expect(text.endsWith('\n')).toBe(true);
    // k0–k3 have a result of both stages; k4 failed the first.
    expect(lines.map((line) => `${line.key}:${line.stage}`)).toEqual(
      ['k0', 'k1', 'k2', 'k3'].flatMap((key) => [`${key}:fetch`, `${key}:parse`]),
    );
    expect(lines[0]).toEqual({
      itemId: itemIds.k0,
      key: 'k0',
      stage: 'fetch',
      handler: 'noop',
      handlerVersion: '1',
      currentVersion: '1',
      stale: false,
      output: { key: 'k0' },
      operationId: firstRun,
      updatedAt: expect.stringMatching(ISO),
    });
  });

  it('filters by stage, and refuses a stale flag that is not true or false', async () => {
    const { lines } = await exportLines('?stage=parse');
    expect(lines.map((line) => line.key)).toEqual(['k0', 'k1', 'k2', 'k3']);
    expect((await exportLines('?stage=nope')).text).toBe('');
    const bad = await harness.api(
      'GET',
      `/v1/collections/${collectionId}/results/export?stale=yes`,
    );
    expectProblem(bad, 400);
    expect(bad.body.invalid_params.map((p: any) => p.name)).toEqual(['stale']);
    expectProblem(
      await harness.api(
        'GET',
        '/v1/collections/00000000-0000-4000-8000-000000000000/results/export',
      ),
      404,
    );
  });
});

describe('stale results', () => {
  it('marks results stale once the handler’s version moves on, and current again after a rerun', async () => {
    versioned.version = '2';
    const detail = await harness.api('GET', itemPath('k2'));
    expect(
      detail.body.results.map((r: any) => [r.stage, r.handlerVersion, r.currentVersion, r.stale]),
    ).toEqual([
      ['fetch', '1', '1', false],
      ['parse', '1', '2', true],
    ]);
    const stale = await exportLines('?stale=true');
    expect(stale.lines.map((line) => `${line.key}:${line.stage}`)).toEqual([
      'k0:parse',
      'k1:parse',
      'k2:parse',
      'k3:parse',
    ]);
    expect((await exportLines('?stale=false')).lines.every((line) => line.stage === 'fetch')).toBe(
      true,
    );
    const operationRows = await harness.api(
      'GET',
      `/v1/operations/${firstRun}/results?stage=parse&status=done`,
    );
    expect(operationRows.body.data.every((row: any) => row.result.stale)).toBe(true);

    const rerun = await startOperation(harness, { job: 'results-job', itemIds: [itemIds.k2] });
    expect((await waitForStatus(harness, rerun, ['completed', 'failed'])).status).toBe('completed');
    const after = await harness.api('GET', itemPath('k2'));
    expect(
      after.body.results.map((r: any) => [r.stage, r.handlerVersion, r.stale, r.operationId]),
    ).toEqual([
      ['fetch', '1', false, rerun],
      ['parse', '2', false, rerun],
    ]);
    // Newest operation first: the rerun's two stages, then the first run's.
    expect(
      after.body.history.map((entry: any) => [
        entry.operationId,
        entry.stage,
        entry.handlerVersion,
      ]),
    ).toEqual([
      [rerun, 'parse', '2'],
      [rerun, 'fetch', '1'],
      [firstRun, 'parse', '1'],
      [firstRun, 'fetch', '1'],
    ]);
    // The first run's row for k2 now shows the result that replaced its own.
    const replaced = await harness.api(
      'GET',
      `/v1/operations/${firstRun}/results?stage=parse&limit=3`,
    );
    expect(replaced.body.data[2].result.operationId).toBe(rerun);
  });
});
