import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHandlerRegistry } from '../handlers/load';
import { createJob, type Harness, startHarness, startOperation, waitForStatus } from './harness';

/**
 * The README's first handler, taken from the README itself and loaded the way
 * `HANDLER_MODULES=my-handlers.ts` loads it: if the walkthrough stops working, this fails.
 */
function writeReadmeHandler(): string {
  const readme = readFileSync(resolve(__dirname, '../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Your first handler'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code) throw new Error('README.md has no ts block under "Your first handler"');
  const directory = resolve(__dirname, '../.cache/readme-handler');
  mkdirSync(directory, { recursive: true });
  const path = resolve(directory, 'my-handlers.ts');
  // Written at the root in the README; two folders down here.
  writeFileSync(path, code.replaceAll("from './handlers/", "from '../../handlers/"));
  return path;
}

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ handlers: await loadHandlerRegistry([writeReadmeHandler()]) });
});
afterAll(async () => {
  await harness?.stop();
});

describe('the README’s first handler', () => {
  it('runs in a job as the walkthrough says: one item counted, one failed with its reason', async () => {
    const job = await createJob(harness, {
      name: 'count-words',
      stages: [{ name: 'count', handler: 'text.word-count', params: { minLength: 3 } }],
    });
    expect(job.definition.stages[0]).toMatchObject({ concurrency: 20, itemTimeoutMs: 10_000 });
    const collectionId = (await harness.api('POST', '/v1/collections', { name: 'notes' })).body.id;
    await harness.api('POST', `/v1/collections/${collectionId}/items`, {
      items: [
        { key: 'a', data: { text: 'the quick brown fox' } },
        { key: 'b', data: {} },
      ],
    });
    const operationId = await startOperation(harness, { job: 'count-words', collectionId });
    const finished = await waitForStatus(harness, operationId, ['completed']);
    expect(finished.counts).toMatchObject({ done: 1, failed: 1 });
    const results = await harness.api('GET', `/v1/operations/${operationId}/results?limit=10`);
    const byKey = Object.fromEntries(results.body.data.map((row: any) => [row.key, row]));
    expect(byKey.a.result.output).toEqual({ words: 4 });
    expect(byKey.b.error).toContain('item b has no data.text');
    expect(byKey.b.attempts).toBe(1);
  });
});
