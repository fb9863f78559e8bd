import { randomBytes } from 'node:crypto';
import type postgres from 'postgres';
import { z } from 'zod';
import { defineHandler, PermanentError } from '../handlers/define';

/**
 * What test/ledger-v2-readers.test.ts builds a version-2 operation from: two handlers, one
 * reading the other, and its rows written as the version-2 hot path leaves them.
 */

export const fetchPage = defineHandler({
  name: 'test.v2-fetch',
  version: '1',
  description: 'Returns a page body made from the item’s n.',
  params: z.object({}),
  async process(item) {
    return { body: `page ${(item.data as { n: number }).n}` };
  },
});

export const parsePage = defineHandler({
  name: 'test.v2-parse',
  version: '1',
  description: 'Upper-cases the body test.v2-fetch returned.',
  params: z.object({}),
  reads: ['test.v2-fetch'],
  async process(item) {
    const page = item.results['test.v2-fetch'] as { body: string } | undefined;
    if (!page) throw new PermanentError(`no page for ${item.key}`);
    return { text: page.body.toUpperCase() };
  },
});

/** A version-2 copy of a real operation's row, with `changes`; its own id and key. */
export async function insertV2Operation(
  sql: postgres.Sql,
  from: string,
  changes: Record<string, unknown>,
) {
  const columns = await sql<{ name: string }[]>`
    select column_name as name from information_schema.columns
    where table_name = 'operations' and column_name <> 'key'`;
  const list = columns.map((column) => `"${column.name}"`).join(', ');
  const id = `op-${randomBytes(16).toString('hex')}`;
  const [row] = await sql.unsafe<{ id: string; key: number }[]>(
    `insert into operations (${list})
     select ${list} from jsonb_populate_record(null::operations,
       (select to_jsonb(o) from operations o where id = $1) || $2::jsonb)
     returning id, key`,
    [
      from,
      JSON.stringify({
        id,
        ledger: 2,
        idempotency_key: null,
        created_at: new Date().toISOString(),
        ...changes,
      }),
    ],
  );
  if (!row) throw new Error('no operation inserted');
  return row;
}

/** An item-stage's outcome as the flush writes it: a segment of one stage. */
export async function outcome(
  sql: postgres.Sql,
  operationKey: number,
  item: number,
  stage: number,
  status: 'done' | 'failed' | 'skipped',
  extra: { attempt?: number; error?: string; output?: unknown; version?: string } = {},
) {
  await sql`
    insert into outcome_segments (operation_key, item_id, first_stage, attempt, statuses,
      handler_versions, durations_ms, errors, outputs)
    values (${operationKey}, ${item}, ${stage}, ${extra.attempt ?? 1}, array[${status}]::text[],
      array[${extra.version ?? '1'}]::text[], '{12.5}', array[${extra.error ?? null}]::text[],
      ${extra.output === undefined ? null : JSON.stringify([extra.output])}::jsonb)`;
}
