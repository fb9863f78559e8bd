/**
 * Proves the results export streams in constant memory: seeds a collection of 1,000,000 items
 * with one result each (and one of 100,000 to compare), then streams each export over HTTP from
 * an API process of its own and reads that process's peak resident memory from the kernel.
 *
 *   npx tsx bench/export.ts                  embedded Postgres in a temporary directory
 *   DATABASE_URL=… npx tsx bench/export.ts   an existing (preferably empty) database
 *
 * EXPORT_ITEMS and EXPORT_SMALL_ITEMS change the two sizes.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { jobDefinitionSchema } from '../common/domain';
import { connectDatabase, type Database, migrateDatabase } from '../db/client';
import { createCollection } from '../db/collections';
import { claimBatch, planRanges, recordOutcomes, seedItemStages } from '../db/item-stages';
import { upsertItems } from '../db/items';
import { insertOperation } from '../db/operations';
import { ensureDefaultTenant } from '../db/tenants';
import { startApi } from '../runtime/api-server';
import { freePort } from '../runtime/ports';
import { startEmbeddedPostgres } from '../runtime/postgres';
import { startApiProcess } from './api-process';

const log = (line: string) => console.log(`[export] ${line}`);
const numberFromEnv = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

const UPSERT_BATCH = 10_000;
const OUTCOME_BATCH = 2_000;

/**
 * Seeds a collection through the engine's own write path (item upserts, item stages, claims,
 * recorded outcomes), so the results are the rows a real operation leaves.
 */
async function seedCollection(database: Database, tenantId: string, items: number) {
  const { db, sql } = database;
  const suffix = randomBytes(3).toString('hex');
  const collection = await createCollection(db, tenantId, { name: `export-${items}-${suffix}` });
  for (let start = 0; start < items; start += UPSERT_BATCH) {
    const batch = Array.from({ length: Math.min(UPSERT_BATCH, items - start) }, (_, i) => ({
      key: `https://example.com/page/${start + i}`,
      data: { n: start + i },
    }));
    await upsertItems(sql, tenantId, collection.id, batch);
  }
  const definition = jobDefinitionSchema.parse({
    name: 'export-bench',
    stages: [{ name: 'extract', handler: 'noop' }],
  });
  const operationId = `op-export-bench-${suffix}`;
  await insertOperation(db, {
    id: operationId,
    tenantId,
    jobName: definition.name,
    jobVersion: 1,
    definition,
    scope: 'collection',
    collectionId: collection.id,
    status: 'completed',
  });
  await seedItemStages(sql, operationId, { first: 0, count: 1 }, { collectionId: collection.id });
  const context = {
    operationId,
    stageIndex: 0,
    stageName: 'extract',
    isLastStage: true,
    handler: 'noop',
    handlerVersion: '1',
    storeResults: true,
    keepOutput: false,
  };
  for (const range of await planRanges(sql, operationId, 0, OUTCOME_BATCH)) {
    const claimed = await claimBatch(sql, operationId, 0, range);
    await recordOutcomes(
      sql,
      context,
      claimed.map((item) => ({
        itemId: item.itemId,
        status: 'done' as const,
        startedAt: Date.now(),
        durationMs: 1,
        output: { title: `Page ${item.key.slice(-7)}`, words: item.itemId % 997, lang: 'en' },
      })),
    );
  }
  return collection.id;
}

/** The kernel's high-water mark of a process's resident memory (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

/** Streams an export, counting lines and bytes without keeping them. */
async function readExport(url: string, key: string) {
  const started = performance.now();
  const response = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  if (response.status !== 200 || !response.body) {
    throw new Error(`export answered ${response.status}: ${await response.text()}`);
  }
  let lines = 0;
  let bytes = 0;
  let firstByteMs = 0;
  for await (const chunk of response.body) {
    firstByteMs ||= performance.now() - started;
    const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    bytes += buffer.length;
    for (let at = buffer.indexOf(10); at !== -1; at = buffer.indexOf(10, at + 1)) lines++;
  }
  return { lines, bytes, firstByteMs, seconds: (performance.now() - started) / 1000 };
}

interface Measurement {
  rows: number;
  seconds: number;
  firstByteMs: number;
  megabytes: number;
  idleRssMb: number;
  peakRssMb: number;
}

