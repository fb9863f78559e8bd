import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { median, percentile } from '../stats';
import { ensurePeerRuntime, type PeerRuntime } from './setup';

/**
 * Two peer Postgres job queues doing the engine benchmark's work (items × stages of a no-op
 * handler, each item's outcome per stage a row in Postgres) on the same server as Conveyor.
 */
export interface PeerResult {
  name: string;
  version: string;
  node: string;
  /** Median of `runs`. */
  itemStagesPerSecond: number;
  runs: number[];
  singleItemP50Ms: number;
  singleItemP95Ms: number;
  /** Median over the runs of (inserted + updated + deleted rows) / item-stages. */
  rowsPerItemStage: number;
  notes: string;
}

interface Peer {
  name: string;
  script: string;
  database: string;
}

const PEERS: Peer[] = [
  { name: 'graphile-worker', script: 'graphile-worker-run.mjs', database: 'peer_graphile' },
  { name: 'pg-boss', script: 'pg-boss-run.mjs', database: 'peer_pgboss' },
];

/** What a runner prints as its last stdout line (see harness.mjs). */
interface RunnerOutput {
  version: string;
  node: string;
  notes: string;
  durable: boolean;
  itemStagesPerSecond?: number;
  rowsPerItemStage?: number;
  samplesMs?: number[];
}

const CHILD_TIMEOUT_MS = 10 * 60_000;

function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(statement);
  } finally {
    await sql.end();
  }
}

// A fresh database per run, so no run inherits the previous one's jobs, dead rows or sequences.
async function recreateDatabase(serverUrl: string, database: string): Promise<void> {
  await onServer(serverUrl, `drop database if exists "${database}" with (force)`);
  await onServer(serverUrl, `create database "${database}"`);
}

function runChild(
  runtime: PeerRuntime,
  peer: Peer,
  mode: 'throughput' | 'latency',
  env: Record<string, string>,
  log: (line: string) => void,
): Promise<RunnerOutput> {
  const script = fileURLToPath(new URL(`./${peer.script}`, import.meta.url));
  // Only what the runner needs: the parent's NODE_OPTIONS (say, tsx's loader) is not for Node 22.
  const child = spawn(runtime.node, [script, mode], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().trimEnd().split('\n')) log(`  ${peer.name}: ${line}`);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trimEnd().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{'))
        return reject(new Error(`${peer.name} ${mode} run exited with ${signal ?? code}`));
      resolve(JSON.parse(last) as RunnerOutput);
    });
  });
}

/**
 * Runs each peer under the Node 22 of .cache/bench-peers (installed on first use): `runs`
 * throughput runs of items × stages on a fresh database each (each after an unmeasured run of
 * `warmupItems` in its process), then `latencySamples` sequential 1-item runs after a warm-up.
 * Peers run one after the other, never beside each other or Conveyor.
 */
export async function runPeers(options: {
  serverUrl: string;
  items?: number;
  stages?: number;
  batchSize?: number;
  runs?: number;
  latencySamples?: number;
  /** Items of the unmeasured run before each measured one (the harness's default: 1,000). */
  warmupItems?: number;
  log: (line: string) => void;
}): Promise<PeerResult[]> {
  const { serverUrl, log } = options;
  const items = options.items ?? 10_000;
  const stages = options.stages ?? 3;
  const runtime = await ensurePeerRuntime(log);
  const results: PeerResult[] = [];
  for (const peer of PEERS) {
    const url = databaseUrl(serverUrl, peer.database);
    const env = {
      PEER_CACHE_DIR: runtime.dir,
      PEER_DATABASE_URL: url,
      PEER_ITEMS: String(items),
      PEER_STAGES: String(stages),
      PEER_BATCH_SIZE: String(options.batchSize ?? 100),
      PEER_LATENCY_SAMPLES: String(options.latencySamples ?? 30),
      ...(options.warmupItems === undefined
        ? {}
        : { PEER_WARMUP_ITEMS: String(options.warmupItems) }),
    };
    const runs: number[] = [];
    const rows: number[] = [];
    log(`${peer.name}: ${options.runs ?? 3} runs of ${items} items × ${stages} stages`);
    try {
      for (let run = 1; run <= (options.runs ?? 3); run++) {
        await recreateDatabase(serverUrl, peer.database);
        const output = await runChild(runtime, peer, 'throughput', env, log);
        runs.push(output.itemStagesPerSecond ?? Number.NaN);
        rows.push(output.rowsPerItemStage ?? Number.NaN);
        log(
          `${peer.name} run ${run}: ${runs.at(-1)?.toFixed(0)} item-stages/s, ` +
            `${rows.at(-1)?.toFixed(3)} rows written per item-stage`,
        );
      }
      await recreateDatabase(serverUrl, peer.database);
      const latency = await runChild(runtime, peer, 'latency', env, log);
      const samples = latency.samplesMs ?? [];
      const result: PeerResult = {
        name: peer.name,
        version: latency.version,
        node: latency.node,
        itemStagesPerSecond: median(runs),
        runs,
        singleItemP50Ms: percentile(samples, 50),
        singleItemP95Ms: percentile(samples, 95),
        rowsPerItemStage: median(rows),
        notes: latency.durable
          ? latency.notes
          : `${latency.notes}; NOT durable: synchronous_commit or fsync is off`,
      };
      log(
        `${peer.name} ${result.version}: single item × ${stages} stages p50 ` +
          `${result.singleItemP50Ms.toFixed(1)} ms, p95 ${result.singleItemP95Ms.toFixed(1)} ms`,
      );
      results.push(result);
    } finally {
      await onServer(serverUrl, `drop database if exists "${peer.database}" with (force)`);
    }
  }
  return results;
}
