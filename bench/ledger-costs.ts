/**
 * Postgres alone, durable commits: what each shape of ledger write costs per item-stage, to
 * choose the ledger's next design (docs/ledger.md, phase 1) by measurement. No Temporal, no
 * handlers: the statements a batch would send, from 4 connections at once as 4 batches in
 * flight do. Writes bench/ledger-costs.md.
 *
 *   npx tsx bench/ledger-costs.ts     (LEDGER_ITEMS=10000 by default; ~1 min)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { freePort } from '../runtime/ports';
import { startEmbeddedPostgres } from '../runtime/postgres';
import { cpuBetween, cpuByPart } from './cpu-split';

const ITEMS = Number(process.env.LEDGER_ITEMS ?? 10_000);
const STAGES = 3;
const BATCH = 100;
const IN_FLIGHT = 4;
const CHUNK = 2_000;

type Sql = postgres.Sql;

interface Shape {
  name: string;
  what: string;
  /** Tables of its own, made before the clock starts. */
  setup(sql: Sql): Promise<void>;
  /** Work done once per operation before any batch (seeding, freezing the scope). */
  start(sql: Sql, operation: number): Promise<void>;
  /** One batch of one stage over the items with ids in [from, to]. */
  batch(sql: Sql, operation: number, stage: number, ids: number[]): Promise<void>;
}

const outcomeJson = (ids: number[]) =>
  JSON.stringify(Object.fromEntries(ids.map((id) => [id, { status: 'done', duration_ms: 0.1 }])));

/** Today's ledger: seed every item-stage, claim by update, record by update, upsert results. */
const today: Shape = {
  name: 'today (v1)',
  what: 'seed pending rows; claim = update to in_progress; record = update; results upsert',
  async setup(sql) {
    await sql`create table item_stages (operation_id text, stage_index int, item_id int8,
      status text not null default 'pending', attempts int not null default 0, handler_version text,
      error text, started_at timestamptz, finished_at timestamptz, duration_ms float8, output jsonb,
      primary key (operation_id, stage_index, item_id)) with (fillfactor = 70)`;
    await sql`create table results (item_id int8, handler text, handler_version text, output jsonb,
      operation_id text, updated_at timestamptz, primary key (item_id, handler))`;
    // The two rows every batch updates today: the operation's counters and a stats bucket.
    await sql`create table counters (operation_id text primary key, done int8 not null default 0)`;
    await sql`create table stage_stats (stage int, hour timestamptz, done int8 not null default 0,
      primary key (stage, hour))`;
  },
  async start(sql, operation) {
    await sql`insert into item_stages (operation_id, stage_index, item_id)
      select ${`op-${operation}`}, s, i.id from items i cross join generate_series(0, ${STAGES - 1}) s`;
    await sql`insert into counters (operation_id) values (${`op-${operation}`})`;
  },
  async batch(sql, operation, stage, ids) {
    const op = `op-${operation}`;
    await sql`with claimed as (
        update item_stages set status = 'in_progress', attempts = attempts + 1, started_at = now()
        where operation_id = ${op} and stage_index = ${stage} and item_id = any(${ids}::int8[])
          and status in ('pending', 'in_progress')
        returning item_id)
      select c.item_id, i.key, i.data from claimed c join items i on i.id = c.item_id`;
    await sql`with payload as (select ${outcomeJson(ids)}::jsonb as p), changed as (
        update item_stages s set status = 'done', finished_at = now(), handler_version = '1',
          duration_ms = ((select p from payload) -> s.item_id::text ->> 'duration_ms')::float8
        where operation_id = ${op} and stage_index = ${stage} and item_id = any(${ids}::int8[])
          and status = 'in_progress'
        returning item_id)
      insert into results (item_id, handler, handler_version, output, operation_id, updated_at)
      select item_id, ${`h${stage}`}, '1', null, ${op}, now() from changed
      on conflict (item_id, handler) do update set handler_version = excluded.handler_version,
        output = excluded.output, operation_id = excluded.operation_id, updated_at = now()`;
    await sql.begin(async (tx) => {
      await tx`update counters set done = done + ${ids.length} where operation_id = ${op}`;
      await tx`insert into stage_stats (stage, hour, done) values (${stage}, date_trunc('hour', now()), ${ids.length})
        on conflict (stage, hour) do update set done = stage_stats.done + excluded.done`;
    });
  },
};

