import { loadConfig } from '../common/config';
import { coerceError } from '../common/errors';
import { configureLogging } from '../common/log';
import { startFailureLine } from '../common/start-error';
import { configureTracing, shutdownTracing } from '../common/tracing';
import { installQuietRuntime } from '../worker/create-worker';
import { startConveyor } from './compose';

/** `npm start`: the whole service on embedded defaults, stopped cleanly by Ctrl-C. */
async function main() {
  const config = loadConfig();
  configureLogging({ level: config.LOG_LEVEL });
  configureTracing({
    serviceName: config.OTEL_SERVICE_NAME,
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
  installQuietRuntime({ ownSignals: true });
  const conveyor = await startConveyor(config);
  console.log(
    [
      '',
      'Conveyor is running.',
      `  API:        ${conveyor.apiUrl}   (health: ${conveyor.apiUrl}/health)`,
      `  API docs:   ${conveyor.apiUrl}/docs`,
      `  Console:    ${conveyor.apiUrl}/ui   (sign in with the admin key)`,
      `  Web UI:     ${conveyor.temporalUiUrl ?? '(set TEMPORAL_UI_URL to link runs)'}`,
      `  Admin key:  ${conveyor.adminKey}   (from ${conveyor.adminKeySource})`,
      '',
      `Try: curl -H "Authorization: Bearer ${conveyor.adminKey}" ${conveyor.apiUrl}/v1/operations`,
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal} received; stopping the API, the worker, Temporal and Postgres …`);
    await conveyor.stop();
    await shutdownTracing();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  conveyor.workerDone.catch(async (error: unknown) => {
    console.error(`The worker stopped: ${coerceError(error).message}`);
    await conveyor.stop();
    process.exit(1);
  });
}

main().catch((error: unknown) => {
  // One line naming the cause and the fix; startConveyor has already stopped what it started.
  console.error(startFailureLine(error, 'Conveyor failed to start'));
  process.exit(1);
});
