import { loadConfig } from '../common/config';
import { configureLogging } from '../common/log';
import { startFailureLine } from '../common/start-error';
import { configureTracing, shutdownTracing } from '../common/tracing';
import { installQuietRuntime } from '../worker/create-worker';
import { externalEndpoints, startWorkerProcess } from './compose';
import { stopOnSignals } from './signals';

/** `npm run start:worker`: one worker on TASK_QUEUE; run as many as the load needs. */
async function main() {
  const config = loadConfig();
  configureLogging({ level: config.LOG_LEVEL });
  configureTracing({
    serviceName: `${config.OTEL_SERVICE_NAME}-worker`,
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
  const endpoints = externalEndpoints(config, 'A worker alone');
  // The stop below ends polling and lets in-flight tasks finish; the SDK's own handler would
  // re-raise the signal and kill the process before the rest is closed.
  installQuietRuntime({
    ownSignals: true,
    ...(config.TEMPORAL_METRICS_PORT > 0
      ? { sdkMetricsAddress: `${config.HOST}:${config.TEMPORAL_METRICS_PORT}` }
      : {}),
  });
  const worker = await startWorkerProcess(config, {
    ...endpoints,
    metricsPort: config.METRICS_PORT,
    workflowBundle: config.WORKFLOW_BUNDLE_PATH
      ? { codePath: config.WORKFLOW_BUNDLE_PATH }
      : undefined,
    log: (line) => console.log(line),
  });
  const stop = stopOnSignals(async () => {
    await worker.stop();
    await shutdownTracing();
  });
  try {
    await worker.ready;
  } catch (error) {
    if (stop.requested()) return;
    console.error(startFailureLine(error, 'Conveyor worker failed'));
    await stop.now(1);
  }
  const metrics = config.METRICS_PORT > 0 ? `http://${config.HOST}:${config.METRICS_PORT}` : '';
  console.log(
    `Conveyor worker polling task queue "${config.TASK_QUEUE}" on ${endpoints.temporalAddress}${metrics ? `; metrics on ${metrics}/metrics, readiness on ${metrics}/ready` : ''}`,
  );
  try {
    await worker.done;
  } catch (error) {
    if (stop.requested()) return;
    console.error(startFailureLine(error, 'Conveyor worker failed'));
    await stop.now(1);
  }
}

main().catch((error: unknown) => {
  console.error(startFailureLine(error, 'Conveyor worker failed'));
  process.exit(1);
});
