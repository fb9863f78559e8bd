import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { afterAll, expect, inject, it } from 'vitest';
import { freePort } from '../runtime/ports';
import { type RunningDevServer, startDevServer } from '../runtime/temporal-server';
import { type ConveyorProcess, childEnv, killAllStarted, REPO, startMain } from './runtime-support';

/**
 * A deployment whose Temporal comes up after Conveyor (a fresh cluster warming up): the API and
 * a worker, each `npm run start:*` as a real process, wait for it, saying not-ready meanwhile,
 * and serve once it answers, without exiting.
 */

/** As the CLI and the cluster run them: one Node process (tsx's CLI would relay signals). */
const node = (entry: string) => [process.execPath, '--import', 'tsx', join(REPO, entry)];
let temporal: RunningDevServer | undefined;

afterAll(async () => {
  killAllStarted();
  await temporal?.stop();
});

async function freshDatabase(): Promise<string> {
  const name = `conveyor_slow_${randomBytes(6).toString('hex')}`;
  const admin = postgres(inject('postgresUrlTemplate'), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(inject('postgresUrlTemplate'));
  url.pathname = `/${name}`;
  return url.toString();
}

async function get(url: string, key?: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url, key ? { headers: { authorization: `Bearer ${key}` } } : {});
  return { status: response.status, text: await response.text() };
}

/** Polls `url` until `accept` holds; fails at once if `proc` exits, or after `timeoutMs`. */
async function until(
  proc: ConveyorProcess,
  url: string,
  accept: (answer: { status: number; text: string }) => boolean,
  timeoutMs: number,
): Promise<{ status: number; text: string }> {
  const deadline = Date.now() + timeoutMs;
  let last = { status: 0, text: '' };
  while (Date.now() < deadline) {
    expect(proc.child.exitCode, `${url}'s process exited:\n${proc.stdout()}${proc.stderr()}`).toBe(
      null,
    );
    last = await get(url).catch(() => ({ status: 0, text: '' }));
    if (accept(last)) return last;
    await sleep(200);
  }
  throw new Error(`${url} never answered as expected; last ${last.status} ${last.text}`);
}

it('an API and a worker started before Temporal are not ready, then ready once it answers', async () => {
  const temporalPort = await freePort();
  const temporalAddress = `127.0.0.1:${temporalPort}`;
  const [apiPort, metricsPort] = [await freePort(), await freePort()];
  const adminKey = `cvk_slow_${randomBytes(6).toString('hex')}_admin`;
  const common = {
    DATABASE_URL: await freshDatabase(),
    TEMPORAL_ADDRESS: temporalAddress,
    TASK_QUEUE: `slow-${randomBytes(4).toString('hex')}`,
    HOST: '127.0.0.1',
  };
  const api = startMain(
    REPO,
    await childEnv({ ...common, PORT: String(apiPort), CONVEYOR_ADMIN_KEY: adminKey }),
    node('runtime/api-main.ts'),
  );
  const worker = startMain(
    REPO,
    await childEnv({
      ...common,
      METRICS_PORT: String(metricsPort),
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
    }),
    node('runtime/worker-main.ts'),
  );
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const workerReady = `http://127.0.0.1:${metricsPort}/ready`;

  // Postgres answers, Temporal does not: each says what it waits for, and the API's resources
  // refuse with the same reason rather than fail.
  const waiting = `waiting for Temporal at ${temporalAddress}`;
  const notReady = await until(api, `${apiUrl}/ready`, (a) => a.text.includes(waiting), 20_000);
  expect(notReady.status).toBe(503);
  expect((await get(`${apiUrl}/health`)).status).toBe(503);
  const refused = await get(`${apiUrl}/v1/jobs`, adminKey);
  expect(refused.status).toBe(503);
  expect(JSON.parse(refused.text).detail).toContain(waiting);
  const workerNotReady = await until(worker, workerReady, (a) => a.text.includes(waiting), 20_000);
  expect(workerNotReady.status).toBe(503);

  // Long enough for both to have failed and retried, saying so.
  await until(worker, workerReady, () => /Waiting for Temporal at/.test(worker.stdout()), 10_000);
  expect(worker.stdout()).toContain('fix TEMPORAL_ADDRESS');
  expect(api.child.exitCode).toBe(null);

  temporal = await startDevServer({
    port: temporalPort,
    namespace: 'default',
    durable: false,
    log: () => {},
  });

  await until(worker, workerReady, (a) => a.status === 200, 30_000);
  const ready = await until(api, `${apiUrl}/ready`, (a) => a.status === 200, 30_000);
  expect(JSON.parse(ready.text)).toMatchObject({ status: 'ready', taskQueue: common.TASK_QUEUE });
  expect((await get(`${apiUrl}/v1/jobs`, adminKey)).status).toBe(200);
  expect(api.stdout()).toContain(`Conveyor API listening on ${apiUrl}`);
  expect(worker.stdout()).toContain(`polling task queue "${common.TASK_QUEUE}"`);
  expect(api.stderr()).toBe('');

  // And both still stop cleanly.
  api.signalGroup('SIGTERM');
  worker.signalGroup('SIGTERM');
  expect((await api.exited).code).toBe(0);
  expect((await worker.exited).code).toBe(0);
}, 60_000);
