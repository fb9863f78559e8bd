import { ConfigError, loadConfig } from '../common/config';
import { configureLogging } from '../common/log';
import { startFailureLine } from '../common/start-error';
import { configureTracing, shutdownTracing } from '../common/tracing';
import { migrateDatabase } from '../db/client';
import { ensureDefaultTenant } from '../db/tenants';
import { loadHandlerRegistry } from '../handlers/load';
import { installMaintenanceSchedule } from '../runtime/maintenance-schedule';
import { closeServer, connectApiDatabases, connectTemporal, startApi } from '../runtime/services';

/** `npm run start:api`: only the HTTP API, against the Temporal and Postgres the environment names. */
async function main() {
  const config = loadConfig();
  configureLogging({ level: config.LOG_LEVEL });
  configureTracing({
    serviceName: `${config.OTEL_SERVICE_NAME}-api`,
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) {
    throw new ConfigError(
      'The API alone needs DATABASE_URL and TEMPORAL_ADDRESS; set both, or run `npm start` for the embedded service.',
    );
  }
  await migrateDatabase(config.DATABASE_URL);
  const { database, exportDatabase, close } = connectApiDatabases(config.DATABASE_URL, config);
  if (config.CONVEYOR_ADMIN_KEY) await ensureDefaultTenant(database.db, config.CONVEYOR_ADMIN_KEY);
  const temporal = await connectTemporal(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE);
  await installMaintenanceSchedule(temporal, config, undefined, (line) => console.error(line));
  const api = await startApi(
    {
      config: { ...config, temporalUiUrl: config.TEMPORAL_UI_URL },
      database,
      exportDatabase,
      temporal,
    },
    config.HOST,
    config.PORT,
    await loadHandlerRegistry(config.HANDLER_MODULES),
  );
  console.log(`Conveyor API listening on ${api.url}`);
  const stop = async () => {
    await closeServer(api.server);
    await temporal.connection.close();
    await close();
    await shutdownTracing();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(startFailureLine(error, 'Conveyor API failed to start'));
  process.exit(1);
});