/**
 * A heap cap for the second run of each size. V8 lets garbage pile up to a few hundred MB before
 * a full collection, so the default run's peak says little about what the export holds; an
 * export of any size that completes under this cap holds less than it.
 */
const HEAP_CAP_MB = 64;

async function measure(
  databaseUrl: string,
  key: string,
  collectionId: string,
  nodeFlags: string[],
): Promise<Measurement> {
  const api = await startApiProcess(fileURLToPath(import.meta.url), databaseUrl, nodeFlags);
  try {
    const path = `${api.url}/v1/collections/${collectionId}/results/export`;
    // Warm up the route's code and the connection pool, so the idle figure includes them.
    await readExport(`${path}?stage=none`, key);
    const idleRssMb = peakRssMb(api.pid);
    const read = await readExport(path, key);
    return {
      rows: read.lines,
      seconds: read.seconds,
      firstByteMs: read.firstByteMs,
      megabytes: read.bytes / 1e6,
      idleRssMb,
      peakRssMb: peakRssMb(api.pid),
    };
  } finally {
    await api.stop();
  }
}

async function serve() {
  const database = connectDatabase(process.env.DATABASE_URL ?? '', { max: 4 });
  // The export never calls Temporal; a lazy connection is never opened.
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:7233' }) });
  const api = await startApi(
    {
      config: {
        TASK_QUEUE: 'export-bench',
        TEMPORAL_NAMESPACE: 'default',
        BATCH_SIZE: 100,
        CHUNK_SIZE: 2_000,
        HISTORY_EVENTS_LIMIT: 8_000,
      },
      database,
      temporal,
    },
    '127.0.0.1',
    0,
  );
  console.log(`listening ${api.url}`);
  process.once('SIGTERM', () => process.exit(0));
}

async function main() {
  const sizes = [numberFromEnv('EXPORT_SMALL_ITEMS', 100_000), numberFromEnv('EXPORT_ITEMS', 1e6)];
  let dataDir: string | undefined;
  let postgres: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    dataDir = mkdtempSync(join(tmpdir(), 'conveyor-export-'));
    // Postgres runs as its own user, which must reach into the data directory.
    chmodSync(dataDir, 0o755);
    // Not durable: only the seeding writes, and it is not what is measured.
    postgres = await startEmbeddedPostgres({ dataDir, port: await freePort(), durable: false });
    await postgres.createDatabase('conveyor_export');
    databaseUrl = postgres.urlFor('conveyor_export');
  }
  const database = connectDatabase(databaseUrl, { max: 4 });
  try {
    await migrateDatabase(databaseUrl);
    const key = `cvk_export_${randomBytes(8).toString('hex')}`;
    const tenantId = await ensureDefaultTenant(database.db, key);
    const rows: { heap: string; measured: Measurement }[] = [];
    for (const items of sizes) {
      const seeding = performance.now();
      const collectionId = await seedCollection(database, tenantId, items);
      log(
        `seeded ${items} items with results in ${((performance.now() - seeding) / 1000).toFixed(0)} s`,
      );
      for (const heap of ['default', `capped at ${HEAP_CAP_MB} MB`]) {
        const flags = heap === 'default' ? [] : [`--max-old-space-size=${HEAP_CAP_MB}`];
        const measured = await measure(databaseUrl, key, collectionId, flags);
        if (measured.rows !== items)
          throw new Error(`exported ${measured.rows} of ${items} results`);
        log(`exported ${measured.rows} rows in ${measured.seconds.toFixed(1)} s (heap ${heap})`);
        rows.push({ heap, measured });
      }
    }
    console.log(
      '\n| rows | V8 heap | MB sent | first byte (ms) | seconds | rows/s | API RSS idle (MB) | API RSS peak (MB) |',
    );
    console.log('|---:|---|---:|---:|---:|---:|---:|---:|');
    for (const { heap, measured: row } of rows) {
      console.log(
        `| ${row.rows.toLocaleString('en')} | ${heap} | ${row.megabytes.toFixed(0)} | ${row.firstByteMs.toFixed(0)} | ${row.seconds.toFixed(1)} | ${Math.round(row.rows / row.seconds).toLocaleString('en')} | ${row.idleRssMb.toFixed(0)} | ${row.peakRssMb.toFixed(0)} |`,
      );
    }
  } finally {
    await database.close();
    await postgres?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

const run = process.argv[2] === 'serve' ? serve : main;
run().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
