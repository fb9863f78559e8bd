import { resolve } from 'node:path';
import { startClusterTopology } from './topology';

/**
 * `npm run cluster`: the production topology on this machine, for trying it and for the
 * cluster tests: Postgres, a four-process Temporal cluster on it, two API processes and two
 * workers. State lives in CLUSTER_DIR (.data/cluster); Ctrl-C stops everything.
 */
async function main() {
  const dir = resolve(process.env.CLUSTER_DIR ?? '.data/cluster');
  const log = (line: string) => console.log(`[cluster] ${line}`);
  const topology = await startClusterTopology({ dir, apis: 2, workers: 2, log });
  console.log(`
Temporal frontend   ${topology.temporal.address} (namespace ${topology.temporal.namespace})
Conveyor APIs       ${topology.apis.map((api) => api.url).join('  ')}
Workers             ${topology.workers.length} on task queue "${topology.taskQueue}"
Postgres            ${topology.databaseUrl}
Admin key           ${topology.adminKey}
Logs                ${dir}/*.log
Press Ctrl-C to stop.`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  log('Stopping …');
  await topology.stop();
  process.exit(0);
}

main().catch((error: Error) => {
  console.error(`[cluster] ${error.message}`);
  process.exit(1);
});
