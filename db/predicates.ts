/**
 * The facts about statuses that SQL repeats, built from the constants of `common/` so a status
 * list is written once: the schema's CHECK constraints and the arrays queries pass as parameters.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import {
  FINISHED_STATUSES,
  PASSED_ITEM_STAGE_STATUSES,
  UNFINISHED_ITEM_STAGE_STATUSES,
  UNFINISHED_STATUSES,
} from '../common/domain';

/**
 * `column in ('a', 'b', …)` with the values inlined: a CHECK constraint cannot take parameters.
 * The values are this code's own constants, never input.
 */
export function oneOf(column: AnyPgColumn, values: readonly (string | number)[]): SQL {
  const quoted = values
    .map((value) =>
      typeof value === 'number' ? String(value) : `'${value.replaceAll("'", "''")}'`,
    )
    .join(', ');
  return sql`${column} in (${sql.raw(quoted)})`;
}

/** Item stage statuses still to run, as a `text[]` parameter: `status = any(${…}::text[])`. */
export const unfinishedItemStage: string[] = [...UNFINISHED_ITEM_STAGE_STATUSES];
/** Item stage statuses the next stage may claim after: `status <> all(${…}::text[])` blocks. */
export const passedItemStage: string[] = [...PASSED_ITEM_STAGE_STATUSES];
/** Operation statuses that are final, as a `text[]` parameter. */
export const finishedOperation: string[] = [...FINISHED_STATUSES];
/** Operation statuses an operation may still leave, as a `text[]` parameter. */
export const unfinishedOperation: string[] = [...UNFINISHED_STATUSES];

/** A check that every element of an array column is one of `values`. */
export function allOf(column: AnyPgColumn, values: readonly string[]): SQL {
  const quoted = values.map((value) => `'${value.replaceAll("'", "''")}'`).join(', ');
  return sql`${column} <@ array[${sql.raw(quoted)}]::text[]`;
}
