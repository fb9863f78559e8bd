import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { StartError } from '../common/start-error';
import type { PostgresLayout } from './postgres-layout';
import {
  allPids,
  commandLine,
  type Deadline,
  isAlive,
  stopProcesses,
  waitForExit,
  workingDirectory,
} from './processes';

/**
 * The cluster's superuser, for bootstrap and tests only; the service connects as a role of its
 * own (see postgres-roles.ts). Its password is generated per DATA_DIR (postgres-password.ts).
 */
export const SUPERUSER = 'conveyor';

/** Messages in English, whatever the machine's locale, so log lines can be recognised. */
export const POSTGRES_ENV = { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' };

const message = (line: string) =>
  line
    .replace(/^.*?\b(FATAL|PANIC|LOG|ERROR):\s*/, '')
    .replace(/^initdb: error:\s*/, '')
    .trim();

/**
 * The last FATAL or PANIC of a Postgres or initdb log, the line that says why it stopped. A bad
 * configuration file is named in the FATAL line while the bad settings are LOG lines before
 * it; they are added, since they are what needs fixing.
 */
export function lastFatal(log: string): string | undefined {
  const lines = log.split('\n');
  const at = lines.findLastIndex((line) => /\b(FATAL|PANIC):|^initdb: error:/.test(line));
  const fatal = lines[at];
  if (fatal === undefined) return undefined;
  if (!/configuration file .* contains errors/.test(fatal)) return message(fatal);
  const details = lines
    .slice(0, at)
    .filter((line) => /\b(LOG|ERROR):\s+(invalid|unrecognized|syntax error|parameter)/.test(line))
    .map(message);
  return details.length ? `${message(fatal)} (${details.join('; ')})` : message(fatal);
}

function ownByUser(path: string, layout: PostgresLayout): void {
  if (layout.user) chownSync(path, layout.user.uid, layout.user.gid);
}

/**
 * Creates the cluster on a first start. initdb works in a sibling directory that is renamed
 * into place when it succeeds, so a start killed during initdb leaves no half-made cluster
 * that every later start would trip over.
 */
export async function initCluster(
  layout: PostgresLayout,
  password: string,
  log: (line: string) => void,
): Promise<void> {
  const dir = layout.clusterDir;
  if (existsSync(join(dir, 'PG_VERSION'))) return;
  if (existsSync(dir)) {
    const aside = `${dir}.incomplete-${Date.now()}`;
    log(`${dir} holds no Postgres cluster; moving it to ${aside} …`);
    renameSync(dir, aside);
  }
  log(`Initialising Postgres in ${dir} …`);
  const partial = `${dir}.init`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { mode: 0o700 });
  ownByUser(partial, layout);
  const passwordFile = join(dirname(dir), `.pwfile-${randomBytes(6).toString('hex')}`);
  writeFileSync(passwordFile, `${password}\n`, { flag: 'wx', mode: 0o600 });
  ownByUser(passwordFile, layout);
  try {
    const output = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
      const child = spawn(
        layout.initdb,
        [
          `--pgdata=${partial}`,
          '--auth=scram-sha-256',
          `--username=${SUPERUSER}`,
          `--pwfile=${passwordFile}`,
          '--encoding=UTF8',
          '--locale=C',
        ],
        { ...layout.user, env: POSTGRES_ENV, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let text = '';
      child.stdout.on('data', (chunk) => {
        text += chunk;
      });
      child.stderr.on('data', (chunk) => {
        text += chunk;
      });
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, text }));
    });
    if (output.code !== 0) {
      const cause = lastFatal(output.text) ?? `initdb exited with code ${output.code}`;
      throw new StartError(`Cannot initialise embedded Postgres in ${dir}: ${cause}`);
    }
  } catch (error) {
    if (error instanceof StartError) throw error;
    throw new StartError(
      `Cannot initialise embedded Postgres: ${(error as Error).message}; check that ${layout.initdb} can run, or set DATABASE_URL.`,
    );
  } finally {
    try {
      unlinkSync(passwordFile);
    } catch {}
  }
  renameSync(partial, dir);
}

function recordedPid(pidFile: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function recordsLiveProcess(pidFile: string): boolean {
  const pid = recordedPid(pidFile);
  return pid !== undefined && isAlive(pid);
}

/** The postmaster recorded in the cluster's postmaster.pid, if it still runs on this cluster. */
export function runningPostmaster(clusterDir: string): number | undefined {
  const pid = recordedPid(join(clusterDir, 'postmaster.pid'));
  if (pid === undefined || !isAlive(pid)) return undefined;
  // The pid may have been reused by an unrelated process since a crash.
  const argv = commandLine(pid) ?? [];
  const real = realpathSync(clusterDir);
  const onThisCluster =
    argv.some((arg, i) => argv[i - 1] === '-D' && arg === clusterDir) ||
    workingDirectory(pid) === real;
  return basename(argv[0] ?? '') === 'postgres' && onThisCluster ? pid : undefined;
}

/** Processes still working in the cluster directory: a dead postmaster's exiting backends. */
function leftoverBackends(clusterDir: string): number[] {
  const real = realpathSync(clusterDir);
  const isPostgres = (argv: string[] = []) =>
    argv[0]?.startsWith('postgres:') || basename(argv[0] ?? '') === 'postgres';
  return allPids().filter(
    (pid) => isAlive(pid) && workingDirectory(pid) === real && isPostgres(commandLine(pid)),
  );
}

/**
 * Clears what a killed Conveyor left on the cluster: its postmaster still running (an orphan,
 * when `stopOrphans` says the caller owns DATA_DIR) and backends that have not yet noticed
 * their postmaster died, whose shared memory would make the new postmaster refuse to start.
 * A stale postmaster.pid of a dead process needs nothing: Postgres replaces it itself.
 */
export async function clearPreviousServer(
  clusterDir: string,
  options: { stopOrphans: boolean; deadline: Deadline; log: (line: string) => void },
): Promise<void> {
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) return;
  const postmaster = runningPostmaster(clusterDir);
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (postmaster === undefined && options.stopOrphans && recordsLiveProcess(pidFile)) {
    // A crash left postmaster.pid, and its pid now belongs to an unrelated process; Postgres
    // would take that for another postmaster and refuse to start, forever.
    options.log(`Removing ${pidFile}: its pid now belongs to another program`);
    unlinkSync(pidFile);
  }
  if (postmaster !== undefined) {
    if (!options.stopOrphans) {
      throw new StartError(
        `Cannot start embedded Postgres: another Postgres (pid ${postmaster}) is running on ${clusterDir}; stop it first.`,
      );
    }
    options.log(`Stopping the Postgres a previous start left running (pid ${postmaster}) …`);
    // SIGINT is Postgres's fast shutdown: it rolls back open transactions and checkpoints.
    const graceMs = Math.min(20_000, options.deadline.remaining());
    if (!(await stopProcesses([postmaster], { gently: 'SIGINT', graceMs }))) {
      throw new StartError(
        `Cannot start embedded Postgres: the previous Postgres (pid ${postmaster}) on ${clusterDir} does not exit; kill it and start again.`,
      );
    }
  }
  const backends = leftoverBackends(clusterDir);
  if (backends.length === 0) return;
  options.log(`Waiting for the previous Postgres to exit (${backends.length} processes left) …`);
  // Backends notice their postmaster's death at their next wait; a busy one may take a moment.
  if (await waitForExit(backends, Math.min(5_000, options.deadline.remaining()))) return;
  if (options.stopOrphans) {
    await stopProcesses(backends.filter(isAlive), { gently: 'SIGKILL', graceMs: 5_000 });
  }
}
