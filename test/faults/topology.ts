import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { migrateDatabase } from '../../db/client';
import { inheritedEnv } from '../../runtime/child-env';
import {
  type EmbeddedPostgresOptions,
  type RunningPostgres,
  startEmbeddedPostgres,
} from '../../runtime/postgres';
import { embeddedSuperuserUrl } from '../../runtime/postgres-password';
import { resolveTemporalCli } from '../../runtime/temporal-cli';
import { ApiClient } from './client';
import { freePort, type GroupProcess, isAlive, pollUntil, sleep, spawnGroup } from './procs';

export const REPO = resolve(import.meta.dirname, '..', '..');
export const TSX = join(REPO, 'node_modules', '.bin', 'tsx');
export const HANDLER_MODULE = join(REPO, 'test', 'faults', 'counting-handler.ts');

export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...inheritedEnv(), ...extra };
}

/** Makes a directory the postgres system user can enter (embedded Postgres runs as that user). */
export function openDir(path: string): string {
  mkdirSync(path, { recursive: true });
  chmodSync(path, 0o755);
  return path;
}

/** Waits until a Temporal frontend answers and knows the default namespace. */
export async function waitForTemporal(address: string, timeoutMs = 60_000): Promise<void> {
  await pollUntil(
    async () => {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: 'default' });
        return true;
      } finally {
        await connection.close();
      }
    },
    (ok) => ok,
    { timeoutMs, intervalMs: 250, what: `Temporal at ${address}` },
  );
}

/**
 * One scenario's Conveyor as separate real processes: Postgres (in this process's tree, through
 * the runtime's launcher), a Temporal dev server on a SQLite file, workers and the API, each of
 * the last three in its own process group so that SIGKILL takes it down whole.
 */
/** TEST_LEDGER_VERSION, as the processes' LEDGER_VERSION: the suite runs on either ledger. */
export function ledgerUnderTest(): Record<string, string> {
  const version = process.env.TEST_LEDGER_VERSION;
  return version ? { LEDGER_VERSION: version } : {};
}

export class Topology {
  readonly ledgerDir: string;
  readonly logsDir: string;
  readonly taskQueue = `faults-${randomBytes(4).toString('hex')}`;
  readonly adminKey = `cvk_faults_${randomBytes(8).toString('hex')}`;
  readonly databaseName = 'conveyor_faults';
  pg?: RunningPostgres;
  pgPort = 0;
  temporal?: GroupProcess;
  temporalPort = 0;
  workers: GroupProcess[] = [];
  api?: GroupProcess;
  apiPort = 0;
  /** Settings Postgres reported at its last start (fsync, synchronous_commit). */
  postgresSettings: Record<string, string> = {};

  constructor(
    readonly dir: string,
    readonly bundlePath: string,
  ) {
    openDir(dir);
    this.ledgerDir = openDir(join(dir, 'ledger'));
    this.logsDir = openDir(join(dir, 'logs'));
  }

  get databaseUrl(): string {
    return embeddedSuperuserUrl(this.dir, this.pgPort, this.databaseName);
  }
  get temporalAddress(): string {
    return `127.0.0.1:${this.temporalPort}`;
  }
  get apiUrl(): string {
    return `http://127.0.0.1:${this.apiPort}`;
  }
  client(): ApiClient {
    return new ApiClient(this.apiUrl, this.adminKey);
  }

  /** Starts everything: Postgres (and the scenario's database), Temporal, `workers` workers, the API. */
  async start(workers = 1): Promise<void> {
    await this.startPostgres();
    await this.pg?.createDatabase(this.databaseName);
    // Migrate once here: workers and the API migrate at start too, and concurrent runs race.
    await migrateDatabase(this.databaseUrl);
    await this.startTemporal();
    await Promise.all([
      ...Array.from({ length: workers }, () => this.startWorker()),
      this.startApi(),
    ]);
  }

