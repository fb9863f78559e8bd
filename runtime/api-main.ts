import { loadConfig } from '../common/config';
import { configureLogging } from '../common/log';
import { startFailureLine } from '../common/start-error';
import { configureTracing, shutdownTracing } from '../common/tracing';
import { externalEndpoints, startApiProcess } from './compose';
import { stopOnSignals } from './signals';

/** `npm run start:api`: only the HTTP API, against the Temporal and Postgres the environment names. */
async function main() {
  const config = loadConfig();
  configureLogging({ level: config.LOG_LEVEL });
  configureTracing({
    serviceName: `${config.OTEL_SERVICE_NAME}-api`,
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
  const api = await startApiProcess(config, {
    ...externalEndpoints(config, 'The API alone'),
    temporalUiUrl: config.TEMPORAL_UI_URL,
    adminKey: config.CONVEYOR_ADMIN_KEY,
    log: (line) => console.log(line),
  });
  const stop = stopOnSignals(async () => {
    await api.stop();
    await shutdownTracing();
  });
  try {
    await api.ready;
  } catch (error) {
    if (stop.requested()) return;
    console.error(startFailureLine(error, 'Conveyor API failed to start'));
    await stop.now(1);
  }
  console.log(`Conveyor API listening on ${api.url}`);
}

main().catch((error: unknown) => {
  console.error(startFailureLine(error, 'Conveyor API failed to start'));
  process.exit(1);
});
