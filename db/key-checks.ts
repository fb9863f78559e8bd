import { and, inArray, isNull } from 'drizzle-orm';
import type { Db } from './client';
import { apiKeys } from './schema';

/**
 * Which of `keyIds` are still valid: not revoked, and their tenant not deleted (its keys go with
 * it). One statement for every open stream of a process, so checking costs one query per interval.
 */
export async function validKeyIds(db: Db, keyIds: string[]): Promise<Set<string>> {
  if (keyIds.length === 0) return new Set();
  const rows = await db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(and(inArray(apiKeys.id, keyIds), isNull(apiKeys.revokedAt)));
  return new Set(rows.map((row) => row.id));
}
