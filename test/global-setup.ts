import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../runtime/ports';
import { startEmbeddedPostgres } from '../runtime/postgres';
import { startDevServer } from '../runtime/temporal-server';
import { bundleWorkflows } from '../worker/create-worker';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    /** The dev server's Web UI, when the suite asked for one; empty otherwise. */
    temporalUiUrl: string;
    postgresUrlTemplate: string;
    workflowBundlePath: string;
  }
}

/**
 * One Temporal dev server and one embedded Postgres for the whole run; each test file makes its
 * own database and task queue. The workflow bundle is built once here and shared.
 */
export default function setup(project: TestProject) {
  return setupRuntime(project, { webUi: false });
}

/** The same, and a Temporal Web UI with it: the console suite follows its links there. */
export async function setupRuntime(project: TestProject, options: { webUi: boolean }) {
  const root = resolve('.test-data', `run-${process.pid}`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const log = (line: string) => console.log(`[setup] ${line}`);

  if (process.env.DATABASE_URL) {
    project.provide('postgresUrlTemplate', process.env.DATABASE_URL);
  }
  // Tests trade durability for speed (fsync, synchronous_commit and SQLite syncs off); the
  // service never does. Ports are chosen free: other runs may share this machine.
  const postgres = process.env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({ dataDir: root, port: await freePort(), durable: false, log });
  if (postgres) project.provide('postgresUrlTemplate', postgres.adminUrl);

  const temporal = await startDevServer({
    namespace: 'default',
    durable: false,
    log,
    ...(options.webUi ? { uiPort: await freePort() } : {}),
  });
  project.provide('temporalAddress', temporal.address);
  project.provide('temporalUiUrl', temporal.uiUrl ?? '');

  const bundle = await bundleWorkflows();
  const bundlePath = join(root, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  project.provide('workflowBundlePath', bundlePath);
  log(`Temporal at ${temporal.address}; Postgres ready; workflow bundle built`);

  return async () => {
    await temporal.stop();
    await postgres?.stop();
    rmSync(root, { recursive: true, force: true });
  };
}
