import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { JobDefinition } from '../common/domain';
import { type Database, type Db, inTransaction } from './client';
import { translatePostgresError } from './pg-errors';
import { jobs, jobVersions } from './schema';

export type Job = typeof jobs.$inferSelect;
export type JobVersion = typeof jobVersions.$inferSelect;

const live = (tenantId: string) => and(eq(jobs.tenantId, tenantId), isNull(jobs.deletedAt));

/** The job at version 1 and its first `job_versions` row, committed together. */
export async function createJob(
  database: Database,
  tenantId: string,
  definition: JobDefinition,
): Promise<Job> {
  try {
    return await inTransaction(database, async (tx) => {
      const [row] = await tx.db
        .insert(jobs)
        .values({ tenantId, name: definition.name, definition })
        .returning();
      if (!row) throw new Error('job insert returned nothing');
      await tx.db.insert(jobVersions).values({ jobId: row.id, version: row.version, definition });
      return row;
    });
  } catch (error) {
    throw translatePostgresError(error, `a job named "${definition.name}"`);
  }
}

export async function listJobs(db: Db, tenantId: string): Promise<Job[]> {
  return db.select().from(jobs).where(live(tenantId)).orderBy(desc(jobs.createdAt));
}

/** A job is named by its id (a uuid) or its name; a name never takes the form of a uuid here. */
export const isJobId = (idOrName: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrName);

/** Finds a job by id or by name, as the API accepts either. */
export async function findJob(
  db: Db,
  tenantId: string,
  idOrName: string,
): Promise<Job | undefined> {
  const [row] = await db
    .select()
    .from(jobs)
    .where(
      and(live(tenantId), isJobId(idOrName) ? eq(jobs.id, idOrName) : eq(jobs.name, idOrName)),
    );
  return row;
}

/**
 * A new version of the definition, with its `job_versions` row in the same transaction;
 * running operations keep the snapshot they started with. Undefined when another update won.
 */
export async function updateJob(
  database: Database,
  job: Job,
  definition: JobDefinition,
): Promise<Job | undefined> {
  try {
    return await inTransaction(database, async (tx) => {
      const [row] = await tx.db
        .update(jobs)
        .set({ definition, name: definition.name, version: job.version + 1, updatedAt: new Date() })
        .where(and(eq(jobs.id, job.id), eq(jobs.version, job.version)))
        .returning();
      if (!row) return undefined;
      await tx.db.insert(jobVersions).values({ jobId: row.id, version: row.version, definition });
      return row;
    });
  } catch (error) {
    throw translatePostgresError(error, `a job named "${definition.name}"`);
  }
}

/** Soft delete, so operations that ran the job keep pointing at it. */
export async function deleteJob(db: Db, tenantId: string, id: string): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({ deletedAt: new Date() })
    .where(and(live(tenantId), eq(jobs.id, id)))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

/** Every version of a job, oldest first, without their definitions. */
export async function listJobVersions(
  db: Db,
  jobId: string,
): Promise<Pick<JobVersion, 'version' | 'createdAt'>[]> {
  return db
    .select({ version: jobVersions.version, createdAt: jobVersions.createdAt })
    .from(jobVersions)
    .where(eq(jobVersions.jobId, jobId))
    .orderBy(asc(jobVersions.version));
}

export async function getJobVersion(
  db: Db,
  jobId: string,
  version: number,
): Promise<JobVersion | undefined> {
  const [row] = await db
    .select()
    .from(jobVersions)
    .where(and(eq(jobVersions.jobId, jobId), eq(jobVersions.version, version)));
  return row;
}

/** Marks a job paused (now) or awake; the job as it is afterwards. */
export async function setJobPaused(db: Db, job: Job, paused: boolean): Promise<Job> {
  const [row] = await db
    .update(jobs)
    .set({ pausedAt: paused ? (job.pausedAt ?? new Date()) : null })
    .where(eq(jobs.id, job.id))
    .returning();
  return row ?? job;
}