/** The scope frozen as id arrays per chunk; the claim a read; one insert per outcome. */
function frozen(name: string, what: string, extraIndex?: string, resultsUpsert = false): Shape {
  return {
    name,
    what,
    async setup(sql) {
      await sql`create table operation_chunks (operation_key int4, chunk_index int4,
        item_ids int8[] not null, primary key (operation_key, chunk_index))`;
      await sql`create table outcomes (operation_key int4, stage int2, item_id int8,
        status "char" not null, attempt int2 not null, handler_key int4 not null,
        finished_at timestamptz not null, duration_ms real, error text, output jsonb,
        primary key (operation_key, stage, item_id))`;
      if (extraIndex) await sql.unsafe(extraIndex);
      await sql`create table stage_tallies (operation_key int4, stage int2, done int4 not null)`;
      await sql`create table results (item_id int8, handler text, handler_version text,
        output jsonb, operation_key int4, updated_at timestamptz, primary key (item_id, handler))`;
    },
    async start(sql, operation) {
      await sql`insert into operation_chunks (operation_key, chunk_index, item_ids)
        select ${operation}, slot, array_agg(id order by id) from (
          select id, (row_number() over (order by id) - 1) / ${CHUNK} as slot from items) numbered
        group by slot`;
    },
    async batch(sql, operation, stage, ids) {
      // The claim: the batch's slice of its chunk's frozen ids, minus what is recorded, gated
      // by the previous stage's done rows.
      const first = (ids[0] ?? 1) - 1;
      const chunk = Math.floor(first / CHUNK);
      const from = (first % CHUNK) + 1;
      await sql`select i.id, i.key, i.data from operation_chunks c
        cross join unnest(c.item_ids[${from}:${from + ids.length - 1}]) slice(id)
        join items i on i.id = slice.id
        where c.operation_key = ${operation} and c.chunk_index = ${chunk}
          and not exists (select 1 from outcomes o where o.operation_key = ${operation}
            and o.stage = ${stage} and o.item_id = i.id)
          and (${stage}::int2 = 0 or exists (select 1 from outcomes o where o.operation_key = ${operation}
            and o.stage = ${stage - 1} and o.item_id = i.id and o.status = 'd'))`;
      // One statement per flush: the outcomes, the tally of what was inserted, and (in the
      // upsert variant) the results of the same rows.
      await sql`with inserted as (
          insert into outcomes (operation_key, stage, item_id, status, attempt, handler_key,
            finished_at, duration_ms)
          select ${operation}, ${stage}, id, 'd', 1, ${stage}, now(), 0.1 from unnest(${ids}::int8[]) id
          on conflict do nothing returning item_id
        ), tally as (
          insert into stage_tallies select ${operation}, ${stage}, count(*) from inserted
        )
        ${
          resultsUpsert
            ? sql`insert into results (item_id, handler, handler_version, output, operation_key, updated_at)
          select item_id, ${`h${stage}`}, '1', null, ${operation}, now() from inserted
          on conflict (item_id, handler) do update set handler_version = excluded.handler_version,
            output = excluded.output, operation_key = excluded.operation_key, updated_at = now()`
            : sql`select count(*) from inserted`
        }`;
    },
  };
}

const shapes: Shape[] = [
  today,
  frozen('frozen, outcome rows', 'scope as chunk arrays; claim is a read; one insert per outcome'),
  frozen(
    'frozen, outcome rows + results index',
    'the same, and an index on (item_id, handler_key, finished_at) so the outcome row is the result',
    'create index outcomes_result_idx on outcomes (item_id, handler_key, finished_at)',
  ),
  frozen(
    'frozen, outcome rows + results upsert',
    'the same, and the results row upserted beside each outcome',
    undefined,
    true,
  ),
];

interface Measured {
  shape: Shape;
  seconds: number;
  postgresCpu: number;
  rows: number;
}

