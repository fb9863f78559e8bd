import type postgres from 'postgres';
import { takeTokens } from '../db/rate-limits';
import { sleep } from '../handlers/define';

/**
 * A batch's view of a shared rate limit: tokens are fetched from Postgres a few at a time (about
 * a tenth of a second's worth) so that workers share the rate fairly without a query per item.
 */
export function createRateLimiter(
  sql: postgres.Sql,
  key: string,
  ratePerSecond: number,
  concurrency: number,
) {
  let local = 0;
  let queue: Promise<void> = Promise.resolve();
  const want = Math.max(1, Math.min(concurrency, Math.ceil(ratePerSecond / 10)));
  const acquire = async (signal: AbortSignal) => {
    while (local === 0) {
      const { granted, waitMs } = await takeTokens(sql, key, ratePerSecond, want);
      local += granted;
      if (granted === 0) await sleep(Math.max(5, waitMs), signal);
    }
    local--;
  };
  return {
    /** Resolves when this caller may start one item; callers are served in order. */
    take(signal: AbortSignal): Promise<void> {
      const turn = queue.then(() => acquire(signal));
      queue = turn.catch(() => {});
      return turn;
    },
  };
}
