import { metrics } from '../common/metrics';
import { type Database, inTransaction } from '../db/client';
import { type CostEntry, insertCosts } from '../db/costs';
import {
  type AttemptError,
  type FlushContext,
  type FlushedCounts,
  insertOutcomes,
  insertProgressEvent,
  type Outcome,
  recordOutcomes,
} from '../db/outcome-writes';

/** The least time between two progress snapshots of an operation from one worker process. */
const PROGRESS_EVERY_MS = 2_000;
/** When this process last wrote a snapshot, by operation: no row is shared to decide it. */
const lastProgress = new Map<string, number>();

function progressDue(operationId: string): boolean {
  const now = Date.now();
  if (now - (lastProgress.get(operationId) ?? 0) < PROGRESS_EVERY_MS) return false;
  if (lastProgress.size > 1_000) lastProgress.clear();
  lastProgress.set(operationId, now);
  return true;
}

/**
 * Collects a version-2 batch's outcomes and writes them in bulk: every heartbeat while it runs
 * and once at its end, so a worker that dies loses at most the last second of work and its retry
 * runs only what is not recorded. Writes are serialised. A write that fails keeps its rows for
 * the next, so a Postgres that comes back in time loses nothing; rows already written are not
 * written twice by the same batch, and if they were (a zombie attempt), nothing would count twice.
 */
export function createSliceRecorder(
  database: Database,
  context: FlushContext & { stageNames: Record<number, string> },
  costContext: { tenantId: string; operationId: string; jobName: string },
  handlerOf: (stage: number) => string,
) {
  let outcomes: Outcome[] = [];
  let attemptErrors: AttemptError[] = [];
  let costs: (CostEntry & { stage: number })[] = [];
  const totals: Omit<FlushedCounts, 'refused'> = {
    done: 0,
    failed: 0,
    skipped: 0,
    skippedLater: 0,
  };
  /** Items another attempt recorded first: nothing more of them is written (see `refused`). */
  const refused = new Set<number>();
  let writing: Promise<void> = Promise.resolve();

  // Label lookups cost a hash per call: a flush counts its outcomes first and observes their
  // durations through one child per handler.
  const durations = new Map<string, { observe(seconds: number): void }>();
  const observe = (batch: Outcome[], retried: AttemptError[], batchCosts: typeof costs) => {
    const counts = new Map<string, { handler: string; outcome: string; count: number }>();
    const count = (handler: string, outcome: string) => {
      const key = `${handler}\0${outcome}`;
      const entry = counts.get(key);
      if (entry) entry.count++;
      else counts.set(key, { handler, outcome, count: 1 });
    };
    for (const outcome of batch) {
      const handler = handlerOf(outcome.stage);
      count(handler, outcome.status);
      let duration = durations.get(handler);
      if (!duration) {
        duration = metrics.itemDuration.labels({ handler });
        durations.set(handler, duration);
      }
      duration.observe(outcome.durationMs / 1000);
    }
    for (const retry of retried) count(handlerOf(retry.stage), 'retried');
    for (const { handler, outcome, count: n } of counts.values()) {
      metrics.items.inc({ handler, outcome }, n);
    }
    for (const cost of batchCosts) {
      metrics.costs.inc({ handler: handlerOf(cost.stage), unit: cost.unit }, cost.amount);
    }
  };

  const write = async () => {
    const batch = refused.size === 0 ? outcomes : outcomes.filter((o) => !refused.has(o.itemId));
    const retried = attemptErrors;
    const batchCosts = costs;
    outcomes = [];
    attemptErrors = [];
    costs = [];
    if (batch.length === 0 && retried.length === 0 && batchCosts.length === 0) return;
    try {
      // Costs commit with the outcomes they belong to; without costs, one statement suffices.
      const counts =
        batchCosts.length === 0
          ? await recordOutcomes(database.sql, context, batch, retried)
          : await inTransaction(database, async (tx) => {
              for (const stage of new Set(batchCosts.map((cost) => cost.stage))) {
                await insertCosts(
                  tx.sql,
                  { ...costContext, stageName: context.stageNames[stage] ?? '' },
                  batchCosts.filter((cost) => cost.stage === stage),
                );
              }
              return insertOutcomes(tx.sql, context, batch, retried);
            });
      totals.done += counts.done;
      totals.failed += counts.failed;
      totals.skipped += counts.skipped;
      totals.skippedLater += counts.skippedLater;
      for (const itemId of counts.refused) refused.add(itemId);
      observe(batch, retried, batchCosts);
    } catch (error) {
      outcomes = [...batch, ...outcomes];
      attemptErrors = [...retried, ...attemptErrors];
      costs = [...batchCosts, ...costs];
      throw error;
    }
    const stageName = context.stageNames[batch.at(-1)?.stage ?? -1];
    if (stageName !== undefined && progressDue(context.operationId)) {
      // A snapshot: one lost (Postgres away) is followed by the next within seconds.
      await insertProgressEvent(database.sql, context, stageName).catch(() => undefined);
    }
  };

  return {
    add(outcome: Outcome) {
      outcomes.push(outcome);
    },
    retry(attemptError: AttemptError) {
      attemptErrors.push(attemptError);
    },
    addCost(entry: CostEntry & { stage: number }) {
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
