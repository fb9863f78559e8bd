/**
 * Runs `count` copies of `lane` at once and waits for every one of them, even after one fails,
 * then rethrows the first failure. `Promise.all` would return at the first failure: on a cancel
 * the workflow would then close while other children or activities were still cancelling, and
 * Temporal would terminate them before they recorded their finished work. After a failure,
 * `stopped()` tells the other lanes to take no new work.
 */
export async function runLanes(
  count: number,
  lane: (stopped: () => boolean) => Promise<void>,
): Promise<void> {
  let failed = false;
  const stopped = () => failed;
  const outcomes = await Promise.allSettled(
    Array.from({ length: Math.max(1, count) }, () =>
      lane(stopped).catch((error: unknown) => {
        failed = true;
        throw error;
      }),
    ),
  );
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
}
