import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../common/constants';
import { portInUseError, StartError } from '../common/start-error';
import { accepts, freePort, waitForFreePort } from './ports';
import { allPids, commandLine, Deadline, keepPreviousLog, stopProcesses } from './processes';
import { resolveTemporalCli } from './temporal-cli';
import { startSdkDevServer } from './temporal-sdk-server';

export interface DevServerOptions {
  /** Where the SQLite file lives; omit for an in-memory server (tests). */
  dataDir?: string;
  /** The frontend's port; omitted, a free one is chosen. */
  port?: number;
  /** The Web UI's port; omitted, the server runs without a UI. */
  uiPort?: number;
  namespace: string;
  cliPath?: string;
  /**
   * SQLite syncs at commit points (synchronous=NORMAL) unless this is false; only tests may
   * turn that off, since a machine crash could then lose workflow history the server acknowledged.
   */
  durable?: boolean;
  /**
   * The caller owns DATA_DIR (it holds DATA_DIR/conveyor.pid), so a dev server still running on
   * its SQLite file was left by a killed Conveyor and may be stopped.
   */
  stopOrphans?: boolean;
  /** Bound on all waiting of this start: for a previous server to exit, ports, readiness. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface RunningDevServer {
  address: string;
  uiUrl?: string;
  /** The server's pid, when Conveyor spawned it (not when the SDK downloaded and ran one). */
  pid?: number;
  stop(): Promise<void>;
}

/** Dev servers whose command line names `dbFilename`: the only users of that SQLite file. */
function devServersOn(dbFilename: string): number[] {
  return allPids().filter((pid) => {
    const argv = commandLine(pid) ?? [];
    return argv.some(
      (arg, i) =>
        arg === `--db-filename=${dbFilename}` ||
        (arg === dbFilename && ['--db-filename', '-f'].includes(argv[i - 1] ?? '')),
    );
  });
}

async function stopOrphans(dbFilename: string, options: DevServerOptions, deadline: Deadline) {
  const pids = devServersOn(dbFilename);
  if (pids.length === 0) return;
  if (!options.stopOrphans) {
    throw new StartError(
      `Cannot start the Temporal dev server: another one (pid ${pids.join(', ')}) is using ${dbFilename}; stop it first.`,
    );
  }
  options.log?.(`Stopping the Temporal dev server a previous start left running (pid ${pids}) …`);
  const graceMs = Math.min(15_000, deadline.remaining());
  if (!(await stopProcesses(pids, { gently: 'SIGTERM', graceMs }))) {
    throw new StartError(
      `Cannot start the Temporal dev server: the previous one (pid ${pids}) does not exit; kill it and start again.`,
    );
  }
}

/** The line of the server's output that says why it stopped. */
function exitCause(output: string): string | undefined {
  const lines = output.split('\n').map((line) => line.trim());
  return (
    lines.findLast((line) => line.startsWith('Error:'))?.replace(/^Error:\s*/, '') ??
    lines.findLast((line) => /level=(ERROR|FATAL)/.test(line))
  );
}

/** A StartError for a server that exited before it was ready, port conflicts spelled out. */
function startFailure(output: string, exit: string, logName: string): StartError {
  // Without a line that says why, its last words are the best clue the person gets.
  const lastLine = output
    .split('\n')
    .map((line) => line.trim())
    .findLast(Boolean);
  const cause =
    exitCause(output) ??
    `the server exited (${exit})${lastLine ? `, last saying "${lastLine.slice(0, 300)}"` : ''}`;
  const port = /can't set (frontend|UI) port (\d+).*address already in use/.exec(cause);
  if (port?.[1] && port[2]) {
    const variable = port[1] === 'UI' ? 'TEMPORAL_UI_PORT' : 'TEMPORAL_PORT';
    return portInUseError('the Temporal dev server', Number(port[2]), variable);
  }
  return new StartError(`Cannot start the Temporal dev server: ${cause}; see ${logName}.`);
}

/**
 * The dev server's one history shard reads its task queue at most 20 times a second, so past a
 * short burst every workflow task waited up to 50 ms for its read: 40–50 ms per step of every
 * run (an empty workflow took 48 ms start to result, one with an activity 98). With the limit
 * raised they take 8 and 14. One write partition spares the task queue the forwarding between
 * partitions (itself limited to 10 a second) that slowed one dispatch in ten; lowering only the
 * write partitions is safe for a server started before on the same file. Fairness dispatches
 * the tasks of one priority in proportion to their tenants' weights, not in arrival order.
 */
const DEV_SERVER_DYNAMIC_CONFIG = [
  'history.transferProcessorMaxPollRPS=1000',
  'matching.numTaskqueueWritePartitions=1',
  'matching.enableFairness=true',
];

