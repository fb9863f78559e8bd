// The measuring half of a peer run, shared by the graphile-worker and pg-boss runners. It runs
// under the Node 22 of .cache/bench-peers (see setup.ts) and loads everything from there, so
// nothing here is type-checked or resolved against the project's own node_modules.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';

const cacheDir = process.env.PEER_CACHE_DIR ?? '';
const require = createRequire(join(cacheDir, 'package.json'));

/** Imports a package installed in the peer cache; a CommonJS one is its `default`. */
export function load(name) {
  return import(pathToFileURL(require.resolve(name)).href);
}

export function versionOf(name) {
  return JSON.parse(readFileSync(join(cacheDir, 'node_modules', name, 'package.json'), 'utf8'))
    .version;
}

/** Runner progress and library warnings go to stderr: stdout carries only the result line. */
export const log = (line) => process.stderr.write(`${line}\n`);

// One row per item and stage, written as one multi-row INSERT per job (or per fetched batch):
// $1 the item ids, $2 each one's stage.
export const OUTCOMES_TABLE = `create table peer_item_stages (
  item_id int not null, stage int not null, status text not null,
  finished_at timestamptz not null, primary key (item_id, stage))`;
export const INSERT_OUTCOMES = `insert into peer_item_stages (item_id, stage, status, finished_at)
  select item_id, stage, 'done', now() from unnest($1::int[], $2::int[]) as t(item_id, stage)`;

/** The work of one stage: nothing, as in the engine benchmark's noop handler. */
export function handle(_items) {}

async function rowWrites(client) {
  const { rows } = await client.query(
    `select (tup_inserted + tup_updated + tup_deleted)::float8 as n
       from pg_stat_database where datname = current_database()`,
  );
  return rows[0].n;
}

/**
 * Waits until no other client is connected to the database. A backend flushes its statistics
 * when it exits, before it leaves pg_stat_activity, so after this pg_stat_database holds every
 * row the queue wrote. (While connected, a backend flushes at most once a second and an idle
 * one only after 10 s, so reading sooner could miss the last writes.)
 */
async function settle(client) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { rows } = await client.query(
      `select count(*)::int as n from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid()
          and backend_type = 'client backend'`,
    );
    if (rows[0].n === 0) return;
    if (Date.now() > deadline) throw new Error('other connections stayed open after the run');
    await sleep(50);
  }
}

// Item ids of warm-up runs, clear of the measured run's 0 … items - 1.
const WARMUP_IDS = 1_000_000_000;

function batchesOf(ids, size) {
  const batches = [];
  for (let start = 0; start < ids.length; start += size)
    batches.push(ids.slice(start, start + size));
  return batches;
}

/** Counts outcome rows of the last stage as their transactions commit, for the runs to wait on. */
function lastStageCounter(stages) {
  let done = 0;
  let waiter;
  return {
    committed(stage, count) {
      if (stage !== stages) return;
      done += count;
      if (waiter && done >= waiter.target) {
        waiter.resolve(performance.now());
        waiter = undefined;
      }
    },
    /** Resolves with the moment the last stage's committed rows reach `target`. */
    reach(target) {
      if (done >= target) return Promise.resolve(performance.now());
      return new Promise((resolve) => {
        waiter = { target, resolve };
      });
    },
  };
}

/**
 * A short run before the measured one, in the same process, so the measured run meets compiled
 * code as a long-running worker would. Its worker is stopped (its connections closed, so its
 * statistics are flushed before the measured run's first reading) and its rows removed.
 */
async function warmUp(pg, peer, settings) {
  const items = Math.min(settings.items, settings.warmupItems);
  if (items <= 0) return;
  const counter = lastStageCounter(settings.stages);
  const worker = await peer.start(settings, counter.committed);
  const ids = Array.from({ length: items }, (_, i) => WARMUP_IDS + i);
  await worker.add(batchesOf(ids, settings.batchSize));
  await counter.reach(items);
  await worker.stop();
  const client = new pg.Client({ connectionString: settings.url });
  await client.connect();
  await client.query('truncate peer_item_stages');
  await client.end();
}

