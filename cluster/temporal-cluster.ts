import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { freePort } from '../runtime/ports';
import type { RunningPostgres } from '../runtime/postgres';
import { registerSearchAttributes } from '../runtime/temporal-server';
import { temporalDependency, waitOut } from '../runtime/waiting';
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

/**
 * Resolves once the frontend answers; throws when `deadlineMs` passes or `failed()` names a
 * service that stopped meanwhile, so a dead process is reported at once, not after the deadline.
 */
async function waitForFrontend(
  address: string,
  deadlineMs: number,
  failed: () => string | undefined = () => undefined,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const stopped = failed();
    if (stopped) throw new Error(`The Temporal ${stopped}`);
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

/** The last lines of a service's log, for an error that has to say why it did not start. */
function logTail(file: string, lines = 8): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
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

  const processes = new Map<TemporalService, ChildProcess>();
  const logFile = (service: TemporalService) => join(options.dir, `temporal-${service}.log`);
  let configFile = '';
  const start = (service: TemporalService) => {
    const out = openSync(logFile(service), 'a');
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
  /** A service that has exited, and how: the first found. */
  const deadService = (): { service: TemporalService; status: string | number } | undefined => {
    for (const [service, child] of processes) {
      const status = child.exitCode ?? child.signalCode;
      if (status !== null) return { service, status };
    }
    return undefined;
  };
  const stopped = () => {
    const dead = deadService();
    return dead && `${dead.service} exited (${dead.status}) while starting`;
  };

  let address = '';
  // A second try on fresh ports: a start that fails on a shared machine is most often a port
  // taken between choosing it and binding it.
  for (let attempt = 1; ; attempt++) {
    // Below 32768 (freePort's range): the membership table stores ports as smallint.
    const ports = {} as Record<TemporalService, Ports>;
    for (const service of TEMPORAL_SERVICES) {
      ports[service] = { grpc: await freePort(), membership: await freePort() };
    }
    ports.frontend.http = await freePort();
    configFile = join(options.dir, `temporal-${attempt}.yaml`);
    writeFileSync(configFile, config(db, options.shards, ports));
    options.log(
      `Starting Temporal: ${TEMPORAL_SERVICES.join(', ')} (${options.shards} history shards) …`,
    );
    // The frontend first: a service that finds no cluster metadata writes it, and services
    // starting together race on that row (the loser, often the worker service that runs
    // schedules, exits on the duplicate key). The frontend has written it once it answers.
    start('frontend');
    address = `127.0.0.1:${ports.frontend.grpc}`;
    try {
      await waitForFrontend(address, 90_000, stopped);
      for (const service of TEMPORAL_SERVICES) if (service !== 'frontend') start(service);
      break;
    } catch (error) {
      for (const service of TEMPORAL_SERVICES) await kill(service, 'SIGKILL');
      const logs = TEMPORAL_SERVICES.map(
        (service) => `--- ${service}\n${logTail(logFile(service))}`,
      ).join('\n');
      if (attempt === 2) throw new Error(`${(error as Error).message}\n${logs}`);
      options.log(`${(error as Error).message}; starting it again on other ports.\n${logs}`);
    }
  }
  // A frontend that answers may still be acquiring shards: its first requests can time out.
  const frontend = temporalDependency(address);
  const wait = { log: options.log };
  await waitOut(frontend, () => registerNamespace(address, options.namespace), wait);
  await waitOut(frontend, () => registerSearchAttributes(address, options.namespace), wait);
  // A service that died while starting would otherwise show only as requests that hang.
  const dead = deadService();
  if (dead) {
    throw new Error(
      `The Temporal ${dead.service} exited (${dead.status}) while starting:\n${logTail(logFile(dead.service))}`,
    );
  }
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
