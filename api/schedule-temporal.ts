import type { z } from '@hono/zod-openapi';
import {
  type Client,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type ScheduleSpec,
} from '@temporalio/client';
import { WORKFLOW_TYPES } from '../common/constants';
import type { ScheduledRunInput } from '../common/schedules';
import type { Schedule } from '../db/schedules';
import { problems } from './problems';
import { durationMs, type OVERLAP_POLICIES, type scheduleSpec } from './schedule-schemas';

export type SpecInput = z.infer<typeof scheduleSpec>;
type Overlap = (typeof OVERLAP_POLICIES)[number];

export const overlapPolicy = (overlap: Overlap): ScheduleOverlapPolicy =>
  ScheduleOverlapPolicy[overlap.toUpperCase() as keyof typeof ScheduleOverlapPolicy];

/**
 * The Temporal spec for what the API was sent. Cron or intervals are required (a 400, as the
 * document's anyOf says); an offset not shorter than its interval, or an end before the start,
 * is a 409 naming the field.
 */
export function temporalSpec(spec: SpecInput): ScheduleSpec {
  if (!spec.cron && !spec.intervals) {
    throw problems.validation([{ name: 'spec.cron', reason: 'give cron or intervals' }]);
  }
  const intervals = spec.intervals?.map((interval, index) => {
    const every = durationMs(interval.every);
    const offset = interval.offset ? durationMs(interval.offset) : undefined;
    if (offset !== undefined && offset >= every) {
      throw problems.contradiction([
        { name: `spec.intervals[${index}].offset`, reason: 'must be shorter than `every`' },
      ]);
    }
    return { every, offset };
  });
  if (spec.startAt && spec.endAt && Date.parse(spec.startAt) >= Date.parse(spec.endAt)) {
    throw problems.contradiction([{ name: 'spec.endAt', reason: 'must be after `startAt`' }]);
  }
  return {
    cronExpressions: spec.cron,
    intervals,
    timezone: spec.timezone,
    startAt: spec.startAt ? new Date(spec.startAt) : undefined,
    endAt: spec.endAt ? new Date(spec.endAt) : undefined,
    jitter: spec.jitter ? durationMs(spec.jitter) : undefined,
  };
}

/**
 * Temporal's refusal of a spec it cannot take, as a 400 naming the spec. The SDK raises the
 * server's INVALID_ARGUMENT for a spec as a plain TypeError holding only Temporal's reason
 * ("DayOfMonth End is before Start …"); the schema refuses what it knows of, this the rest.
 */
export function specRefused(error: unknown): never {
  const message = (error as Error).message ?? String(error);
  if (error instanceof TypeError || /invalid|INVALID_ARGUMENT|cron|timezone/i.test(message)) {
    throw problems.validation([{ name: 'spec', reason: `Temporal refused it: ${message}` }]);
  }
  throw error;
}

export async function createTemporalSchedule(
  temporal: Client,
  options: {
    id: string;
    spec: ScheduleSpec;
    overlap: Overlap;
    catchupWindowMs?: number;
    note?: string;
    paused: boolean;
    taskQueue: string;
    run: ScheduledRunInput;
  },
): Promise<void> {
  await temporal.schedule
    .create({
      scheduleId: options.id,
      spec: options.spec,
      action: {
        type: 'startWorkflow',
        workflowType: WORKFLOW_TYPES.scheduledOperation,
        workflowId: options.id,
        taskQueue: options.taskQueue,
        args: [options.run],
      },
      policies: {
        overlap: overlapPolicy(options.overlap),
        ...(options.catchupWindowMs ? { catchupWindow: options.catchupWindowMs } : {}),
      },
      state: { paused: options.paused, note: options.note },
      memo: { tenantId: options.run.tenantId },
    })
    .catch(specRefused);
}

/** What Temporal knows of a schedule: its state, next runs and how many it took. */
export async function describeTemporalSchedule(temporal: Client, schedule: Schedule) {
  try {
    const description = await temporal.schedule.getHandle(schedule.id).describe();
    return {
      paused: description.state.paused,
      note: description.state.note ?? null,
      nextRuns: description.info.nextActionTimes.slice(0, 5).map((time) => time.toISOString()),
      runs: description.info.numActionsTaken,
    };
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) {
      return { paused: true, note: 'missing from Temporal', nextRuns: [], runs: 0 };
    }
    throw error;
  }
}
