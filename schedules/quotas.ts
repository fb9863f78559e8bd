import { type Client, isGrpcServiceError, ScheduleNotFoundError } from '@temporalio/client';
import { msNumberToTs, optionalTsToMs } from '@temporalio/common/lib/time';
import { QuotaExceeded } from '../common/domain-errors';
import type { Quotas } from '../common/quotas';
import { shortestGapSeconds } from '../common/schedule-gap';
import { durationMs, type ScheduleSpecInput } from './spec';

/** The quotas on a schedule's times: how close its runs come and how many a backfill takes. */

const GRPC_NOT_FOUND = 5;

/** How far `timeZone` is ahead of UTC at `at`, in seconds. */
function zoneOffsetSeconds(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(at);
  const part = (type: string) => Number(parts.find((one) => one.type === type)?.value);
  const local = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return Math.round((local - Math.floor(at.getTime() / 1000) * 1000) / 1000);
}

/** Refuses a schedule spec whose runs would come closer together than the tenant's quota. */
export function refuseShortInterval(quotas: Quotas, spec: ScheduleSpecInput): void {
  const limit = quotas.scheduleIntervalSeconds;
  const gap = shortestGapSeconds({
    cron: spec.cron,
    intervals: spec.intervals?.map((interval) => ({
      every: durationMs(interval.every) / 1000,
      offset: interval.offset ? durationMs(interval.offset) / 1000 : 0,
    })),
    zoneOffsetSeconds: zoneOffsetSeconds(spec.timezone, new Date()),
  });
  if (gap !== undefined && gap < limit) {
    throw new QuotaExceeded(
      'scheduleIntervalSeconds',
      limit,
      `Two runs of this spec would be ${gap} s apart; space them at least ${limit} s apart`,
    );
  }
}

/**
 * Refuses a backfill that would take more runs than the tenant's quota. The runs are the times
 * Temporal itself matches in the window (its cron, intervals, zone, start and end), asked for
 * page by page until the count passes the quota.
 */
export async function refuseLargeBackfill(
  temporal: Client,
  quotas: Quotas,
  scheduleId: string,
  window: { from: Date; to: Date },
): Promise<void> {
  const limit = quotas.backfillRuns;
  let count = 0;
  let after = window.from.getTime();
  for (;;) {
    const page = await temporal.workflowService
      .listScheduleMatchingTimes({
        namespace: temporal.options.namespace,
        scheduleId,
        startTime: msNumberToTs(after),
        endTime: msNumberToTs(window.to.getTime()),
      })
      .catch((error: unknown) => {
        // The raw call's "not found", as the schedule client would say it.
        if (isGrpcServiceError(error) && error.code === GRPC_NOT_FOUND) {
          throw new ScheduleNotFoundError(error.details, scheduleId);
        }
        throw error;
      });
    const times = page.startTime ?? [];
    count += times.length;
    if (count > limit) {
      throw new QuotaExceeded(
        'backfillRuns',
        limit,
        `This window holds more than ${limit} runs of the schedule; backfill a shorter window`,
      );
    }
    const last = times.at(-1);
    // Times come after the start asked for, so the next page starts at the last time.
    const next = optionalTsToMs(last);
    if (next === undefined || next <= after) return;
    after = next;
  }
}
