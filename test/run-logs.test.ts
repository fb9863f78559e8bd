import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RUN_LOG_LINES_PER_OPERATION } from '../common/limits';
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

/**
 * Run logs (seed 001): the lines handlers write with ctx.log, kept per operation, stage and item,
 * read in pages with filters or followed as a stream, and bounded per operation.
 */
const chatty = defineHandler({
  name: 'test.chatty',
  version: '1',
  description: 'Logs a line per item (a warning for k1), and `lines` more when asked.',
  params: z.object({ lines: z.number().int().min(0).default(0), delayMs: z.number().default(0) }),
  async process(item, { log, params }) {
    log.info({ n: (item.data as { n: number }).n }, 'looked at %s', item.key);
    if (item.key === 'k1') log.warn('k1 is odd');
    for (let line = 0; line < params.lines; line++) log.info('filler %d', line);
    // Below info: the worker's own log only.
    log.debug('not kept');
    if (params.delayMs) await new Promise((resolve) => setTimeout(resolve, params.delayMs));
    return {};
  },
});

let harness: Harness;
let collectionId: string;

beforeAll(async () => {
  harness = await startHarness({ handlers: createHandlerRegistry([...builtInHandlers, chatty]) });
  collectionId = await seedCollection(harness, 5);
  await createJob(harness, {
    name: 'logged',
    stages: [
      { name: 'first', handler: 'noop' },
      { name: 'talk', handler: 'test.chatty' },
    ],
  });
});
afterAll(async () => {
  await harness?.stop();
});

const logsOf = async (id: string, query = '') =>
  (await harness.api('GET', `/v1/operations/${id}/logs${query}`)).body;

describe('run logs', () => {
  it('keeps each handler line with its stage, item, level and fields, and filters them', async () => {
    const id = await startOperation(harness, { job: 'logged', collectionId });
    await waitForStatus(harness, id, ['completed']);
    const all = await logsOf(id);
    expect(all.data).toHaveLength(6);
    const k0 = all.data.find((line: { itemKey: string }) => line.itemKey === 'k0');
    expect(k0).toMatchObject({
      stage: 'talk',
      level: 'info',
      message: 'looked at k0',
      data: { n: 0 },
    });
    expect(typeof k0.itemId).toBe('number');
    expect((await logsOf(id, '?level=warn')).data).toEqual([
      expect.objectContaining({ itemKey: 'k1', level: 'warn', message: 'k1 is odd' }),
    ]);
    expect((await logsOf(id, '?item=k1')).data).toHaveLength(2);
    expect((await logsOf(id, '?stage=first')).data).toEqual([]);
    // Pages: ids only grow, the cursor is the last one.
    const first = await logsOf(id, '?limit=4');
    expect(first.data).toHaveLength(4);
    const rest = await logsOf(id, `?limit=4&cursor=${first.nextCursor}`);
    expect(rest.data).toHaveLength(2);
    expect(rest.nextCursor).toBeNull();
    expect([...first.data, ...rest.data].map((line: { id: number }) => line.id)).toEqual(
      all.data.map((line: { id: number }) => line.id),
    );
    expectProblem(await harness.api('GET', `/v1/operations/${id}/logs?level=debug`), 400);
  });

  it('follows a running operation’s lines as a stream that ends when it finishes', async () => {
    const id = await startOperation(harness, {
      job: 'logged',
      collectionId,
      params: { delayMs: 300 },
    });
    const response = await fetch(`${harness.url}/v1/operations/${id}/logs/stream?level=info`, {
      headers: { authorization: `Bearer ${harness.adminKey}` },
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = await response.text();
    const messages = text.split('\n\n').filter((block) => block.includes('event:'));
    const logs = messages.filter((block) => block.includes('event: log'));
    expect(logs).toHaveLength(6);
    expect(messages.at(-1)).toContain('event: end');
    expect(messages.at(-1)).toContain('"status":"completed"');
  });

  it('keeps at most its bound per operation, the last line saying the log is full', async () => {
    const many = await seedCollection(harness, 1_100);
    await createJob(harness, {
      name: 'very-chatty',
      stages: [
        // One batch, so the bound is exact: batches that flush at once may each pass it a little.
        { name: 'talk', handler: 'test.chatty', params: { lines: 9 }, batchSize: 1_100 },
      ],
    });
    const id = await startOperation(harness, { job: 'very-chatty', collectionId: many });
    await waitForStatus(harness, id, ['completed']);
    const [row] = await harness.database.sql<{ count: number; last: string }[]>`
      select count(*)::int as count,
        (array_agg(message order by id desc))[1] as last
      from operation_logs where operation_id = ${id}`;
    expect(row?.count).toBe(RUN_LOG_LINES_PER_OPERATION);
    expect(row?.last).toContain(`log is full (${RUN_LOG_LINES_PER_OPERATION} lines)`);
  });
});
