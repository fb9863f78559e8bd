import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { connectDatabase, type Database, inTransaction } from '../db/client';
import { freePort } from '../runtime/ports';
import { type RunningPostgres, startEmbeddedPostgres } from '../runtime/postgres';
import { reachableDataDir } from './runtime-support';

/**
 * The database client through a Postgres killed mid-transaction, as a worker's batch recorder
 * meets it. Unpatched, the driver wrote the failed transaction's ROLLBACK to a closed socket: an
 * uncaught TypeError that killed the worker (the fault suite's postgres-restart saw it), and its
 * reconnect backoff left the pool idle for up to 20 s after Postgres was back.
 */

const dataDir = reachableDataDir('conveyor-dbclient-');
let pg: RunningPostgres | undefined;
let database: Database | undefined;

afterAll(async () => {
  await database?.close().catch(() => {});
  await pg?.stop().catch(() => {});
  rmSync(dirname(dataDir), { recursive: true, force: true });
});

const WRITERS = 16;
/** After Postgres accepts connections again, every writer commits within this. */
const RECOVERY_MS = 6_000;

it('survives Postgres killed under concurrent transactions and recovers within seconds', async () => {
  const port = await freePort();
  pg = await startEmbeddedPostgres({ dataDir, port, durable: false });
  const db = connectDatabase(pg.adminUrl);
  database = db;
  await db.sql`create table counters (id int primary key, hits int not null)`;
  await db.sql`insert into counters select g, 0 from generate_series(0, ${WRITERS - 1}) g`;

  const lastCommit: number[] = [];
  const failures = new Set<string>();
  let stop = false;
  const writers = Array.from({ length: WRITERS }, async (_, n) => {
    while (!stop) {
      try {
        await inTransaction(db, async (tx) => {
          await tx.sql`update counters set hits = hits + 1 where id = ${n}`;
          await tx.sql`select pg_sleep(0.01)`;
          await tx.sql`update counters set hits = hits + 1 where id = ${(n + 1) % WRITERS}`;
        });
        lastCommit[n] = Date.now();
      } catch (error) {
        failures.add((error as { code?: string }).code ?? (error as Error).message);
        await sleep(50);
      }
    }
  });

  await sleep(1_000);
  process.kill(pg.pid, 'SIGKILL');
  await sleep(3_000);
  pg = await startEmbeddedPostgres({ dataDir, port, durable: false, stopOrphans: true });
  const back = Date.now();
  await sleep(RECOVERY_MS);
  stop = true;
  const settled = await Promise.race([Promise.all(writers).then(() => true), sleep(10_000, false)]);
  expect(settled, 'every writer returns once told to stop').toBe(true);

  expect(failures.size).toBeGreaterThan(0);
  const stuck = Array.from({ length: WRITERS }, (_, n) => n).filter(
    (n) => (lastCommit[n] ?? 0) < back,
  );
  expect(stuck, 'writers with no commit since Postgres came back').toEqual([]);
});
