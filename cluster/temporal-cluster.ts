import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { freePort, isPortFree } from '../runtime/ports';
import type { RunningPostgres } from '../runtime/postgres';
import { registerSearchAttributes } from '../runtime/temporal-server';
import type { TemporalBinaries } from './temporal-build';

export const TEMPORAL_SERVICES = ['frontend', 'history', 'matching', 'worker'] as const;
export type TemporalService = (typeof TEMPORAL_SERVICES)[number];

export interface TemporalCluster {
  address: string;
  namespace: string;
  /** Kills a service's process (SIGKILL) and, unless `forGood`, starts it again. */
  restart(service: TemporalService): Promise<void>;
  stop(): Promise<void>;
}

interface Ports {
  grpc: number;
  membership: number;
  http?: number;
}

/** The server's configuration: Postgres for persistence and visibility, one process a service. */
function config(
  db: { host: string; port: number; user: string; password: string },
  shards: number,
  ports: Record<TemporalService, Ports>,
) {
  const store = (name: string, maxConns: number) => `
      sql:
        pluginName: "postgres12"
        databaseName: "${name}"
        connectAddr: "${db.host}:${db.port}"
        connectProtocol: "tcp"
        user: "${db.user}"
        password: "${db.password}"
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: "1h"`;
  const service = (name: TemporalService) => `
  ${name}:
    rpc:
      grpcPort: ${ports[name].grpc}
      membershipPort: ${ports[name].membership}
      bindOnLocalHost: true${ports[name].http ? `\n      httpPort: ${ports[name].http}` : ''}`;
  return `log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: ${shards}
  datastores:
    default:${store('temporal', 20)}
    visibility:${store('temporal_visibility', 5)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"
services:${TEMPORAL_SERVICES.map(service).join('')}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:${ports.frontend.grpc}"
dcRedirectionPolicy:
  policy: "noop"
`;
}

/**
 * A free port below 32768: the membership table stores ports as smallint, so an ephemeral port
 * from the kernel stops the service at start.
 */
async function membershipPort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await isPortFree(port)) return port;
  }
  throw new Error(
    'No free port between 20000 and 32000 for Temporal membership; free some and retry.',
  );
}

/** Creates a database and brings its schema to the server's version with the SQL tool. */
function setUpSchema(
  binaries: TemporalBinaries,
  postgres: { port: number; user: string; password: string },
  database: string,
  schema: string,
) {
  const base = [
    '--plugin',
    'postgres12',
    '--ep',
    '127.0.0.1',
    '-p',
    String(postgres.port),
    '-u',
    postgres.user,
    '--pw',
    postgres.password,
    '--db',
    database,
  ];
  for (const args of [
    ['create-database'],
    ['setup-schema', '-v', '0.0'],
    ['update-schema', '--schema-name', schema],
  ]) {
    const run = spawnSync(binaries.sqlTool, [...base, ...args], { encoding: 'utf8' });
    if (run.status !== 0) {
      throw new Error(
        `temporal-sql-tool ${args[0]} on ${database} failed: ${(run.stderr || run.stdout).trim().split('\n').at(-1)}`,
      );
    }
  }
}

async function waitForFrontend(address: string, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: '2s' });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(
          `The Temporal frontend at ${address} did not answer: ${(error as Error).message}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** Registers the namespace (three days of retention) unless it exists. */
async function registerNamespace(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      // protobufjs takes a number where the type says Long.
      workflowExecutionRetentionPeriod: { seconds: (3 * 86_400) as never },
    });
  } catch (error) {
    if (!/already exists/i.test((error as Error).message)) throw error;
  } finally {
    await connection.close();
  }
  // The frontend caches namespaces for a few seconds; wait until it knows this one.
  for (let attempt = 0; attempt < 60; attempt++) {
    const check = await Connection.connect({ address });
    try {
      await check.workflowService.describeNamespace({ namespace });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await check.close();
    }
  }
}

/**
 * A Temporal cluster of four processes (frontend, history with `shards` shards, matching,
 * worker) on the given Postgres: schemas set up with the SQL tool, the namespace and
 * Conveyor's search attributes registered. Logs go to `dir/temporal-<service>.log`.
 */
export async function startTemporalCluster(options: {
  binaries: TemporalBinaries;
  postgres: RunningPostgres;
  dir: string;
  shards: number;
  namespace: string;
  log: (line: string) => void;
}): Promise<TemporalCluster> {
  const url = new URL(options.postgres.adminUrl);
  const db = {
    host: '127.0.0.1',
    port: Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
  options.log('Setting up the temporal and temporal_visibility schemas …');
  setUpSchema(options.binaries, db, 'temporal', 'postgresql/v12/temporal');
  setUpSchema(options.binaries, db, 'temporal_visibility', 'postgresql/v12/visibility');

  const ports = {} as Record<TemporalService, Ports>;
  for (const service of TEMPORAL_SERVICES) {
    ports[service] = { grpc: await freePort(), membership: await membershipPort() };
  }
  ports.frontend.http = await freePort();
  const configFile = join(options.dir, 'temporal.yaml');
  writeFileSync(configFile, config(db, options.shards, ports));

  const processes = new Map<TemporalService, ChildProcess>();
  const start = (service: TemporalService) => {
    const out = openSync(join(options.dir, `temporal-${service}.log`), 'a');
    const child = spawn(
      options.binaries.server,
      ['--config-file', configFile, '--allow-no-auth', 'start', '--service', service],
      { stdio: ['ignore', out, out] },
    );
    processes.set(service, child);
  };
  const kill = async (service: TemporalService, signal: NodeJS.Signals) => {
    const child = processes.get(service);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  };
  options.log(
    `Starting Temporal: ${TEMPORAL_SERVICES.join(', ')} (${options.shards} history shards) …`,
  );
  for (const service of TEMPORAL_SERVICES) start(service);
  const address = `127.0.0.1:${ports.frontend.grpc}`;
  await waitForFrontend(address, 90_000);
  await registerNamespace(address, options.namespace);
  await registerSearchAttributes(address, options.namespace);
  options.log(`Temporal cluster at ${address}, namespace ${options.namespace}`);
  return {
    address,
    namespace: options.namespace,
    async restart(service) {
      await kill(service, 'SIGKILL');
      start(service);
      if (service === 'frontend') await waitForFrontend(address, 60_000);
    },
    async stop() {
      for (const service of [...TEMPORAL_SERVICES].reverse()) await kill(service, 'SIGTERM');
    },
  };
}
