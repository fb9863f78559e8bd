import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from './client';
import { workerReports } from './schema';

export type WorkerReport = typeof workerReports.$inferSelect;

/** How often a worker reports; three missed reports and it counts as gone, or cut off. */
export const WORKER_REPORT_EVERY_SECONDS = 15;
export const WORKER_REPORT_STALE_SECONDS = 3 * WORKER_REPORT_EVERY_SECONDS;

/** Running as far as its own reports say: not stopped, and heard from lately. */
export const isReporting = (report: WorkerReport | undefined, now = Date.now()) =>
  report !== undefined &&
  report.stoppedAt === null &&
  now - report.reportedAt.getTime() < WORKER_REPORT_STALE_SECONDS * 1000;
export type HandlerVersion = WorkerReport['handlers'][number];

/**
 * A worker's word on what it runs. The first report of a run also resets `started_at`, and
 * clears reports nobody renewed for a day (workers long gone), so the table stays small.
 */
export async function recordWorkerReport(
  db: Db,
  report: { taskQueue: string; identity: string; handlers: HandlerVersion[] },
  first: boolean,
): Promise<void> {
  await db
    .insert(workerReports)
    .values(report)
    .onConflictDoUpdate({
      target: [workerReports.taskQueue, workerReports.identity],
      set: {
        handlers: report.handlers,
        reportedAt: sql`now()`,
        stoppedAt: null,
        ...(first ? { startedAt: sql`now()` } : {}),
      },
    });
  if (first) {
    await db
      .delete(workerReports)
      .where(lt(workerReports.reportedAt, sql`now() - interval '1 day'`));
  }
}

/** A worker that shut down says so, so nobody counts on it while Temporal still lists it. */
export async function recordWorkerStopped(
  db: Db,
  worker: { taskQueue: string; identity: string },
): Promise<void> {
  await db
    .update(workerReports)
    .set({ stoppedAt: sql`now()` })
    .where(
      and(
        eq(workerReports.taskQueue, worker.taskQueue),
        eq(workerReports.identity, worker.identity),
      ),
    );
}

/** The reports of these workers of the task queue, by identity. */
export async function findWorkerReports(
  db: Db,
  taskQueue: string,
  identities: string[],
): Promise<Map<string, WorkerReport>> {
  if (identities.length === 0) return new Map();
  const rows = await db
    .select()
    .from(workerReports)
    .where(
      and(eq(workerReports.taskQueue, taskQueue), inArray(workerReports.identity, identities)),
    );
  return new Map(rows.map((row) => [row.identity, row]));
}
