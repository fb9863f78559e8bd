/**
 * Ledger version 2's writes (docs/ledger.md): a batch's outcomes, each one inserted row, and the
 * progress snapshots that follow a flush.
 */
import type postgres from 'postgres';
import type { OutcomeStatus } from '../common/domain';
import { isUniqueViolation } from './pg-errors';

/** One final item-stage, as a batch collects it. */
export interface Outcome {
  itemId: number;
  stage: number;
  status: OutcomeStatus;
  durationMs: number;
  error?: string;
  output?: unknown;
}

/** A failed attempt that the item will retry: kept for its history, not as an outcome. */
export interface AttemptError {
  itemId: number;
  stage: number;
  error: string;
}

export interface FlushContext {
  operationId: string;
  operationKey: number;
  /** The batch activity's attempt, which is every item's attempt in it. */
  attempt: number;
  /** The handler version of each stage, by stage index. */
  handlerVersions: Record<number, string>;
  /** The operation's last stage: a failure skips every later one. */
  lastStage: number;
}

export interface FlushedCounts {
  /** Outcomes this flush inserted, by status; a row already there counts nothing. */
  done: number;
  failed: number;
  skipped: number;
  /** Later stages skipped because an item failed. */
  skippedLater: number;
}

/**
 * Writes a batch's outcomes in one statement: the rows, the `skipped` rows of a failed item's
 * later stages, the stage tallies of exactly the rows inserted, and the attempt errors.
 * `on conflict do nothing returning` is what makes a zombie attempt and its retry count once
 * between them.
 */
export async function insertOutcomes(
  sql: postgres.Sql,
  context: FlushContext,
  outcomes: Outcome[],
  attemptErrors: AttemptError[],
): Promise<FlushedCounts> {
  if (outcomes.length === 0 && attemptErrors.length === 0) {
    return { done: 0, failed: 0, skipped: 0, skippedLater: 0 };
  }
  const { operationId, operationKey, attempt } = context;
  const [stages, versions] = handlerVersionsOf(context);
  const outputs = outcomes.some((outcome) => outcome.output !== undefined)
    ? JSON.stringify(outcomes.map((outcome) => outcome.output ?? null))
    : null;
  const [row] = await sql<FlushedCounts[]>`
    with given as (
      select * from unnest(${outcomes.map((o) => o.itemId)}::int8[],
        ${outcomes.map((o) => o.stage)}::int2[], ${outcomes.map((o) => o.status)}::text[],
        ${outcomes.map((o) => o.durationMs)}::real[], ${outcomes.map((o) => o.error ?? null)}::text[])
        with ordinality as g(item_id, stage, status, duration_ms, error, n)
    ), versions as (
      select * from unnest(${stages}::int2[], ${versions}::text[]) as v(stage, version)
    ), inserted as (
      insert into outcomes (operation_key, item_id, stage, status, attempt, handler_version,
        duration_ms, error, output)
      select ${operationKey}, g.item_id, g.stage, g.status, ${attempt}, v.version, g.duration_ms,
        g.error, ${outputs}::jsonb -> (g.n - 1)::int
      from given g join versions v on v.stage = g.stage
      on conflict do nothing
      returning item_id, stage, status
    ), skipped_later as (
      insert into outcomes (operation_key, item_id, stage, status, attempt, handler_version, error)
      select ${operationKey}, f.item_id, later, 'skipped', ${attempt}, '', 'an earlier stage failed'
      from inserted f cross join generate_series(f.stage + 1, ${context.lastStage}::int) later
      where f.status = 'failed'
      on conflict do nothing
      returning stage
    ), moved as (
      select stage, status from inserted
      union all select stage, 'skipped' from skipped_later
    ), tallied as (
      insert into stage_tallies (operation_id, stage_index, done, failed, skipped)
      select ${operationId}, stage, count(*) filter (where status = 'done'),
        count(*) filter (where status = 'failed'), count(*) filter (where status = 'skipped')
      from moved group by stage
      returning 1
    ), errors as (
      insert into item_attempt_errors (operation_key, item_id, stage, attempt, error)
      select ${operationKey}, item_id, stage, ${attempt}, error
      from unnest(${attemptErrors.map((e) => e.itemId)}::int8[],
        ${attemptErrors.map((e) => e.stage)}::int2[], ${attemptErrors.map((e) => e.error)}::text[])
        as e(item_id, stage, error)
      returning 1
    )
    select
      (select count(*) from inserted where status = 'done')::int as done,
      (select count(*) from inserted where status = 'failed')::int as failed,
      (select count(*) from inserted where status = 'skipped')::int as skipped,
      (select count(*) from skipped_later)::int as "skippedLater",
      (select count(*) from tallied)::int as tallied,
      (select count(*) from errors)::int as errors`;
  return {
    done: row?.done ?? 0,
    failed: row?.failed ?? 0,
    skipped: row?.skipped ?? 0,
    skippedLater: row?.skippedLater ?? 0,
  };
}

/**
 * Writes a batch's outcomes as {@link insertOutcomes} does, betting on the common case: no row
 * is there yet. A plain insert costs Postgres about 40% less than one that checks each row for a
 * conflict and returns it, and the counts are then known without reading anything back. When
 * the bet fails (a zombie attempt beside its retry wrote first), the statement fails whole and
 * the guarded statement writes what is missing. Not for use inside a transaction, which the
 * failed statement would abort.
 */
