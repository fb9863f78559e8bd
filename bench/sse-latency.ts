import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Client, Connection } from '@temporalio/client';
import postgres from 'postgres';
import { connectDatabase, migrateDatabase } from '../db/client';
import { ensureDefaultTenant } from '../db/tenants';
import { closeServer, startApi } from '../runtime/api-server';
import { freePort } from '../runtime/ports';
import { startEmbeddedPostgres } from '../runtime/postgres';
import { openSse, type SseConnection } from '../test/sse-client';
import { type ApiProcess, startApiProcess } from './api-process';
import { writeResultsSection } from './results-file';
import { percentile } from './stats';

/**
 * `npm run bench:sse`: how long an event takes from its commit in Postgres to the clients of
 * the tenant-wide event stream, with CLIENTS clients connected to one API process of its own.
 */

const log = (line: string) => console.log(`[sse-latency] ${line}`);
const numberFromEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (Number.isInteger(value) && value > 0) return value;
  console.error(`The sse-latency benchmark failed: ${name} must be a positive integer`);
  process.exit(1);
};

const CLIENTS = numberFromEnv('SSE_CLIENTS', 100);
const EVENTS = numberFromEnv('SSE_EVENTS', 1_000);
const RATE = numberFromEnv('SSE_RATE', 50);
const WARM_UP_MS = 2_000;
/** How long deliveries may trail the last commit before the missing ones are counted. */
const DRAIN_MS = 15_000;
const DURABLE = true;

/** The API alone; Temporal is never dialled by the event routes. */
async function serve() {
  const database = connectDatabase(process.env.DATABASE_URL ?? '', { max: 20 });
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const api = await startApi(
    {
      config: {
        TASK_QUEUE: 'sse-latency',
        TEMPORAL_NAMESPACE: 'default',
        BATCH_SIZE: 100,
        CHUNK_SIZE: 2000,
        HISTORY_EVENTS_LIMIT: 8000,
      },
      database,
      temporal,
    },
    '127.0.0.1',
    0,
  );
  console.log(`listening ${api.url}`);
  process.once('SIGTERM', async () => {
    await closeServer(api.server);
    await database.close();
    process.exit(0);
  });
}

/** When each measured event was handed to the driver and when its commit was acknowledged. */
interface Written {
  sent: number;
  committed: number;
}

/**
 * Inserts `count` events at `rate` per second on a fixed schedule: an insert is sent on its
 * tick whether or not the previous one has committed, so a slow commit does not lower the rate.
 * Times are `performance.timeOrigin + performance.now()`, the clock the clients stamp with.
 */
async function write(
  sql: postgres.Sql,
  tenantId: string,
  count: number,
  rate: number,
  warmUp: boolean,
  written: Written[],
) {
  const now = () => performance.timeOrigin + performance.now();
  const start = performance.now();
  const inserts: Promise<void>[] = [];
  for (let seq = 0; seq < count; seq++) {
    const due = start + (seq * 1000) / rate - performance.now();
    if (due > 0) await sleep(due);
    const sentAt = now();
    inserts.push(
      sql`insert into events (tenant_id, type, data)
        values (${tenantId}::uuid, 'operation.progress', ${sql.json({ seq, sentAt, warmUp })})`.then(
        () => {
          if (!warmUp) written[seq] = { sent: sentAt, committed: now() };
        },
      ),
    );
    if (!warmUp && (seq + 1) % 200 === 0) log(`  ${seq + 1} of ${count} events sent`);
  }
  await Promise.all(inserts);
  return (count * 1000) / (performance.now() - start);
}

interface WriterJob {
  url: string;
  tenantId: string;
  warmUpEvents: number;
}

/**
 * The writer's thread: its own event loop, so the parsing of 100 streams on the main thread
 * does not delay the moment it sees a commit acknowledged. Both threads' `timeOrigin + now()`
 * are one clock.
 */
async function writer({ url, tenantId, warmUpEvents }: WriterJob) {
  // A few connections, so an insert waiting on a slow commit does not hold back the next.
  const sql = postgres(url, { max: 4, onnotice: () => {} });
  try {
    const written: Written[] = [];
    await write(sql, tenantId, warmUpEvents, RATE, true, written);
    log(`writing ${EVENTS} events at ${RATE}/s`);
    const achievedRate = await write(sql, tenantId, EVENTS, RATE, false, written);
    parentPort?.postMessage({ written, achievedRate });
  } finally {
    await sql.end();
  }
}

type Writes = { written: Written[]; achievedRate: number };

/** Runs `writer` in a worker thread of this file; tsx's loader is registered there first. */
function runWriter(job: WriterJob): Promise<Writes> {
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: job });
  let writes: Writes | undefined;
  return new Promise<Writes>((resolve, reject) => {
    worker.once('message', (message: Writes) => {
      writes = message;
    });
    worker.once('error', reject);
    worker.once('exit', (code) =>
      writes ? resolve(writes) : reject(new Error(`the writer thread exited with ${code}`)),
    );
  }).finally(() => worker.terminate());
}

interface Result {
  received: number;
  expected: number;
  missing: string[];
  achievedRate: number;
  fromCommit: { p50: number; p95: number; p99: number; max: number };
  /** Deliveries read before the writer had their commit's acknowledgement. */
  beforeAck: number;
  fromSend: { p50: number; p95: number; p99: number; max: number };
}

