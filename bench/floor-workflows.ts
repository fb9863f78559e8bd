import { proxyActivities } from '@temporalio/workflow';

/** Does nothing, so a run of oneActivityWorkflow costs Temporal's round trips and no work. */
export const floorActivities = {
  async floorActivity(): Promise<void> {},
};

const { floorActivity } = proxyActivities<typeof floorActivities>({
  startToCloseTimeout: '1 minute',
});

/** One workflow task: what starting and awaiting a workflow costs with nothing in it. */
export async function emptyWorkflow(): Promise<void> {}

/** Two workflow tasks around one activity task: a single-item operation at its barest. */
export async function oneActivityWorkflow(): Promise<void> {
  await floorActivity();
}