/**
 * The peer contract: `install(settings)` creates the queue's schema and closes its connections;
 * `start(settings, committed)` starts a worker whose stage handler writes the outcome rows and
 * enqueues the next stage, calling `committed(stage, rows)` once that transaction committed, and
 * returns `{ add(batches), stop() }`, where `add` enqueues stage 1 for each batch of item ids in
 * one bulk call and `stop` shuts the worker down and closes every connection it opened.
 */
export async function runPeer(peer) {
  const { default: pg } = await load('pg');
  const mode = process.argv[2];
  const settings = {
    url: process.env.PEER_DATABASE_URL ?? '',
    items: Number(process.env.PEER_ITEMS ?? 10_000),
    stages: Number(process.env.PEER_STAGES ?? 3),
    batchSize: Number(process.env.PEER_BATCH_SIZE ?? 100),
    samples: Number(process.env.PEER_LATENCY_SAMPLES ?? 30),
    warmup: Number(process.env.PEER_LATENCY_WARMUP ?? 5),
    warmupItems: Number(process.env.PEER_WARMUP_ITEMS ?? 1_000),
  };
  const setup = new pg.Client({ connectionString: settings.url });
  await setup.connect();
  await setup.query(OUTCOMES_TABLE);
  await setup.end();
  await peer.install(settings);

  const stats = new pg.Client({ connectionString: settings.url });
  await stats.connect();
  const counter = lastStageCounter(settings.stages);
  const { rows: durability } = await stats.query(
    `select current_setting('synchronous_commit') as sync, current_setting('fsync') as fsync`,
  );
  const result = {
    version: peer.version,
    node: process.version,
    notes: peer.notes(settings),
    durable: durability[0].sync === 'on' && durability[0].fsync === 'on',
  };
  try {
    if (mode === 'throughput') {
      await warmUp(pg, peer, settings);
      await settle(stats);
      const before = await rowWrites(stats);
      const worker = await peer.start(settings, counter.committed);
      const ids = Array.from({ length: settings.items }, (_, i) => i);
      const started = performance.now();
      await worker.add(batchesOf(ids, settings.batchSize));
      const finished = await counter.reach(settings.items);
      await worker.stop();
      await settle(stats);
      const writes = (await rowWrites(stats)) - before;
      const { rows } = await stats.query(
        'select count(*)::int as n, count(distinct (item_id, stage))::int as d from peer_item_stages',
      );
      const expected = settings.items * settings.stages;
      if (rows[0].n !== expected || rows[0].d !== expected)
        throw new Error(
          `expected ${expected} outcome rows, found ${rows[0].n} (${rows[0].d} distinct)`,
        );
      const seconds = (finished - started) / 1000;
      Object.assign(result, {
        seconds,
        itemStagesPerSecond: expected / seconds,
        rowWrites: writes,
        rowsPerItemStage: writes / expected,
      });
    } else if (mode === 'latency') {
      const worker = await peer.start(settings, counter.committed);
      const samplesMs = [];
      for (let run = 0; run < settings.warmup + settings.samples; run++) {
        const started = performance.now();
        await worker.add([[run]]);
        const finished = await counter.reach(run + 1);
        if (run >= settings.warmup) samplesMs.push(finished - started);
      }
      await worker.stop();
      result.samplesMs = samplesMs;
    } else {
      throw new Error(`unknown mode ${mode}; expected throughput or latency`);
    }
  } finally {
    await stats.end();
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Entry point of a runner script: a failure is one line on stderr and a non-zero exit. */
export function main(peer) {
  runPeer(peer).then(
    () => process.exit(0),
    (error) => {
      log(`${peer.name} failed: ${error?.stack ?? error}`);
      process.exit(1);
    },
  );
}
