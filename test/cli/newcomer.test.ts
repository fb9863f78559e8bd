import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type ConveyorProcess,
  childEnv,
  freePorts,
  killAllStarted,
  REPO,
  reachableDataDir,
  startMain,
  waitForHealth,
} from '../runtime-support';
import { runCli } from './run-cli';

/**
 * A newcomer's first minutes, as the README and examples/README.md tell them: `conveyor start`
 * with the example handlers, `doctor`, apply an example job, load its items, run it with
 * `--watch`, and stop with Ctrl-C. Every step is the real bin in its own process.
 */

const dataDir = reachableDataDir('conveyor-newcomer-');
const example = (file: string) => join(REPO, 'examples', 'handbook-index', file);
let service: ConveyorProcess;
let target: { url: string; adminKey: string };
let uiPort: string;

beforeAll(async () => {
  const ports = await freePorts();
  uiPort = ports.TEMPORAL_UI_PORT;
  const env = await childEnv({
    ...ports,
    DATA_DIR: dataDir,
    // As the README's command gives them: the example's handlers read its files under FILE_ROOTS.
    FILE_ROOTS: join(REPO, 'examples'),
    HANDLER_MODULES: 'examples/handlers/index.ts',
  });
  service = startMain(REPO, env, [process.execPath, join(REPO, 'bin', 'conveyor.mjs'), 'start']);
  const url = `http://127.0.0.1:${ports.PORT}`;
  await waitForHealth(service, url);
  target = { url, adminKey: readFileSync(join(dataDir, 'admin-key'), 'utf8').trim() };
}, 180_000);
afterAll(() => killAllStarted());

it('starts, checks, applies, loads, runs with --watch and stops', async () => {
  expect(service.stdout()).toContain('Conveyor is running.');
  expect(service.stdout()).toContain(`Console:    ${target.url}/ui`);

  const doctor = await runCli(target, ['doctor']);
  expect(doctor.stdout, doctor.stdout).toContain('All checks passed.');
  expect(doctor.stdout).toMatch(/Workers\s+1 polling conveyor .*text\.index@1/);

  const applied = await runCli(target, ['jobs', 'apply', example('job.json')]);
  expect(applied.stdout).toMatch(/handbook-index\s*│\s*created/);
  const created = await runCli(target, [
    'collections',
    'create',
    'handbook',
    '--items',
    example('items.json'),
  ]);
  expect(created.stdout).toContain('Loaded 9 items into');

  const run = await runCli(target, [
    'run',
    'handbook-index',
    '--collection',
    'handbook',
    '--watch',
  ]);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/completed: 8 done, 1 failed, 0 skipped of 9 items/);
  expect(run.stdout).toMatch(/cost index: \d+ tokens over 8 items/);
  expect(run.stdout).toContain(
    `Web UI: http://127.0.0.1:${uiPort}/namespaces/default/workflows/op-`,
  );

  service.signalGroup('SIGINT');
  expect((await service.exited).code).toBe(0);
}, 180_000);
