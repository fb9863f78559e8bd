/**
 * Ledger version 2's writes (docs/ledger.md): a batch's outcomes, each item's consecutive stages
 * one inserted segment, and the progress snapshots that follow a flush.
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
  /**
   * Items whose segment the key refused: another attempt recorded them from the same stage
   * first. The batch must write nothing more of them, or its later segments could overlap.
   */
  refused: number[];
}

/** One segment as the flush sends it: its stages' statuses and durations as text lists. */
interface Segment {
  itemId: number;
  firstStage: number;
  /** Stages a handler ran; those after them were skipped for its failure. */
  ran: number;
  statuses: string[];
  durations: string[];
  errors: (string | null)[];
  outputs: unknown[];
}

/**
 * A flush's outcomes as segments: each item's consecutive stages as one row, with the `skipped`
 * stages after a failure. Each segment's statuses and durations go as one comma-separated text,
 * split in SQL, and the lists as literals built by a join: escaping value by value costs the
 * worker more than the insert costs Postgres, and slicing one long array per row costs Postgres
 * a walk along it. Errors and outputs, which may hold anything, go as JSON when there are any.
 */
function segmentsOf(context: FlushContext, outcomes: Outcome[]) {
  const { lastStage } = context;
  const counts: Omit<FlushedCounts, 'refused'> = {
    done: 0,
    failed: 0,
    skipped: 0,
    skippedLater: 0,
  };
  const tallies = new Map<number, { done: number; failed: number; skipped: number }>();
  const tally = (stage: number, status: OutcomeStatus) => {
    let entry = tallies.get(stage);
    if (!entry) {
      entry = { done: 0, failed: 0, skipped: 0 };
      tallies.set(stage, entry);
    }
    entry[status]++;
  };
  const segments: Segment[] = [];
  let anyError = false;
  let anyOutput = false;
  // A batch collects its items' stages interleaved; a segment needs an item's stages together.
  const ordered = [...outcomes].sort((a, b) => a.itemId - b.itemId || a.stage - b.stage);
  let current: Segment | undefined;
  let previous: Outcome | undefined;
  for (const outcome of ordered) {
    const continues =
      current !== undefined &&
      previous !== undefined &&
      previous.itemId === outcome.itemId &&
      previous.stage + 1 === outcome.stage &&
      previous.status !== 'failed';
    if (!continues || !current) {
      current = {
        itemId: outcome.itemId,
        firstStage: outcome.stage,
        ran: 0,
        statuses: [],
        durations: [],
        errors: [],
        outputs: [],
      };
      segments.push(current);
    }
    current.ran++;
    current.statuses.push(outcome.status);
    current.durations.push(String(outcome.durationMs));
    current.errors.push(outcome.error ?? null);
    current.outputs.push(outcome.output ?? null);
    anyError ||= outcome.error !== undefined;
    anyOutput ||= outcome.output !== undefined;
    counts[outcome.status]++;
    tally(outcome.stage, outcome.status);
    if (outcome.status === 'failed') {
      for (let later = outcome.stage + 1; later <= lastStage; later++) {
        current.statuses.push('skipped');
        current.durations.push('NULL');
        current.errors.push('an earlier stage failed');
        current.outputs.push(null);
        anyError = true;
        counts.skippedLater++;
        tally(later, 'skipped');
      }
    }
    previous = outcome;
  }
  return {
    counts,
    tallies: [...tallies.entries()],
    ids: literal(segments.map((segment) => segment.itemId)),
    firsts: literal(segments.map((segment) => segment.firstStage)),
    ran: literal(segments.map((segment) => segment.ran)),
    statuses: literal(segments.map((segment) => `"${segment.statuses.join(',')}"`)),
    durations: literal(segments.map((segment) => `"${segment.durations.join(',')}"`)),
    /** Each stage's handler version by stage index (1-based in SQL), for slicing per segment. */
    versions: Array.from(
      { length: lastStage + 1 },
      (_, stage) => context.handlerVersions[stage] ?? '',
    ),
    errors: anyError ? JSON.stringify(segments.map((segment) => segment.errors)) : null,
    outputs: anyOutput ? JSON.stringify(segments.map((segment) => segment.outputs)) : null,
  };
}

/** An array literal of values that need no quoting: built by a join, not escaped value by value. */
const literal = (values: readonly (number | string)[]) => `{${values.join(',')}}`;

/**
 * Writes a batch's outcomes as segments in one statement, with the stage tallies of exactly the
 * segments inserted and the attempt errors. `on conflict do nothing returning` is what makes a
 * zombie attempt and its retry count once between them: the segment of an item that another
 * attempt recorded from the same stage is refused whole, and reported so the batch writes no more
 * of that item.
 */
