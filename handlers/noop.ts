import { z } from 'zod';
import { defineHandler, PermanentError, sleep } from './define';

/** Does nothing, on purpose: tests, benchmarks and smoke checks steer it through its params. */
export const noopHandler = defineHandler({
  name: 'noop',
  version: '1',
  description:
    'Sleeps delayMs per item; fails failKeys permanently and flakyKeys on their first attempt; logs `log` (with the key) for each item when given.',
  params: z.object({
    delayMs: z.number().int().min(0).max(600_000).default(0),
    failKeys: z.array(z.string()).default([]),
    flakyKeys: z.array(z.string()).default([]),
    cost: z.number().min(0).optional(),
    log: z.string().max(200).optional(),
  }),
  // `ctx.signal` is read only when it is needed: reading it makes the item's abort signal and
  // timer, which a benchmark's no-op stage would otherwise pay for every item.
  async process(item, ctx) {
    const { params, attempt, cost } = ctx;
    if (params.log !== undefined) ctx.log.info({ key: item.key }, params.log);
    if (params.delayMs > 0) await sleep(params.delayMs, ctx.signal);
    if (params.failKeys.includes(item.key))
      throw new PermanentError(`noop: ${item.key} is in failKeys`);
    if (attempt === 1 && params.flakyKeys.includes(item.key)) {
      throw new Error(`noop: ${item.key} is in flakyKeys and fails on its first attempt`);
    }
    if (params.cost !== undefined) cost(params.cost, 'unit');
    return { key: item.key };
  },
});
