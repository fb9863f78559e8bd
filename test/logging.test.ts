import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineHandler } from '../handlers/define';
import { builtInHandlers, createHandlerRegistry } from '../handlers/registry';
import {
  createJob,
  type Harness,
  seedCollection,
  startHarness,
  startOperation,
  waitForStatus,
} from './harness';
import { captureLogs } from './log-capture';

/** A handler that says something about each item through `ctx.log`. */
const chatty = defineHandler({
  name: 'chatty',
  version: '1',
  description: 'Logs each item it sees (for the logging test).',
  params: z.object({}),
  async process(item, ctx) {
    ctx.log.info({ n: item.data }, 'saw the item');
    return {};
  },
});

let logs: ReturnType<typeof captureLogs>;
let harness: Harness;
beforeAll(async () => {
  logs = captureLogs();
  harness = await startHarness({ handlers: createHandlerRegistry([...builtInHandlers, chatty]) });
});
afterAll(async () => {
  logs?.stop();
  await harness?.stop();
});

describe('structured logs', () => {
  it('tell one operation’s whole story, found by its id', async () => {
    const collectionId = await seedCollection(harness, 5);
    await createJob(harness, {
      name: 'logged',
      stages: [
        { name: 'fetch', handler: 'noop' },
        { name: 'talk', handler: 'chatty' },
      ],
    });
    const id = await startOperation(harness, { job: 'logged', collectionId });
    await waitForStatus(harness, id, ['completed']);
    await harness.api('GET', `/v1/operations/${id}`);

    const story = logs.lines.filter((line) => line.operationId === id);
    const messages = story.map((line) => String(line.msg));
    expect(messages).toContain('operation started over 5 items');
    // One line per batch, naming the stages it ran: version 1 runs a batch per stage, version 2
    // one batch through both (they fuse), which names them both.
    const batchLines = story.filter((line) => String(line.msg).startsWith('batch of 5 items done'));
    expect(batchLines.length).toBeGreaterThan(0);
    expect(batchLines.flatMap((line) => String(line.stage).split('+')).sort()).toEqual([
      'fetch',
      'talk',
    ]);
    expect(messages).toContain('operation completed');
    expect(story.find((line) => line.route === '/v1/operations')).toMatchObject({
      method: 'POST',
      status: 202,
    });
    expect(story.find((line) => line.route === '/v1/operations/:id')).toMatchObject({
      method: 'GET',
      status: 200,
    });
    const itemLines = story.filter((line) => line.msg === 'saw the item');
    expect(itemLines.map((line) => line.itemKey).sort()).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
    expect(itemLines[0]).toMatchObject({ stage: 'talk', handler: 'chatty' });
    for (const line of story) expect(line.level).toBeTypeOf('number');
  });
});
