import { metrics } from '../common/metrics';
import { type Database, inTransaction } from '../db/client';
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
 * Writes are serialised, and each outcome is written once. If a write fails, its outcomes are
 * kept for the next flush, so a Postgres that comes back in time loses nothing.
 */
export function createBatchRecorder(
  database: Database,
  context: OutcomeContext,
  costContext: { tenantId: string; operationId: string; jobName: string; stageName: string },
) {
  let outcomes: ItemOutcome[] = [];
  let costs: CostEntry[] = [];
  const totals: RecordedCounts = { done: 0, failed: 0, skipped: 0, pending: 0 };
  let writing: Promise<void> = Promise.resolve();
  const labels = { handler: context.handler };
  /** Metrics of one committed write: the outcomes Postgres took, each counted once. */
  const observe = (counts: RecordedCounts, batch: ItemOutcome[], batchCosts: CostEntry[]) => {
    for (const outcome of ['done', 'failed', 'skipped'] as const) {
      if (counts[outcome] > 0) metrics.items.inc({ ...labels, outcome }, counts[outcome]);
    }
    if (counts.pending > 0) metrics.items.inc({ ...labels, outcome: 'retried' }, counts.pending);
    for (const outcome of batch) metrics.itemDuration.observe(labels, outcome.durationMs / 1000);
    for (const cost of batchCosts) {
      metrics.costs.inc({ ...labels, unit: cost.unit }, cost.amount);
    }
  };

  const write = async () => {
    const batch = outcomes;
    const batchCosts = costs;
    outcomes = [];
    costs = [];
    if (batch.length === 0 && batchCosts.length === 0) return;
    try {
      // Outcomes, skips, results, counters and costs commit together: a crash between them
      // would leave counters or costs that disagree with the item stages. The outcomes go last:
      // their progress event takes the tenant's event lock, which nothing may wait behind.
      const counts = await inTransaction(database, async (tx) => {
        await insertCosts(tx.sql, costContext, batchCosts);
        return recordOutcomes(tx.sql, context, batch);
      });
      totals.done += counts.done;
      totals.failed += counts.failed;
      totals.skipped += counts.skipped;
      totals.pending += counts.pending;
      observe(counts, batch, batchCosts);
    } catch (error) {
      outcomes = [...batch, ...outcomes];
      costs = [...batchCosts, ...costs];
      throw error;
    }
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
      writing = writing.catch(() => undefined).then(write);
      return writing;
    },
    totals: () => ({ ...totals }),
  };
}
