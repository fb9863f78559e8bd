import { hostAccessSettings } from '../activities/handler-context';
import { ConfigError, loadConfig } from '../common/config';
import { configureLogging } from '../common/log';
import { startFailureLine } from '../common/start-error';
import { configureTracing, shutdownTracing } from '../common/tracing';
import { connectDatabase, engineStatementLimits, migrateDatabase } from '../db/client';
import { loadHandlerRegistry } from '../handlers/load';
import { createWorker, installQuietRuntime } from './create-worker';
import { serveWorkerMetrics } from './metrics-server';

/** `npm run start:worker`: one worker on TASK_QUEUE; run as many as the load needs. */
async function main() {
  const config = loadConfig();
  configureLogging({ level: config.LOG_LEVEL });
  configureTracing({
    serviceName: `${config.OTEL_SERVICE_NAME}-worker`,
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) {
    throw new ConfigError(
      'A worker alone needs DATABASE_URL and TEMPORAL_ADDRESS; set both, or run `npm start` for the embedded service.',
    );
  }
  if (config.TEMPORAL_METRICS_PORT > 0) {
    installQuietRuntime({ sdkMetricsAddress: `${config.HOST}:${config.TEMPORAL_METRICS_PORT}` });
  }
  await migrateDatabase(config.DATABASE_URL);
  const database = connectDatabase(config.DATABASE_URL, {
    max: 20,
    limits: engineStatementLimits(config),
  });
  const { worker, connection, stopped } = await createWorker({
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TASK_QUEUE,
    database,
    handlers: await loadHandlerRegistry(config.HANDLER_MODULES),
    webhooks: config,
    retention: config,
    hostAccess: hostAccessSettings(config),
    workflowBundle: config.WORKFLOW_BUNDLE_PATH
      ? { codePath: config.WORKFLOW_BUNDLE_PATH }
      : undefined,
  });
  const metricsServer =
    config.METRICS_PORT > 0
      ? await serveWorkerMetrics(config.METRICS_PORT, config.HOST)
      : undefined;
  console.log(
    `Conveyor worker polling task queue "${config.TASK_QUEUE}" on ${config.TEMPORAL_ADDRESS}${metricsServer ? `; metrics on http://${config.HOST}:${config.METRICS_PORT}/metrics` : ''}`,
  );
  // The SDK shuts the worker down on SIGINT and SIGTERM; run() resolves once in-flight tasks end.
  try {
    await worker.run();
  } finally {
    await stopped();
    metricsServer?.close();
    await connection.close();
    await database.close();
    await shutdownTracing();
  }
}

main().catch((error: unknown) => {
  console.error(startFailureLine(error, 'Conveyor worker failed'));
  process.exit(1);
});
