import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { ConveyorClient, ConveyorEvent, OperationDetail } from '../../client/index';
import { watchOperation } from '../../client/watch';

/**
 * The race the CLI test met now and then: a read of the operation says it is finished before
 * its stream has delivered the closing event, which is written in the same transaction.
 */
function clientWhoseStreamLags(lagMs: number): ConveyorClient {
  const finished = { id: 'op', status: 'completed' } as OperationDetail;
  return {
    getOperation: async () => finished,
    async *operationEvents(_id: string, options?: { signal?: AbortSignal }) {
      yield { id: 1, type: 'operation.created' } as unknown as ConveyorEvent;
      await sleep(lagMs, undefined, { signal: options?.signal });
      yield { id: 2, type: 'operation.completed' } as unknown as ConveyorEvent;
    },
  } as unknown as ConveyorClient;
}

describe('watching an operation', () => {
  it('hands over the closing event that arrives after the read saw the finish', async () => {
    const seen: string[] = [];
    const final = await watchOperation(clientWhoseStreamLags(100), 'op', {
      onEvent: (event) => seen.push(event.type),
    });
    expect(final.status).toBe('completed');
    expect(seen).toEqual(['operation.created', 'operation.completed']);
  });

  it('does not wait on the stream when nobody listens to events', async () => {
    const began = performance.now();
    await watchOperation(clientWhoseStreamLags(10_000), 'op');
    expect(performance.now() - began).toBeLessThan(5_000);
  });
});
