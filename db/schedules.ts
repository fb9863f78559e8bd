import { and, desc, eq } from 'drizzle-orm';
import type { Db } from './client';
import { operations } from './schema';
import { schedules } from './schema-automation';

export type Schedule = typeof schedules.$inferSelect;

export async function insertSchedule(
  db: Db,
  values: typeof schedules.$inferInsert,
): Promise<Schedule> {
  const [row] = await db.insert(schedules).values(values).returning();
  if (!row) throw new Error('schedule insert returned nothing');
  return row;
}

export async function getSchedule(
  db: Db,
  tenantId: string,
  id: string,
): Promise<Schedule | undefined> {
  const [row] = await db
    .select()
    .from(schedules)
    .where(and(eq(schedules.tenantId, tenantId), eq(schedules.id, id)));
  return row;
}

/** A schedule by id alone, for a run that must learn its tenant from the record. */
export async function getScheduleById(db: Db, id: string): Promise<Schedule | undefined> {
  const [row] = await db.select().from(schedules).where(eq(schedules.id, id));
  return row;
}

export async function listSchedules(
  db: Db,
  tenantId: string,
  filter: { jobName?: string } = {},
): Promise<Schedule[]> {
  return db
    .select()
    .from(schedules)
    .where(
      and(
        eq(schedules.tenantId, tenantId),
        filter.jobName ? eq(schedules.jobName, filter.jobName) : undefined,
      ),
    )
    .orderBy(desc(schedules.createdAt), desc(schedules.id));
}

export async function updateSchedule(
  db: Db,
  id: string,
  changes: Partial<
    Pick<Schedule, 'spec' | 'overlap' | 'catchupWindowSeconds' | 'note' | 'jobName' | 'request'>
  >,
): Promise<Schedule | undefined> {
  const [row] = await db
    .update(schedules)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(schedules.id, id))
    .returning();
  return row;
}

export async function deleteSchedule(db: Db, id: string): Promise<void> {
  await db.delete(schedules).where(eq(schedules.id, id));
}

/** The newest operation a schedule started: its last run as Postgres knows it. */
export async function lastScheduledOperation(
  db: Db,
  tenantId: string,
  scheduleId: string,
): Promise<{ id: string; status: string; createdAt: Date } | undefined> {
  const [row] = await db
    .select({ id: operations.id, status: operations.status, createdAt: operations.createdAt })
    .from(operations)
    .where(and(eq(operations.tenantId, tenantId), eq(operations.scheduleId, scheduleId)))
    .orderBy(desc(operations.createdAt))
    .limit(1);
  return row;
}