async function rowsWritten(sql: Sql): Promise<number> {
  const [row] = await sql<{ rows: string }[]>`
    select tup_inserted + tup_updated + tup_deleted as rows
    from pg_stat_database where datname = current_database()`;
  return Number(row?.rows ?? 0);
}

async function measure(
  url: string,
  dataDir: string,
  shape: Shape,
  operation: number,
): Promise<Measured> {
  const sql = postgres(url, { max: IN_FLIGHT, onnotice: () => {} });
  try {
    await sql`drop table if exists item_stages, results, counters, stage_stats, operation_chunks, outcomes, stage_tallies`;
    await shape.setup(sql);
    await sql`select pg_stat_force_next_flush()`;
    const rowsBefore = await rowsWritten(sql);
    const cpuBefore = cpuByPart(undefined, dataDir);
    const began = performance.now();
    await shape.start(sql, operation);
    for (let stage = 0; stage < STAGES; stage++) {
      let next = 1;
      const lane = async () => {
        while (next <= ITEMS) {
          const from = next;
          next += BATCH;
          const ids = Array.from({ length: Math.min(BATCH, ITEMS - from + 1) }, (_, k) => from + k);
          await shape.batch(sql, operation, stage, ids);
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
    }
    const seconds = (performance.now() - began) / 1000;
    const postgresCpu = cpuBetween(cpuBefore, cpuByPart(undefined, dataDir)).Postgres ?? 0;
    // Each backend publishes its counts when it goes idle or exits: end them all, then read.
    await sql.end();
    const reader = postgres(url, { max: 1, onnotice: () => {} });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const rows = (await rowsWritten(reader)) - rowsBefore;
    await reader.end();
    return { shape, seconds, postgresCpu, rows };
  } finally {
    await sql.end();
  }
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'conveyor-ledger-costs-'));
  const log = (line: string) => console.log(`[postgres] ${line}`);
  const server = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    durable: true,
    log,
  });
  try {
    await server.createDatabase('ledger');
    const url = server.urlFor('ledger');
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    await sql`create table items (id int8 primary key, key text not null, data jsonb not null)`;
    await sql`insert into items select g, 'item-' || g, '{}'::jsonb from generate_series(1, ${ITEMS}) g`;
    await sql`vacuum analyze items`;
    await sql.end();
    const itemStages = ITEMS * STAGES;
    const measured: Measured[] = [];
    for (const [index, shape] of shapes.entries()) {
      console.log(`${shape.name}: ${ITEMS} items × ${STAGES} stages …`);
      const result = await measure(url, dataDir, shape, index + 1);
      measured.push(result);
      console.log(
        `  ${Math.round(itemStages / result.seconds)} item-stages/s, ${((result.postgresCpu * 1e6) / itemStages).toFixed(1)} µs Postgres CPU and ${(result.rows / itemStages).toFixed(2)} rows per item-stage`,
      );
    }
    const lines = [
      '# Ledger write shapes: Postgres alone',
      '',
      `Run ${new Date().toISOString()} by \`npx tsx bench/ledger-costs.ts\`: embedded Postgres with fsync and synchronous_commit on, ${ITEMS.toLocaleString('en')} items × ${STAGES} stages, batches of ${BATCH}, ${IN_FLIGHT} connections writing at once, no handlers and no Temporal. Postgres CPU is its postgres processes', from /proc; rows are pg_stat_database's inserted + updated + deleted.`,
      '',
      '| shape | what it writes | item-stages/s | Postgres CPU µs per item-stage | rows per item-stage |',
      '|---|---|---|---|---|',
      ...measured.map(
        (m) =>
          `| ${m.shape.name} | ${m.shape.what} | ${Math.round(itemStages / m.seconds).toLocaleString('en')} | ${((m.postgresCpu * 1e6) / itemStages).toFixed(1)} | ${(m.rows / itemStages).toFixed(2)} |`,
      ),
      '',
    ];
    writeFileSync('bench/ledger-costs.md', lines.join('\n'));
    console.log('written: bench/ledger-costs.md');
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