/**
 * Runs `temporal server start-dev` as Conveyor's own child, its output in DATA_DIR/temporal.log.
 * SQLite runs in WAL mode: the dev server has one SQLite connection and is otherwise limited to
 * tens of activities per second (DESIGN.md, Temporal facts).
 */
export async function startDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const log = options.log ?? (() => {});
  const deadline = new Deadline(options.timeoutMs ?? 60_000);
  const cli = await resolveTemporalCli({ explicitPath: options.cliPath, log });
  log(`Temporal CLI: ${cli.path ?? 'SDK download'} (from ${cli.source})`);
  let dbFilename: string | undefined;
  let logFile: string | undefined;
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    dbFilename = resolve(join(options.dataDir, 'temporal.sqlite'));
    logFile = resolve(join(options.dataDir, 'temporal.log'));
    await stopOrphans(dbFilename, options, deadline);
  }
  const args = [
    ...['--sqlite-pragma', 'journal_mode=WAL'],
    ...['--sqlite-pragma', `synchronous=${options.durable === false ? 'OFF' : 'NORMAL'}`],
    ...Object.values(SEARCH_ATTRIBUTES).flatMap((name) => [
      '--search-attribute',
      `${name}=Keyword`,
    ]),
    ...DEV_SERVER_DYNAMIC_CONFIG.flatMap((setting) => ['--dynamic-config-value', setting]),
  ];
  const uiUrl = options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined;
  if (!cli.path) {
    const server = await startSdkDevServer({ ...options, dbFilename, args, tried: cli.tried });
    await registerSearchAttributes(server.address, options.namespace);
    return { ...server, uiUrl };
  }

  const port = options.port ?? (await freePort());
  const what = 'the Temporal dev server';
  await waitForFreePort(port, { what, variable: 'TEMPORAL_PORT', deadline, log });
  if (options.uiPort) {
    await waitForFreePort(options.uiPort, { what, variable: 'TEMPORAL_UI_PORT', deadline, log });
  }
  const fullArgs = [
    ...['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port)],
    ...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']),
    ...(options.namespace === 'default' ? [] : ['--namespace', options.namespace]),
    ...(dbFilename ? ['--db-filename', dbFilename] : []),
    ...['--log-level', 'warn'],
    ...args,
  ];
  // A file outlives this process (an orphaned server keeps somewhere to write); without a
  // DATA_DIR (tests) the output is kept in memory for the error message only.
  let output = '';
  if (logFile) keepPreviousLog(logFile);
  const fd = logFile ? openSync(logFile, 'w') : undefined;
  let child: ChildProcess;
  try {
    child = spawn(cli.path, fullArgs, {
      stdio: ['ignore', fd ?? 'pipe', fd ?? 'pipe'],
    });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  const keep = (chunk: Buffer) => {
    output = (output + chunk).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exit: string | undefined;
  child.once('error', (error) => {
    exit = error.message;
  });
  child.once('exit', (code, signal) => {
    exit = signal ?? `code ${code}`;
  });
  const address = `127.0.0.1:${port}`;
  const readOutput = () => (logFile ? readFileSync(logFile, 'utf8') : output);
  for (;;) {
    if (exit !== undefined) throw startFailure(readOutput(), exit, logFile ?? 'its output');
    try {
      // Probing the port first notices an exit sooner than a gRPC connect timing out would.
      if (!(await accepts(port))) throw new Error(`nothing listens on ${address} yet`);
      await registerSearchAttributes(address, options.namespace);
      break;
    } catch (error) {
      if (deadline.expired()) {
        if (child.pid) await stopProcesses([child.pid], { gently: 'SIGTERM', graceMs: 5_000 });
        throw new StartError(
          `Cannot start the Temporal dev server: not ready within ${deadline.totalMs / 1000} s (${(error as Error).message}); see ${logFile ?? 'its output'}.`,
        );
      }
      await sleep(250);
    }
  }
  const pid = child.pid;
  return {
    address,
    uiUrl,
    pid,
    stop: async () => {
      if (!pid || child.exitCode !== null || child.signalCode !== null) return;
      await stopProcesses([pid], { gently: 'SIGTERM', graceMs: 15_000 });
    },
  };
}

/**
 * `--search-attribute` flags apply only when the SQLite file is created, so an existing
 * file gets Conveyor's attributes through the operator service; adding one twice is harmless.
 */
export async function registerSearchAttributes(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address, connectTimeout: '5s' });
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = Object.values(SEARCH_ATTRIBUTES).filter(
      (name) => !(name in (existing.customAttributes ?? {})),
    );
    if (missing.length === 0) return;
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((name) => [name, 2 /* KEYWORD */])),
    });
  } finally {
    await connection.close();
  }
}
