import { and, desc, eq, isNull } from 'drizzle-orm';
import type { JobDefinition } from '../common/domain';
import type { Db } from './client';
import { translatePostgresError } from './pg-errors';
import { jobs } from './schema';

export type Job = typeof jobs.$inferSelect;

const live = (tenantId: string) => and(eq(jobs.tenantId, tenantId), isNull(jobs.deletedAt));

export async function createJob(db: Db, tenantId: string, definition: JobDefinition): Promise<Job> {
  try {
    const [row] = await db
      .insert(jobs)
      .values({ tenantId, name: definition.name, definition })
      .returning();
    if (!row) throw new Error('job insert returned nothing');
    return row;
  } catch (error) {
    throw translatePostgresError(error, `a job named "${definition.name}"`);
  }
}

export async function listJobs(db: Db, tenantId: string): Promise<Job[]> {
  return db.select().from(jobs).where(live(tenantId)).orderBy(desc(jobs.createdAt));
}

/** Finds a job by id or by name, as the API accepts either. */
export async function findJob(
  db: Db,
  tenantId: string,
  idOrName: string,
): Promise<Job | undefined> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrName);
  const [row] = await db
    .select()
    .from(jobs)
    .where(and(live(tenantId), isUuid ? eq(jobs.id, idOrName) : eq(jobs.name, idOrName)));
  return row;
}

/** A new version of the definition; running operations keep the snapshot they started with. */
export async function updateJob(
  db: Db,
  job: Job,
  definition: JobDefinition,
): Promise<Job | undefined> {
  try {
    const [row] = await db
      .update(jobs)
      .set({ definition, name: definition.name, version: job.version + 1, updatedAt: new Date() })
      .where(and(eq(jobs.id, job.id), eq(jobs.version, job.version)))
      .returning();
    return row;
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
