import { proxyActivities } from '@temporalio/workflow';

/** What a team writes first: one activity per item per stage. */
interface NaiveActivities {
  naiveProcessItem(input: { stage: number; key: string }): Promise<void>;
}

const { naiveProcessItem } = proxyActivities<NaiveActivities>({ startToCloseTimeout: '1 minute' });

export async function naiveWorkflow(input: {
  items: number;
  stages: number;
  concurrency: number;
}): Promise<void> {
  for (let stage = 0; stage < input.stages; stage++) {
    let next = 0;
    const lane = async () => {
      while (next < input.items) {
        const key = `k${next++}`;
        await naiveProcessItem({ stage, key });
      }
    };
    await Promise.all(Array.from({ length: input.concurrency }, lane));
  }
}
