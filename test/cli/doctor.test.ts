import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { maintenanceScheduleId } from '../../common/maintenance';
import { migrationState } from '../../db/diagnostics';
import { builtInHandlers, createHandlerRegistry } from '../../handlers/registry';
import { installMaintenanceSchedule } from '../../runtime/maintenance-schedule';
import { freePort } from '../../runtime/ports';
import { type Harness, startHarness, waitFor } from '../harness';
import { parseJson, runCli } from './run-cli';

let healthy: Harness;
let workerless: Harness;

beforeAll(async () => {
  [healthy, workerless] = await Promise.all([startHarness(), startHarness({ worker: false })]);
  // What every API start installs; the harness starts its API without it.
  await installMaintenanceSchedule(healthy.temporal, {
    TASK_QUEUE: healthy.taskQueue,
    MAINTENANCE_EVERY_SECONDS: 3_600,
    EVENT_RETENTION_DAYS: 30,
    TEST_RETENTION_DAYS: 7,
  });
});
afterAll(async () => {
  await healthy?.temporal.schedule.getHandle(maintenanceScheduleId(healthy.taskQueue)).delete();
  await Promise.all([healthy?.stop(), workerless?.stop()]);
});

it('passes every check on a healthy setup', async () => {
  const result = await runCli(healthy, ['doctor']);
  expect(result.stdout).toContain('All checks passed.');
  for (const name of [
    'API',
    'API key',
    'Postgres',
    'Temporal',
    'Temporal namespace',
    'Search attributes',
    'Maintenance schedule',
    'Workers',
    'Clock skew',
  ]) {
    expect(result.stdout).toMatch(new RegExp(`^\\[ok\\]\\s+${name}\\s`, 'm'));
  }
  expect(result.stdout).toMatch(/Workers\s+1 polling test-\w+ .*each runs .*noop@1/);
  expect(result.code).toBe(0);

  const json = parseJson(await runCli(healthy, ['doctor', '--json']));
  expect(json.ok).toBe(true);
  expect(json.checks).toHaveLength(9);
});

it('fails with the fix when no worker polls the task queue', async () => {
  const result = await runCli(workerless, ['doctor']);
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(
    new RegExp(
      `^\\[FAIL\\] Workers\\s+no worker is polling task queue ${workerless.taskQueue}: .* → start one: \`conveyor worker\``,
      'm',
    ),
  );
  expect(result.stdout).toMatch(
    /^\[FAIL\] Maintenance schedule\s+conveyor-maintenance-\S+ is missing/m,
  );
  expect(result.stdout).toMatch(/^\[ok\]\s+Postgres\s+reachable, migrated/m);
});

it('warns when a worker lacks handlers the API accepts jobs for', async () => {
  // A worker of an older build: it runs noop only.
  const noopOnly = createHandlerRegistry(
    builtInHandlers.filter((handler) => handler.name === 'noop'),
  );
  await workerless.addWorker({ identity: 'old-build@test', handlers: noopOnly });
  const result = await waitFor(
    () => runCli(workerless, ['doctor']),
    (run) => /Workers\s+1 polling/.test(run.stdout),
    { what: 'the old build polling', timeoutMs: 20_000 },
  );
  expect(result.stdout).toMatch(
    /^\[warn\] Workers\s+1 polling test-\w+, but old-build@test lacks http\.fetch@1, .* → run every worker from the same code/m,
  );
});

it('fails with one clear line when the API is down, or the key is refused', async () => {
  const url = `http://127.0.0.1:${await freePort()}`;
  const down = await runCli({ url, adminKey: 'cvk_any' }, ['doctor']);
  expect(down.code).toBe(1);
  expect(down.stdout).toMatch(
    new RegExp(
      `^\\[FAIL\\] API\\s+not reachable at ${url} \\(from CONVEYOR_URL\\): ECONNREFUSED → start it with \`conveyor start\``,
      'm',
    ),
  );
  expect(down.stdout).toMatch(/^\[skip\] Workers\s+the API is not reachable/m);

  const refused = await runCli({ url: healthy.url, adminKey: 'cvk_wrong' }, ['doctor']);
  expect(refused.code).toBe(1);
  expect(refused.stdout).toMatch(/^\[FAIL\] API key\s+refused by the API \(401\) → pass a key/m);
});

it('migrates an empty database with `conveyor migrate`', async () => {
  const name = `conveyor_cli_${randomBytes(4).toString('hex')}`;
  const admin = postgres(inject('postgresUrlTemplate'), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(inject('postgresUrlTemplate'));
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
  try {
    const before = await migrationState(sql);
    expect(before.applied).toBe(0);
    expect(before.pending).toHaveLength(before.expected);
    const result = await runCli(healthy, ['migrate', '--database-url', url.toString()]);
    expect(result.stdout).toContain(`Migrations applied to ${url.host}/${name}.`);
    expect(result.code).toBe(0);
    expect(await migrationState(sql)).toEqual({ ...before, applied: before.expected, pending: [] });
  } finally {
    await sql.end();
    await admin.unsafe(`drop database ${name}`);
    await admin.end();
  }
});