export async function insertOutcomes(
  sql: postgres.Sql,
  context: FlushContext,
  outcomes: Outcome[],
  attemptErrors: AttemptError[],
): Promise<FlushedCounts> {
  if (outcomes.length === 0 && attemptErrors.length === 0) {
    return { done: 0, failed: 0, skipped: 0, skippedLater: 0, refused: [] };
  }
  const { operationId, operationKey, attempt } = context;
  const given = segmentsOf(context, outcomes);
  const [row] = await sql<(FlushedCounts & { refused: string[] | null })[]>`
    with given as (
      select * from unnest(${given.ids}::int8[], ${given.firsts}::int2[], ${given.ran}::int4[],
        ${given.statuses}::text[], ${given.durations}::text[])
        with ordinality as g(item_id, first_stage, ran, statuses, durations, n)
    ), inserted as (
      ${segmentInsert(sql, context, given)}
      on conflict do nothing
      returning item_id, first_stage, statuses, handler_versions
    ), moved as (
      select i.first_stage + u.n - 1 as stage, u.status, i.handler_versions[u.n] as version
      from inserted i cross join lateral unnest(i.statuses) with ordinality as u(status, n)
    ), tallied as (
      insert into stage_tallies (operation_id, stage_index, done, failed, skipped)
      select ${operationId}, stage, count(*) filter (where status = 'done'),
        count(*) filter (where status = 'failed'), count(*) filter (where status = 'skipped')
      from moved group by stage
      returning 1
    ), errors as (
      ${attemptErrorInsert(sql, operationKey, attempt, attemptErrors)}
      returning 1
    )
    select
      (select count(*) from moved where status = 'done')::int as done,
      (select count(*) from moved where status = 'failed')::int as failed,
      (select count(*) from moved where status = 'skipped' and version <> '')::int as skipped,
      (select count(*) from moved where status = 'skipped' and version = '')::int as "skippedLater",
      (select array_agg(g.item_id) from given g where not exists (
        select 1 from inserted i where i.item_id = g.item_id and i.first_stage = g.first_stage
      )) as refused,
      (select count(*) from tallied)::int as tallied,
      (select count(*) from errors)::int as errors`;
  return {
    done: row?.done ?? 0,
    failed: row?.failed ?? 0,
    skipped: row?.skipped ?? 0,
    skippedLater: row?.skippedLater ?? 0,
    refused: (row?.refused ?? []).map(Number),
  };
}

/**
 * The insert of {@link segmentsOf}' segments, `given` being their rows. A segment's versions
 * are its stages' handlers', then '' for the stages its failure skipped.
 */
function segmentInsert(
  sql: postgres.Sql,
  context: FlushContext,
  given: ReturnType<typeof segmentsOf>,
) {
  return sql`
    insert into outcome_segments (operation_key, item_id, first_stage, attempt, statuses,
      handler_versions, durations_ms, errors, outputs)
    select ${context.operationKey}, g.item_id, g.first_stage, ${context.attempt}, s.statuses,
      (${given.versions}::text[])[g.first_stage + 1 : g.first_stage + g.ran]
        || array_fill(''::text, array[cardinality(s.statuses) - g.ran]),
      string_to_array(g.durations, ',', 'NULL')::real[],
      case when ${given.errors}::jsonb is null then null else array(
        select e.error from jsonb_array_elements_text(${given.errors}::jsonb -> (g.n - 1)::int)
          with ordinality as e(error, i) order by e.i) end,
      ${given.outputs}::jsonb -> (g.n - 1)::int
    from given g cross join lateral (select string_to_array(g.statuses, ',') as statuses) s`;
}

function attemptErrorInsert(
  sql: postgres.Sql,
  operationKey: number,
  attempt: number,
  attemptErrors: AttemptError[],
) {
  return sql`
    insert into item_attempt_errors (operation_key, item_id, stage, attempt, error)
    select ${operationKey}, item_id, stage, ${attempt}, error
    from unnest(${attemptErrors.map((e) => e.itemId)}::int8[],
      ${attemptErrors.map((e) => e.stage)}::int2[], ${attemptErrors.map((e) => e.error)}::text[])
      as e(item_id, stage, error)`;
}

/**
 * Writes a batch's outcomes as {@link insertOutcomes} does, betting on the common case: no
 * segment is there yet. A plain insert costs Postgres about 40% less than one that checks each
 * row for a conflict and returns it, and the counts are then known without reading anything
 * back. When the bet fails (a zombie attempt beside its retry wrote first), the statement fails
 * whole and the guarded statement writes what is missing. Not for use inside a transaction,
 * which the failed statement would abort.
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

/** {@link recordOutcomes}' bet: every segment new, so the tallies are counted here. */
async function insertUnwritten(
  sql: postgres.Sql,
  context: FlushContext,
  outcomes: Outcome[],
  attemptErrors: AttemptError[],
): Promise<FlushedCounts> {
  const { operationId, operationKey, attempt } = context;
  const given = segmentsOf(context, outcomes);
  const { tallies } = given;
  await sql`
    with given as (
      select * from unnest(${given.ids}::int8[], ${given.firsts}::int2[], ${given.ran}::int4[],
        ${given.statuses}::text[], ${given.durations}::text[])
        with ordinality as g(item_id, first_stage, ran, statuses, durations, n)
    ), inserted as (
      ${segmentInsert(sql, context, given)}
    ), tallied as (
      insert into stage_tallies (operation_id, stage_index, done, failed, skipped)
      select ${operationId}, t.* from unnest(${tallies.map(([stage]) => stage)}::int2[],
        ${tallies.map(([, t]) => t.done)}::int[], ${tallies.map(([, t]) => t.failed)}::int[],
        ${tallies.map(([, t]) => t.skipped)}::int[]) as t(stage_index, done, failed, skipped)
    )
    ${attemptErrorInsert(sql, operationKey, attempt, attemptErrors)}`;
  return { ...given.counts, refused: [] };
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
