import {
  type Client,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type ScheduleSpec,
} from '@temporalio/client';
import { WORKFLOW_TYPES } from '../common/constants';
import { Conflict, InvalidInput, NotFound } from '../common/domain-errors';
import type { ScheduledRunInput } from '../common/schedules';
import type { Schedule } from '../db/schedules';
import { durationMs, type Overlap, type ScheduleSpecInput } from './spec';

export const overlapPolicy = (overlap: Overlap): ScheduleOverlapPolicy =>
  ScheduleOverlapPolicy[overlap.toUpperCase() as keyof typeof ScheduleOverlapPolicy];

/**
 * The Temporal spec for what was asked. Cron or intervals are required (invalid input, as the
 * document's anyOf says); an offset not shorter than its interval, or an end before the start,
 * is a conflict naming the field.
 */
export function temporalSpec(spec: ScheduleSpecInput): ScheduleSpec {
  if (!spec.cron && !spec.intervals) {
    throw new InvalidInput([{ name: 'spec.cron', reason: 'give cron or intervals' }]);
  }
  const intervals = spec.intervals?.map((interval, index) => {
    const every = durationMs(interval.every);
    const offset = interval.offset ? durationMs(interval.offset) : undefined;
    if (offset !== undefined && offset >= every) {
      throw Conflict.over([
        { name: `spec.intervals[${index}].offset`, reason: 'must be shorter than `every`' },
      ]);
    }
    return { every, offset };
  });
  if (spec.startAt && spec.endAt && Date.parse(spec.startAt) >= Date.parse(spec.endAt)) {
    throw Conflict.over([{ name: 'spec.endAt', reason: 'must be after `startAt`' }]);
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
 * Temporal's refusal of a spec it cannot take, as invalid input naming the spec. The SDK raises
 * the server's INVALID_ARGUMENT for a spec as a plain TypeError holding only Temporal's reason
 * ("DayOfMonth End is before Start …"); the schema refuses what it knows of, this the rest.
 */
export function specRefused(error: unknown): never {
  const message = (error as Error).message ?? String(error);
  if (error instanceof TypeError || /invalid|INVALID_ARGUMENT|cron|timezone/i.test(message)) {
    throw new InvalidInput([{ name: 'spec', reason: `Temporal refused it: ${message}` }]);
  }
  throw error;
}

/** A schedule gone from Temporal behind Conveyor's back is as if deleted. */
export const orMissing = (id: string) => (error: unknown) => {
  if (error instanceof ScheduleNotFoundError) throw NotFound.resource('schedule', id);
  throw error;
};

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