export async function recordOutcomes(
  sql: postgres.Sql,
  context: FlushContext,
  outcomes: Outcome[],
  attemptErrors: AttemptError[],
): Promise<FlushedCounts> {
  if (outcomes.length > 0) {
    try {
      return await insertUnwritten(sql, context, outcomes, attemptErrors);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return insertOutcomes(sql, context, outcomes, attemptErrors);
}

/** The batch's stages and their handler versions, as two arrays for `unnest`. */
function handlerVersionsOf(context: FlushContext): [number[], string[]] {
  const stages = Object.keys(context.handlerVersions).map(Number);
  return [stages, stages.map((stage) => context.handlerVersions[stage] ?? '')];
}

/** An array literal of values that need no quoting: built by a join, not escaped value by value. */
const literal = (values: readonly (number | string)[]) => `{${values.join(',')}}`;

/** {@link recordOutcomes}' bet: every row new, so the tallies are counted here. */
async function insertUnwritten(
  sql: postgres.Sql,
  context: FlushContext,
  outcomes: Outcome[],
  attemptErrors: AttemptError[],
): Promise<FlushedCounts> {
  const { operationId, operationKey, attempt, lastStage } = context;
  const counts: FlushedCounts = { done: 0, failed: 0, skipped: 0, skippedLater: 0 };
  const tallies = new Map<number, { done: number; failed: number; skipped: number }>();
  const tally = (stage: number, status: OutcomeStatus) => {
    let entry = tallies.get(stage);
    if (!entry) {
      entry = { done: 0, failed: 0, skipped: 0 };
      tallies.set(stage, entry);
    }
    entry[status]++;
  };
  const ids: number[] = [];
  const stages: number[] = [];
  const statuses: OutcomeStatus[] = [];
  const durations: number[] = [];
  let errors: (string | null)[] | null = null;
  let outputs: unknown[] | null = null;
  for (const [index, outcome] of outcomes.entries()) {
    ids.push(outcome.itemId);
    stages.push(outcome.stage);
    statuses.push(outcome.status);
    durations.push(outcome.durationMs);
    if (outcome.error !== undefined) {
      errors ??= new Array(outcomes.length).fill(null);
      errors[index] = outcome.error;
    }
    if (outcome.output !== undefined) {
      outputs ??= new Array(outcomes.length).fill(null);
      outputs[index] = outcome.output;
    }
    counts[outcome.status]++;
    tally(outcome.stage, outcome.status);
    if (outcome.status === 'failed') {
      for (let later = outcome.stage + 1; later <= lastStage; later++) {
        counts.skippedLater++;
        tally(later, 'skipped');
      }
    }
  }
  const [versionStages, versions] = handlerVersionsOf(context);
  const tallied = [...tallies.entries()];
  await sql`
    with given as (
      select * from unnest(${literal(ids)}::int8[], ${literal(stages)}::int2[],
        ${literal(statuses)}::text[], ${literal(durations)}::real[], ${errors}::text[])
        with ordinality as g(item_id, stage, status, duration_ms, error, n)
    ), versions as (
      select * from unnest(${versionStages}::int2[], ${versions}::text[]) as v(stage, version)
    ), inserted as (
      insert into outcomes (operation_key, item_id, stage, status, attempt, handler_version,
        duration_ms, error, output)
      select ${operationKey}, g.item_id, g.stage, g.status, ${attempt}, v.version, g.duration_ms,
        g.error, ${outputs && JSON.stringify(outputs)}::jsonb -> (g.n - 1)::int
      from given g join versions v on v.stage = g.stage
    ), skipped_later as (
      insert into outcomes (operation_key, item_id, stage, status, attempt, handler_version, error)
      select ${operationKey}, g.item_id, later, 'skipped', ${attempt}, '', 'an earlier stage failed'
      from given g cross join generate_series(g.stage + 1, ${lastStage}::int) later
      where g.status = 'failed'
    ), tallied as (
      insert into stage_tallies (operation_id, stage_index, done, failed, skipped)
      select ${operationId}, t.* from unnest(${tallied.map(([stage]) => stage)}::int2[],
        ${tallied.map(([, t]) => t.done)}::int[], ${tallied.map(([, t]) => t.failed)}::int[],
        ${tallied.map(([, t]) => t.skipped)}::int[]) as t(stage_index, done, failed, skipped)
    )
    insert into item_attempt_errors (operation_key, item_id, stage, attempt, error)
    select ${operationKey}, item_id, stage, ${attempt}, error
    from unnest(${attemptErrors.map((e) => e.itemId)}::int8[],
      ${attemptErrors.map((e) => e.stage)}::int2[], ${attemptErrors.map((e) => e.error)}::text[])
      as e(item_id, stage, error)`;
  return counts;
}

/**
 * An `operation.progress` snapshot of `stageName`, summed from the tallies. A statement of its
 * own, after the flush committed: the event takes the tenant's event lock until its commit, and
 * every start and finish of the tenant waits for that lock, so it is held for one row, not for
 * a flush of thousands.
 */
export async function insertProgressEvent(
  sql: postgres.Sql,
  context: Pick<FlushContext, 'operationId' | 'lastStage'>,
  stageName: string,
): Promise<void> {
  const { operationId } = context;
  await sql`
      insert into events (tenant_id, operation_id, type, stage_name, data)
      select o.tenant_id, o.id, 'operation.progress', ${stageName},
        jsonb_build_object('itemsTotal', o.items_total, 'itemsDone', t.done,
          'itemsFailed', t.failed, 'itemsSkipped', t.skipped,
          'itemsPerSecond', round(((t.done + t.failed + t.skipped)
            / greatest(extract(epoch from now() - coalesce(o.started_at, now())), 1))::numeric, 3))
      from operations o cross join lateral (
        select coalesce(sum(done) filter (where stage_index = ${context.lastStage}), 0) as done,
          coalesce(sum(failed), 0) as failed,
          coalesce(sum(skipped) filter (where stage_index = ${context.lastStage}), 0) as skipped
        from stage_tallies where operation_id = o.id
      ) t
      where o.id = ${operationId}`;
}
