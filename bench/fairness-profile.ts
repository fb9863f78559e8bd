import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Where one operation workflow's time went, read from its own Temporal history. */
export interface RunProfile {
  totalMs: number;
  /** Workflow and activity tasks waiting for a worker: what Temporal's fairness orders. */
  dispatchMs: number;
  /** Workflow tasks at work, mostly the local activities of bookkeeping (Postgres statements). */
  workflowTasksMs: number;
  /** Batch activities at work. */
  batchesMs: number;
}

const millis = (event: HistoryEvent | undefined) =>
  event?.eventTime
    ? Number(event.eventTime.seconds) * 1000 + Math.floor((event.eventTime.nanos ?? 0) / 1e6)
    : 0;

export async function profileRun(client: Client, workflowId: string): Promise<RunProfile> {
  const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const byId = new Map(events.map((event) => [Number(event.eventId), event]));
  const profile = {
    totalMs: millis(events.at(-1)) - millis(events[0]),
    dispatchMs: 0,
    workflowTasksMs: 0,
    batchesMs: 0,
  };
  for (const event of events) {
    const started =
      event.workflowTaskStartedEventAttributes ?? event.activityTaskStartedEventAttributes;
    if (started)
      profile.dispatchMs += millis(event) - millis(byId.get(Number(started.scheduledEventId)));
    const workflowTask = event.workflowTaskCompletedEventAttributes;
    if (workflowTask)
      profile.workflowTasksMs +=
        millis(event) - millis(byId.get(Number(workflowTask.startedEventId)));
    const batch = event.activityTaskCompletedEventAttributes;
    if (batch) profile.batchesMs += millis(event) - millis(byId.get(Number(batch.startedEventId)));
  }
  return profile;
}
