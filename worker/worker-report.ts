import type { Worker } from '@temporalio/worker';
import { logger } from '../common/log';
import type { Database } from '../db/client';
import {
  recordWorkerReport,
  recordWorkerStopped,
  WORKER_REPORT_EVERY_SECONDS,
} from '../db/worker-reports';
import { currentVersions, type HandlerRegistry } from '../handlers/registry';

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
  const timer = setInterval(send, WORKER_REPORT_EVERY_SECONDS * 1000);
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
