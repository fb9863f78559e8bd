import type { Worker } from '@temporalio/worker';
import { currentVersions, type HandlerRegistry } from '../activities/handlers/registry';
import { logger } from '../common/log';
import type { Database } from '../db/client';
import { recordWorkerReport, recordWorkerStopped } from '../db/worker-reports';

/** Often enough that `GET /v1/workers` is current well within Temporal's minute of pollers. */
const REPORT_EVERY_MS = 15_000;

/**
 * Tells Postgres, now and every 15 s until the worker stops, which handlers this worker runs, so
 * `GET /v1/workers` and `conveyor doctor` can show each worker's own list. A report that fails
 * (Postgres restarting) is logged and tried again next time: it never stops the worker.
 */
export function reportWorker(
  database: Database,
  worker: Worker,
  handlers: HandlerRegistry,
): { stopped(): Promise<void> } {
  const report = {
    taskQueue: worker.options.taskQueue,
    identity: worker.options.identity,
    handlers: currentVersions(handlers).map(({ handler, version }) => ({ name: handler, version })),
  };
  let first = true;
  const send = () => {
    if (!['INITIALIZED', 'RUNNING'].includes(worker.getState())) {
      clearInterval(timer);
      return;
    }
    recordWorkerReport(database.db, report, first).then(
      () => {
        first = false;
      },
      (error: Error) =>
        logger({ taskQueue: report.taskQueue }).warn(
          { err: error },
          'could not record this worker’s handlers; trying again in 15 s',
        ),
    );
  };
  const timer = setInterval(send, REPORT_EVERY_MS);
  timer.unref();
  send();
  return {
    /** Called once the worker's run ended, before the database closes. */
    async stopped() {
      clearInterval(timer);
      await recordWorkerStopped(database.db, report).catch((error: Error) =>
        logger({ taskQueue: report.taskQueue }).warn(
          { err: error },
          'could not record that this worker stopped; its report goes stale in 45 s instead',
        ),
      );
    },
  };
}
