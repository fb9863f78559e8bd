import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineHandler, PermanentError } from '../handlers/define';
import { builtInHandlers, createHandlerRegistry } from '../handlers/registry';
import {
  createJob,
  type Harness,
  seedCollection,
  startHarness,
  startOperation,
  waitForStatus,
} from './harness';

/** A first stage whose output a later one needs: a page "fetched" for the item. */
const fetchPage = defineHandler({
  name: 'test.fetch-page',
  version: '1',
  description: 'Returns a page body made from the item’s n.',
  params: z.object({}),
  async process(item) {
    return { body: `<p>page ${(item.data as { n: number }).n}</p>` };
  },
});

/** Reads the fetched page; an item whose page did not arrive fails, so counts tell. */
const parsePage = defineHandler({
  name: 'test.parse-page',
  version: '1',
  description: 'Extracts the text of the page test.fetch-page returned.',
  params: z.object({}),
  reads: ['test.fetch-page'],
  async process(item) {
    const page = item.results['test.fetch-page'] as { body: string } | undefined;
    if (!page) throw new PermanentError(`no page for ${item.key}`);
    return { text: page.body.replace(/<[^>]+>/g, '') };
  },
});

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({
    handlers: createHandlerRegistry([...builtInHandlers, fetchPage, parsePage]),
  });
  await createJob(harness, {
    name: 'scrape',
    stages: [
      { name: 'fetch', handler: 'test.fetch-page' },
      { name: 'tick', handler: 'noop' },
      { name: 'parse', handler: 'test.parse-page' },
    ],
  });
});
afterAll(async () => {
  await harness?.stop();
});

async function run(body: Record<string, unknown>) {
  const id = await startOperation(harness, { job: 'scrape', ...body });
  return { id, finished: await waitForStatus(harness, id, ['completed', 'failed', 'cancelled']) };
}

/**
 * The operation's ledger format and the stages whose outputs it keeps, from either format's
 * rows: version 1's item stages keep an output only where a later stage reads it; a version-2
 * done outcome always keeps its output, being the item's result (docs/ledger.md).
 */
async function outputsKept(operationId: string): Promise<{ ledger: number; stages: number[] }> {
  const { sql } = harness.database;
  const [operation] = await sql<{ ledger: number; key: number }[]>`
    select ledger, key from operations where id = ${operationId}`;
  const rows = await sql<{ stageIndex: number }[]>`
    select stage_index as "stageIndex" from item_stages
    where operation_id = ${operationId} and output is not null
    union all
    select stage::int from outcomes
    where operation_key = ${operation?.key ?? -1} and output is not null
    order by 1`;
  return {
    ledger: operation?.ledger ?? 0,
    stages: [...new Set(rows.map((row) => row.stageIndex))],
  };
}

describe('a handler that reads an earlier handler’s results', () => {
  it('gets the earlier stage’s output for each item, two stages on, and only that stage keeps outputs', async () => {
    const collectionId = await seedCollection(harness, 250);
    const { id, finished } = await run({ collectionId });
    expect(finished.status).toBe('completed');
    expect(finished.counts).toMatchObject({ items: 250, done: 250, failed: 0 });
    const results = await harness.api('GET', `/v1/operations/${id}/results?stage=parse&limit=5`);
    expect(results.status).toBe(200);
    for (const row of results.body.data) {
      expect(row.result.output).toEqual({ text: `page ${row.key.slice(1)}` });
    }
    const kept = await outputsKept(id);
    expect(kept.stages).toEqual(kept.ledger === 1 ? [0] : [0, 1, 2]);
  });

  it('gets them in test mode too, where no result is stored', async () => {
    const collectionId = await seedCollection(harness, 20);
    const { id, finished } = await run({ collectionId, mode: 'test', limit: 5 });
    expect(finished.status).toBe('completed');
    expect(finished.counts).toMatchObject({ items: 5, done: 5, failed: 0 });
    const stored = await harness.database.sql<{ count: number }[]>`
      select count(*)::int as count from results where operation_id = ${id}`;
    expect(stored[0]?.count).toBe(0);
    // Nor as a version-2 outcome taken for a result: the collection exports none in either format.
    const exported = await harness.api('GET', `/v1/collections/${collectionId}/results/export`);
    expect(exported.status).toBe(200);
    expect(exported.body ?? '').toBe('');
  });

  it('falls back to the item’s stored result when the run leaves out the earlier stage', async () => {
    const collectionId = await seedCollection(harness, 30);
    expect((await run({ collectionId })).finished.status).toBe('completed');
    const { finished } = await run({ collectionId, stages: ['parse'] });
    expect(finished.status).toBe('completed');
    expect(finished.counts).toMatchObject({ items: 30, done: 30, failed: 0 });

    // A collection never fetched has no result to fall back on: each item fails, saying why.
    const unfetched = await seedCollection(harness, 3);
    const { id, finished: failed } = await run({ collectionId: unfetched, stages: ['parse'] });
    expect(failed.counts).toMatchObject({ items: 3, done: 0, failed: 3 });
    const items = await harness.api('GET', `/v1/operations/${id}/items?limit=3`);
    expect(items.body.data[0].stages[0].error).toContain('no page for k0');
  });

  it('is listed with the handler, so a job author sees what a stage needs before it', async () => {
    const handlers = await harness.api('GET', '/v1/handlers');
    const byName = Object.fromEntries(handlers.body.data.map((h: any) => [h.name, h]));
    expect(byName['test.parse-page'].reads).toEqual(['test.fetch-page']);
    expect(byName.noop.reads).toEqual([]);
  });

  it('is refused at registration when it reads itself', () => {
    expect(() => createHandlerRegistry([{ ...parsePage, reads: ['test.parse-page'] }])).toThrow(
      /reads itself/,
    );
  });
});
