/**
 * The ledger's tables: what became of each item in each stage of an operation, the per-stage
 * tallies, and results. Two formats live side by side (docs/ledger.md): version 1 seeds an
 * `item_stages` row per item-stage and moves it through claim and record; version 2 freezes the
 * scope in `operation_chunks` and writes an item's final outcomes in a fused run as one
 * `outcome_segments` row, read per item-stage through the `outcomes` view. An operation's
 * `ledger` column says which it uses, from its creation to its end.
 */
import {
  bigint,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { ITEM_STAGE_STATUSES, OUTCOME_STATUSES } from '../common/domain';
import { allOf, oneOf } from './predicates';
import { items, operations, updatedAt } from './schema';

/** Version 1: every item-stage seeded `pending`, claimed `in_progress`, then recorded. */
export const itemStages = pgTable(
  'item_stages',
  {
    operationId: text('operation_id')
      .notNull()
      .references(() => operations.id, { onDelete: 'cascade' }),
    stageIndex: integer('stage_index').notNull(),
    itemId: bigint('item_id', { mode: 'number' }).notNull(),
    status: text('status', { enum: ITEM_STAGE_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    handlerVersion: text('handler_version'),
    error: text('error'),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    durationMs: doublePrecision('duration_ms'),
    /** The handler's output, kept only when a later stage's handler reads it. */
    output: jsonb('output').$type<unknown>(),
  },
  (t) => [
    primaryKey({ columns: [t.operationId, t.stageIndex, t.itemId] }),
    // No index may name a column a batch changes (status, timings): then a claim and a record
    // update their rows in place (HOT), writing no index entries, with the table's fillfactor
    // (migration 0011) leaving each page room for the new versions. Status filters narrow by
    // the primary key's (operation, stage) prefix and item range instead.
    index('item_stages_item_idx').on(t.itemId),
    check('item_stages_status_check', oneOf(t.status, ITEM_STAGE_STATUSES)),
  ],
);

/**
 * An operation's per-stage counts, kept as insert-only deltas by item-stage status: every write
 * that moves item stages (a seed, a claim, a batch's outcomes, a release, the finish audit's
 * correction) inserts one row per stage it moved, in the same statement, counting only the rows
 * it changed. Summed when read, so the detail view reads a few rows per batch instead of every
 * item stage, and no two batches in flight share a row lock.
 */
export const stageTallies = pgTable(
  'stage_tallies',
  {
    operationId: text('operation_id')
      .notNull()
      .references(() => operations.id, { onDelete: 'cascade' }),
    stageIndex: integer('stage_index').notNull(),
    pending: integer('pending').notNull().default(0),
    inProgress: integer('in_progress').notNull().default(0),
    done: integer('done').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    skipped: integer('skipped').notNull().default(0),
    /** Set on the finish audit's correction: a normal run needs none, so a test can tell. */
    correction: boolean('correction').notNull().default(false),
  },
  (t) => [index('stage_tallies_operation_idx').on(t.operationId)],
);

export const results = pgTable(
  'results',
  {
    itemId: bigint('item_id', { mode: 'number' })
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    handler: text('handler').notNull(),
    tenantId: uuid('tenant_id').notNull(),
    collectionId: uuid('collection_id').notNull(),
    handlerVersion: text('handler_version').notNull(),
    output: jsonb('output').$type<unknown>(),
    operationId: text('operation_id'),
    stageName: text('stage_name').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.itemId, t.handler] }),
    index('results_collection_handler_idx').on(t.collectionId, t.handler, t.handlerVersion),
  ],
);

/**
 * Version 2: an operation's scope, frozen at its start as sorted id arrays of at most a chunk
 * each. A batch is a slice of one chunk's array, so every attempt of it covers the same items
 * and nothing is written to claim them. Discovery appends chunks as it finds items.
 */
export const operationChunks = pgTable(
  'operation_chunks',
  {
    operationKey: integer('operation_key').notNull(),
    chunkIndex: integer('chunk_index').notNull(),
    itemIds: bigint('item_ids', { mode: 'number' }).array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.operationKey, t.chunkIndex] })],
);

/**
 * Version 2: the batches running now, one row each, written when a batch starts and deleted when
 * it ends, so the operation's view can count items in progress without a row per item. A batch
 * whose worker died keeps its row until its retry takes it over or the operation finishes.
 */
export const runningBatches = pgTable(
  'running_batches',
  {
    operationKey: integer('operation_key').notNull(),
    chunkIndex: integer('chunk_index').notNull(),
    /** The slice: positions `from`..`to` (1-based, inclusive) of the chunk's frozen ids. */
    fromPosition: integer('from_position').notNull(),
    toPosition: integer('to_position').notNull(),
    /** The run of fused stages the batch runs over its slice. */
    stages: smallint('stages').array().notNull(),
    attempt: smallint('attempt').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.operationKey, t.chunkIndex, t.fromPosition, t.stages] })],
);

/**
 * Version 2: an item's final outcomes in consecutive stages, from `first_stage` on, written by
 * one flush of one batch attempt: one row where a fused run of three stages wrote three. Keyed
 * by where the segment starts, so segments of one item never overlap (docs/ledger.md): every
 * writer starts an item where the outcomes it read or wrote end, and a segment refused by the
 * key ends what that attempt writes of the item. Inserted once, never updated. No foreign key:
 * its per-row check would cost as much as the insert. A done stage of a production operation is
 * also the item's result for the stage's handler. Readers read it one row per item-stage through
 * the `outcomes` view (migration 0024).
 */
export const outcomeSegments = pgTable(
  'outcome_segments',
  {
    operationKey: integer('operation_key').notNull(),
    itemId: bigint('item_id', { mode: 'number' }).notNull(),
    firstStage: smallint('first_stage').notNull(),
    /** The batch attempt that recorded it: Temporal's attempt of the batch activity. */
    attempt: smallint('attempt').notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }).notNull().defaultNow(),
    /** One entry per stage from `first_stage` on, in every array below. */
    statuses: text('statuses').array().notNull(),
    handlerVersions: text('handler_versions').array().notNull(),
    durationsMs: real('durations_ms').array().notNull(),
    /** Null when no stage of it failed or was skipped. */
    errors: text('errors').array(),
    /** A JSON array of the stages' outputs; null when no stage gave one. */
    outputs: jsonb('outputs').$type<unknown[]>(),
  },
  (t) => [
    primaryKey({ columns: [t.operationKey, t.itemId, t.firstStage] }),
    // An item's history and its latest result per handler, across operations.
    index('outcome_segments_item_idx').on(t.itemId),
    check('outcome_segments_statuses_check', allOf(t.statuses, OUTCOME_STATUSES)),
  ],
);

/**
 * Version 2: an attempt that failed retryably writes no outcome (the item stays to run), only
 * this row, so an item's history shows every attempt and its error.
 */
export const itemAttemptErrors = pgTable(
  'item_attempt_errors',
  {
    operationKey: integer('operation_key').notNull(),
    itemId: bigint('item_id', { mode: 'number' }).notNull(),
    stage: smallint('stage').notNull(),
    attempt: smallint('attempt').notNull(),
    error: text('error').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('item_attempt_errors_item_idx').on(t.operationKey, t.itemId)],
);
