import { setTimeout } from 'node:timers/promises';
import { ApplicationFailure } from '@temporalio/activity';
import type { Stage } from '../common/domain';
import type { Operation } from '../db/operations';
import type { ItemHandler } from '../handlers/define';
import type { HandlerRegistry } from '../handlers/registry';

/** How often a running batch tells Temporal it is alive, which is also when it hears of a cancel. */
export const HEARTBEAT_EVERY_MS = 1_000;
/** How long a finished batch keeps trying to write its outcomes before it gives up and throws. */
const FINAL_WRITE_PATIENCE_MS = 30_000;

/**
 * Writes a batch's last outcomes, retrying with backoff for a while: a Postgres that restarts
 * within the patience costs the batch nothing; past it the batch throws, Temporal retries it,
 * and the retry runs only what was not recorded.
 */
export async function flushPatiently(flush: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + FINAL_WRITE_PATIENCE_MS;
  for (let wait = 250; ; wait = Math.min(wait * 2, 4_000)) {
    try {
      return await flush();
    } catch (error) {
      if (Date.now() + wait > deadline) throw error;
      await setTimeout(wait);
    }
  }
}

export interface ResolvedStage {
  index: number;
  stage: Stage;
  handler: ItemHandler;
  params: unknown;
}

/** A stage of the operation with this worker's handler for it and its params, checked. */
export function resolveStage(
  handlers: HandlerRegistry,
  operation: Operation,
  index: number,
): ResolvedStage {
  const stage = operation.definition.stages[index];
  if (!stage)
    throw ApplicationFailure.nonRetryable(`operation ${operation.id} has no stage ${index}`);
  const handler = handlers.get(stage.handler);
  if (handler?.kind !== 'item') {
    throw ApplicationFailure.nonRetryable(`no worker item handler named ${stage.handler}`);
  }
  const params = handler.params.safeParse(stage.params);
  if (!params.success) {
    throw ApplicationFailure.nonRetryable(
      `stage ${stage.name}: invalid params for ${handler.name}: ${params.error.message}`,
    );
  }
  return { index, stage, handler, params: params.data };
}
