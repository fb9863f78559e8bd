import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Config, loadConfig } from '../common/config';

/**
 * A fresh data directory and the configuration of an embedded runtime on fixed ports, as the
 * benchmarks start theirs: Postgres and the dev server embedded whatever the environment says.
 */
export function benchRuntime(
  name: string,
  ports: { api: number; temporal: number; ui: number; postgres: number },
  taskQueue: string,
): { dataDir: string; config: Config } {
  const dataDir = mkdtempSync(join(tmpdir(), `conveyor-${name}-`));
  chmodSync(dataDir, 0o755); // Postgres runs as its own user and must reach into it.
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(ports.api),
    TEMPORAL_PORT: String(ports.temporal),
    TEMPORAL_UI_PORT: String(ports.ui),
    POSTGRES_PORT: String(ports.postgres),
    TASK_QUEUE: taskQueue,
    DATABASE_URL: '',
    TEMPORAL_ADDRESS: '',
  });
  return { dataDir, config };
}