/** Every client's deliveries of the measured events, matched to their writes by `data.seq`. */
function tally(clients: SseConnection[], written: Written[], achievedRate: number): Result {
  const fromCommit: number[] = [];
  const fromSend: number[] = [];
  const missing: string[] = [];
  clients.forEach((client, index) => {
    const seen = new Set<number>();
    for (const message of client.messages) {
      const { data } = JSON.parse(message.data) as { data: { seq: number; warmUp: boolean } };
      const write = written[data.seq];
      if (data.warmUp || !write || seen.has(data.seq)) continue;
      seen.add(data.seq);
      const receivedAt = performance.timeOrigin + message.at;
      fromCommit.push(receivedAt - write.committed);
      fromSend.push(receivedAt - write.sent);
    }
    if (seen.size < EVENTS) missing.push(`client ${index}: ${EVENTS - seen.size} missing`);
  });
  const summary = (values: number[]) => ({
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: percentile(values, 100),
  });
  return {
    received: fromCommit.length,
    expected: CLIENTS * EVENTS,
    missing,
    achievedRate,
    fromCommit: summary(fromCommit),
    beforeAck: fromCommit.filter((latency) => latency < 0).length,
    fromSend: summary(fromSend),
  };
}

function renderSection(r: Result): string {
  const ms = (value: number) => value.toFixed(1);
  const c = r.fromCommit;
  const s = r.fromSend;
  return [
    '<!-- sse-latency:start -->',
    '## Event stream latency (`npm run bench:sse`)',
    '',
    `Last written ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, shared with other work (figures are noisy). Embedded Postgres with fsync and synchronous_commit ${DURABLE ? 'on' : 'off'}. ${CLIENTS} clients follow \`GET /v1/events/stream\` of one tenant on an API running in its own process; after ${WARM_UP_MS / 1000} s of unmeasured events at the same rate, one writer inserts ${EVENTS.toLocaleString('en')} events, each its own transaction, on a fixed schedule of ${RATE}/s. Latency is the time from the writer's commit acknowledgement to a client reading the message, over every delivery; "from send" counts from handing the insert to the driver instead. The commit itself lies between the two: the event is visible once committed, and on these shared cores the acknowledgement sometimes reaches the writer later than the event reaches the clients (${r.beforeAck.toLocaleString('en')} deliveries here, counted below zero). Clients and writer run in one process (the writer in a thread of its own) on one clock.`,
    '',
    '| clients | events | rate (/s, achieved) | deliveries | missing | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | from send p50 / p95 / p99 / max (ms) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    `| ${CLIENTS} | ${EVENTS.toLocaleString('en')} | ${RATE} (${r.achievedRate.toFixed(1)}) | ${r.received.toLocaleString('en')} / ${r.expected.toLocaleString('en')} | ${r.expected - r.received} | ${ms(c.p50)} | ${ms(c.p95)} | ${ms(c.p99)} | ${ms(c.max)} | ${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)} / ${ms(s.max)} |`,
    '<!-- sse-latency:end -->',
  ].join('\n');
}

async function measure(apiUrl: string, key: string, url: string, tenantId: string) {
  const clients: SseConnection[] = [];
  try {
    log(`connecting ${CLIENTS} clients`);
    for (let i = 0; i < CLIENTS; i++) {
      const client = await openSse(`${apiUrl}/v1/events/stream`, key);
      clients.push(client);
      if (client.status !== 200) throw new Error(`client ${i} got HTTP ${client.status}`);
    }
    // Events written before a stream's `: ready` might reach it from the backlog or not at all.
    await Promise.all(clients.map((client) => client.until(() => client.comments > 0, 30_000)));
    log(`all ${CLIENTS} clients ready; warming up for ${WARM_UP_MS / 1000} s`);
    const warmUpEvents = Math.round((WARM_UP_MS / 1000) * RATE);
    const { written, achievedRate } = await runWriter({ url, tenantId, warmUpEvents });
    log(`all committed (${achievedRate.toFixed(1)}/s); waiting for deliveries`);
    const all = (messages: unknown[]) => messages.length >= warmUpEvents + EVENTS;
    await Promise.allSettled(clients.map((client) => client.until(all, DRAIN_MS)));
    return tally(clients, written, achievedRate);
  } finally {
    for (const client of clients) client.close();
  }
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'conveyor-sse-latency-'));
  // Postgres runs as its own user, which must reach into the data directory.
  chmodSync(dataDir, 0o755);
  let pg: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  let api: ApiProcess | undefined;
  try {
    pg = await startEmbeddedPostgres({ dataDir, port: await freePort(), durable: DURABLE, log });
    await pg.createDatabase('conveyor');
    const url = pg.urlFor('conveyor');
    await migrateDatabase(url);
    const database = connectDatabase(url, { max: 1 });
    const key = `cvk_sse_latency_${Date.now()}`;
    const tenantId = await ensureDefaultTenant(database.db, key);
    await database.close();
    api = await startApiProcess(fileURLToPath(import.meta.url), url);
    const result = await measure(api.url, key, url, tenantId);
    const section = renderSection(result);
    writeResultsSection('sse-latency', section);
    console.log(`\n${section}\nWritten to bench/results.md`);
    if (result.missing.length > 0) {
      throw new Error(
        `${result.expected - result.received} deliveries missing (${result.missing.slice(0, 5).join('; ')})`,
      );
    }
  } finally {
    await api?.stop();
    await pg?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const failed = (what: string) => (error: Error) => {
  console.error(`${what} failed: ${error.message.split('\n')[0]}`);
  process.exit(1);
};

if (!isMainThread) {
  // A rejection ends the thread and reaches the main thread as the worker's 'error'.
  void writer(workerData as WriterJob);
} else if (process.argv[2] === 'serve') {
  serve().catch(failed('The sse-latency API'));
} else {
  // Aborted fetch bodies may keep the loop alive a while; the work is done.
  main().then(() => process.exit(0), failed('The sse-latency benchmark'));
}
