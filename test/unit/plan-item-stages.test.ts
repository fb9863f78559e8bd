import { describe, expect, it } from 'vitest';
import { stageSchema } from '../../common/domain';
import { planItemStages } from '../../common/engine';
import { MAX_BATCH_SIZE } from '../../common/limits';

const stage = (fields: Record<string, unknown>) =>
  stageSchema.parse({ handler: 'noop', ...fields });

describe('planItemStages, the stage plan shared by the dry run and the engine', () => {
  const stages = [
    stage({ name: 'find' }),
    stage({ name: 'fixed', batchSize: 7, concurrency: 7, itemTimeoutMs: 1_000 }),
    stage({ name: 'adaptive', itemTimeoutMs: 1_000 }),
  ];

  it('leaves a discovery stage out and keeps the others at their own index', () => {
    expect(planItemStages(stages, true, 100).map((plan) => plan.index)).toEqual([1, 2]);
    expect(planItemStages(stages, false, 100).map((plan) => plan.index)).toEqual([0, 1, 2]);
  });

  it('fixes a stage’s own batch size and adapts from the default otherwise', () => {
    const [, fixed, adaptive] = planItemStages(stages, false, 100);
    expect(fixed).toMatchObject({ name: 'fixed', batchSize: 7, adaptive: false });
    expect(adaptive).toMatchObject({ name: 'adaptive', batchSize: 100, adaptive: true });
  });

  it('gives a batch time for its largest size, rounds of its concurrency, plus head-room', () => {
    const [, fixed, adaptive] = planItemStages(stages, false, 100);
    expect(fixed?.startToCloseMs).toBe(1 * 1_000 + 60_000);
    const concurrency = stages[2]?.concurrency ?? 1;
    expect(adaptive?.startToCloseMs).toBe(Math.ceil(MAX_BATCH_SIZE / concurrency) * 1_000 + 60_000);
  });
});
