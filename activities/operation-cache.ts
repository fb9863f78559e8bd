import type { Database } from '../db/client';
import { getOperationById, type Operation } from '../db/operations';

/**
 * An operation's definition, tenant and job never change once it started (the job definition is
 * a snapshot), so a worker keeps the operations it runs instead of reading them for every batch
 * and stage step. Only those fields may be read from it: status and counters go stale. A missing
 * record is not kept, so a record that commits later is found.
 */
export function createOperationCache(database: Database, capacity = 500) {
  const cache = new Map<string, Operation>();
  return async (operationId: string): Promise<Operation | undefined> => {
    const cached = cache.get(operationId);
    if (cached) return cached;
    const operation = await getOperationById(database.db, operationId);
    if (!operation) return undefined;
    if (cache.size >= capacity) cache.delete(cache.keys().next().value as string);
    cache.set(operationId, operation);
    return operation;
  };
}