  async startPostgres(): Promise<void> {
    this.pgPort ||= await freePort();
    const logFile = join(this.logsDir, 'postgres.log');
    // `durable` is what the runtime's launcher is gaining; faults only mean something with it.
    const options: EmbeddedPostgresOptions & { durable?: boolean } = {
      dataDir: this.dir,
      port: this.pgPort,
      durable: true,
      log: (line) => appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`),
    };
    this.pg = await startEmbeddedPostgres(options);
    const { default: postgres } = await import('postgres');
    const sql = postgres(this.pg.adminUrl, { max: 1, onnotice: () => {} });
    try {
      const rows = await sql<{ name: string; setting: string }[]>`
        select name, setting from pg_settings where name in ('fsync', 'synchronous_commit', 'full_page_writes')`;
      this.postgresSettings = Object.fromEntries(rows.map((row) => [row.name, row.setting]));
    } finally {
      await sql.end({ timeout: 2 });
    }
  }

  /** The postmaster's pid: from the launcher when it tells, else line 1 of postmaster.pid. */
  postmasterPid(): number {
    const launched = this.pg as (RunningPostgres & { pid?: number; dataDir?: string }) | undefined;
    if (launched?.pid) return launched.pid;
    const cluster = launched?.dataDir ?? join(this.dir, 'postgres');
    const text = readFileSync(join(cluster, 'postmaster.pid'), 'utf8');
    const pid = Number(text.split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0) throw new Error(`bad postmaster.pid: ${text}`);
    return pid;
  }

  /** SIGKILLs the postmaster (its backends notice and exit on their own) and waits for it to go. */
  async killPostgres(): Promise<number> {
    const pid = this.postmasterPid();
    process.kill(pid, 'SIGKILL');
    await pollUntil(
      async () => !isAlive(pid),
      (gone) => gone,
      { timeoutMs: 10_000, intervalMs: 20, what: 'the postmaster to die' },
    );
    this.pg = undefined;
    return pid;
  }

  async startTemporal(): Promise<void> {
    const cli = await resolveTemporalCli({ allowSdkDownload: false });
    if (!cli.path) throw new Error(`no Temporal CLI: ${cli.tried.join('; ')}`);
    this.temporalPort ||= await freePort();
    const attributes = ['ConveyorTenant', 'ConveyorJob', 'ConveyorCollection', 'ConveyorMode'];
    this.temporal = spawnGroup(
      'temporal',
      cli.path,
      [
        'server',
        'start-dev',
        '--ip',
        '127.0.0.1',
        '--port',
        String(this.temporalPort),
        '--headless',
        '--db-filename',
        join(this.dir, 'temporal.sqlite'),
        '--namespace',
        'default',
        '--sqlite-pragma',
        'journal_mode=WAL',
        '--sqlite-pragma',
        'synchronous=NORMAL',
        ...attributes.flatMap((name) => ['--search-attribute', `${name}=Keyword`]),
      ],
      { env: childEnv({}), logFile: join(this.logsDir, 'temporal.log') },
    );
    const exited = this.temporal.exited.then((how) => {
      throw new Error(`the Temporal dev server exited (${how}) while starting`);
    });
    await Promise.race([waitForTemporal(this.temporalAddress), exited]);
    exited.catch(() => {});
  }

  async killTemporal(): Promise<void> {
    await this.temporal?.kill('SIGKILL');
    this.temporal = undefined;
  }

  private conveyorEnv(): Record<string, string> {
    return {
      DATABASE_URL: this.databaseUrl,
      TEMPORAL_ADDRESS: this.temporalAddress,
      TASK_QUEUE: this.taskQueue,
      HANDLER_MODULES: HANDLER_MODULE,
      FAULT_LEDGER_DIR: this.ledgerDir,
      ...ledgerUnderTest(),
    };
  }

  async startWorker(): Promise<GroupProcess> {
    const index = this.workers.length + 1;
    const worker = spawnGroup(`worker-${index}`, TSX, ['runtime/worker-main.ts'], {
      cwd: REPO,
      env: childEnv({ ...this.conveyorEnv(), WORKFLOW_BUNDLE_PATH: this.bundlePath }),
      logFile: join(this.logsDir, `worker-${index}.log`),
    });
    this.workers.push(worker);
    await worker.waitForOutput(/polling task queue/);
    return worker;
  }

  async startApi(): Promise<GroupProcess> {
    this.apiPort ||= await freePort();
    const api = spawnGroup('api', TSX, ['runtime/api-main.ts'], {
      cwd: REPO,
      env: childEnv({
        ...this.conveyorEnv(),
        PORT: String(this.apiPort),
        HOST: '127.0.0.1',
        CONVEYOR_ADMIN_KEY: this.adminKey,
      }),
      logFile: join(this.logsDir, 'api.log'),
    });
    this.api = api;
    await api.waitForOutput(/listening on/);
    return api;
  }

  async killApi(): Promise<void> {
    await this.api?.kill('SIGKILL');
    this.api = undefined;
  }

  /** Stops everything this topology started; Postgres last, and cleanly. */
  async stop(): Promise<void> {
    await Promise.all([
      this.api?.kill('SIGKILL'),
      ...this.workers.map((worker) => worker.kill('SIGKILL')),
      this.temporal?.kill('SIGKILL'),
    ]);
    const pg = this.pg;
    this.pg = undefined;
    if (pg) await Promise.race([pg.stop(), sleep(15_000)]);
  }
}
