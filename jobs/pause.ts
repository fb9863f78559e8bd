import { ScheduleNotFoundError } from '@temporalio/client';
import { type Job, setJobPaused } from '../db/jobs';
import { operationIdsOfJob } from '../db/operations';
import { listSchedules } from '../db/schedules';
import { type ControlContext, statusesSteeredBy } from '../operations/actions';
import { pauseUpdate, resumeUpdate } from '../workflows/definitions';

/** A job after a pause or resume, and how many of its schedules and operations followed. */
export interface JobPauseResult {
  job: Job;
  schedules: number;
  operations: number;
}

/**
 * Puts a job to sleep, or wakes it, with all it runs: its mark, then its schedules (paused or
 * unpaused in Temporal), then its operations (paused or resumed by their workflows). A schedule
 * or operation gone meanwhile is left out of the counts.
 */
export async function pauseJob(
  context: ControlContext,
  job: Job,
  action: 'pause' | 'resume',
): Promise<JobPauseResult> {
  const { database, temporal } = context;
  const pausing = action === 'pause';
  // The mark first: a schedule run that lands meanwhile finds it and starts nothing.
  const marked = await setJobPaused(database.db, job, pausing);
  const note = `job ${job.name} ${pausing ? 'paused' : 'resumed'}`;
  let schedules = 0;
  for (const schedule of await listSchedules(database.db, job.tenantId, { jobName: job.name })) {
    const handle = temporal.schedule.getHandle(schedule.id);
    try {
      await (pausing ? handle.pause(note) : handle.unpause(note));
      schedules++;
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    }
  }
  let operations = 0;
  const steered = await operationIdsOfJob(
    database.db,
    job.tenantId,
    job.name,
    statusesSteeredBy(action),
  );
  for (const operationId of steered) {
    // One that finished (or has not started) meanwhile is left as it is.
    const done = await temporal.workflow
      .getHandle(operationId)
      .executeUpdate(pausing ? pauseUpdate : resumeUpdate)
      .then(() => true)
      .catch(() => false);
    if (done) operations++;
  }
  return { job: marked, schedules, operations };
}
