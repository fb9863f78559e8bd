import type postgres from 'postgres';
import { type CostEntry, insertCosts } from '../db/costs';
import {
  type ItemOutcome,
  type OutcomeContext,
  type RecordedCounts,
  recordOutcomes,
} from '../db/item-stages';

/**
 * Collects a batch's outcomes and writes them in bulk: at the end of the batch, and also
 * whenever `flush` is called while it runs (every heartbeat), so that a worker that dies in a
 * long batch loses at most the last second of work; its retry skips what was written.
 * Writes are serialised, and each outcome is written once.
 */
export function createBatchRecorder(
  sql: postgres.Sql,
  context: OutcomeContext,
  costContext: { tenantId: string; operationId: string; jobName: string; stageName: string },
) {
  let outcomes: ItemOutcome[] = [];
  let costs: CostEntry[] = [];
  const totals: RecordedCounts = { done: 0, failed: 0, skipped: 0, pending: 0 };
  let writing: Promise<void> = Promise.resolve();

  const write = async () => {
    const batch = outcomes;
    const batchCosts = costs;
    outcomes = [];
    costs = [];
    if (batch.length === 0 && batchCosts.length === 0) return;
    const counts = await recordOutcomes(sql, context, batch);
    await insertCosts(sql, costContext, batchCosts);
    totals.done += counts.done;
    totals.failed += counts.failed;
    totals.skipped += counts.skipped;
    totals.pending += counts.pending;
  };

  return {
    add(outcome: ItemOutcome) {
      outcomes.push(outcome);
    },
    addCost(entry: CostEntry) {
      costs.push(entry);
    },
    /** Writes what has been collected; resolves once everything collected so far is written. */
    flush(): Promise<void> {
      writing = writing.then(write);
      return writing;
    },
    totals: () => ({ ...totals }),
  };
}
