import type { Config } from '../common/config';
import { lockDataDir } from './data-dir-lock';
import { startEmbeddedPostgres } from './postgres';
import { bootstrapServiceDatabase } from './postgres-roles';
import { ensurePrivateDir } from './private-files';
import { Deadline } from './processes';
import type { Stack } from './stack';
import { registerSearchAttributes, startDevServer } from './temporal-server';
import { temporalDependency, waitOut } from './waiting';

export interface Endpoints {
  temporalAddress: string;
  temporalUiUrl?: string;
  databaseUrl: string;
}

/**
 * Bound on what starting the embedded servers waits for: a killed start's leftovers to exit,
 * ports, readiness. Long enough for a previous Postgres to shut down; short enough that a start
 * that cannot succeed says so while someone is still watching.
 */
const START_TIMEOUT_MS = 60_000;

/**
 * Starts what TEMPORAL_ADDRESS and DATABASE_URL do not point at: the dev server, embedded
 * Postgres. The service's URL of an embedded Postgres is its own role's (postgres-roles.ts);
 * DATABASE_URL is used as it is.
 */
export async function startInfrastructure(
  config: Config,
  stack: Stack,
  log: (line: string) => void,
  durable = true,
): Promise<Endpoints> {
  const embedPostgres = !config.DATABASE_URL;
  const embedTemporal = !config.TEMPORAL_ADDRESS;
  if (embedPostgres || embedTemporal) {
    // Before anything is written there: what the embedded servers keep is every tenant's data.
    ensurePrivateDir(config.DATA_DIR);
    // Owning DATA_DIR is what lets this start stop a Postgres or dev server still running on
    // its data: their Conveyor was killed. It is released last, after they stopped.
    const lock = lockDataDir(config.DATA_DIR);
    stack.push('DATA_DIR lock', async () => lock.release());
    if (lock.previousOwner) {
      log(`The previous Conveyor (pid ${lock.previousOwner}) did not stop cleanly; recovering …`);
    }
  }
  const deadline = new Deadline(START_TIMEOUT_MS);
  // At least some time each, so a slow first part does not leave the second none at all.
  const timeoutMs = () => Math.max(deadline.remaining(), 15_000);

  const postgres = async (): Promise<string> => {
    if (config.DATABASE_URL) return config.DATABASE_URL;
    log(`Starting embedded Postgres on 127.0.0.1:${config.POSTGRES_PORT} …`);
    const pg = await startEmbeddedPostgres({
      dataDir: config.DATA_DIR,
      port: config.POSTGRES_PORT,
      durable,
      stopOrphans: true,
      timeoutMs: timeoutMs(),
      log,
    });
    stack.push('embedded Postgres', () => pg.stop());
    return bootstrapServiceDatabase(pg, 'conveyor', log);
  };
  const temporal = async (): Promise<{ address: string; uiUrl?: string }> => {
    if (config.TEMPORAL_ADDRESS) {
      const address = config.TEMPORAL_ADDRESS;
      await waitOut(
        temporalDependency(address),
        () => registerSearchAttributes(address, config.TEMPORAL_NAMESPACE),
        { log },
      );
      return { address: config.TEMPORAL_ADDRESS, uiUrl: config.TEMPORAL_UI_URL };
    }
    log(
      `Starting the Temporal dev server on 127.0.0.1:${config.TEMPORAL_PORT} (data in ${config.DATA_DIR}/temporal.sqlite) …`,
    );
    const server = await startDevServer({
      dataDir: config.DATA_DIR,
      port: config.TEMPORAL_PORT,
      uiPort: config.TEMPORAL_UI_PORT,
      namespace: config.TEMPORAL_NAMESPACE,
      cliPath: config.TEMPORAL_CLI_PATH,
      durable,
      stopOrphans: true,
      timeoutMs: timeoutMs(),
      log,
    });
    stack.push('Temporal dev server', () => server.stop());
    return { address: server.address, uiUrl: config.TEMPORAL_UI_URL ?? server.uiUrl };
  };
  // Side by side: neither needs the other, and a start is the wait a user sees.
  const [database, server] = await Promise.allSettled([postgres(), temporal()]);
  if (database.status === 'rejected') throw database.reason;
  if (server.status === 'rejected') throw server.reason;
  return {
    databaseUrl: database.value,
    temporalAddress: server.value.address,
    temporalUiUrl: server.value.uiUrl,
  };
}
