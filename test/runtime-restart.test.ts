import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runningPostmaster } from '../runtime/postgres-cluster';
import { allPids, commandLine, isAlive } from '../runtime/processes';
import {
  api,
  type ConveyorProcess,
  childEnv,
  freePorts,
  killAllStarted,
  mainPid,
  REPO,
  reachableDataDir,
  startMain,
  waitForHealth,
} from './runtime-support';

/**
 * `npm start` killed with SIGKILL, whole or only its main process, starts again on its own
 * on the same DATA_DIR, and what was written before the kill is still there.
 */

const dataDir = reachableDataDir('conveyor-restart-');
const cluster = join(dataDir, 'postgres');
let env: NodeJS.ProcessEnv;
let apiUrl: string;
let collectionId: string;

function devServersOnDataDir(): number[] {
  const sqlite = join(dataDir, 'temporal.sqlite');
  return allPids().filter((pid) => isAlive(pid) && commandLine(pid)?.includes(sqlite));
}

async function start(): Promise<ConveyorProcess> {
  const proc = startMain(REPO, env);
  await waitForHealth(proc, apiUrl);
  return proc;
}

async function expectCollectionKept(): Promise<void> {
  const response = await api(apiUrl, dataDir, 'GET', `/v1/collections/${collectionId}`);
  expect(response.status).toBe(200);
  expect(response.body.name).toBe('made-before-the-kill');
}

beforeAll(async () => {
  const ports = await freePorts();
  env = await childEnv({ ...ports, DATA_DIR: dataDir });
  apiUrl = `http://127.0.0.1:${ports.PORT}`;
});

afterAll(() => {
  killAllStarted();
  rmSync(dirname(dataDir), { recursive: true, force: true });
});

describe('npm start after SIGKILL', () => {
  let current: ConveyorProcess;

  it('runs, keeps a collection, and refuses a second Conveyor on its DATA_DIR', async () => {
    current = await start();
    const created = await api(apiUrl, dataDir, 'POST', '/v1/collections', {
      name: 'made-before-the-kill',
    });
    expect(created.status).toBe(201);
    collectionId = created.body.id;

    const second = startMain(REPO, env);
    const exit = await second.exited;
    expect(exit.code).toBe(1);
    expect(second.stderr().trim()).toBe(
      `Conveyor is already running (pid ${mainPid(dataDir)}) on DATA_DIR ${dataDir}; stop it or use another DATA_DIR.`,
    );
  });

  it('comes back after its whole process group was killed', async () => {
    current.signalGroup('SIGKILL');
    await current.exited;
    // What a crash leaves: the lock and postmaster.pid of processes that are gone.
    expect(existsSync(join(dataDir, 'conveyor.pid'))).toBe(true);
    expect(existsSync(join(cluster, 'postmaster.pid'))).toBe(true);

    current = await start();
    expect(current.stdout()).toContain('did not stop cleanly; recovering');
    await expectCollectionKept();
  });

  it('comes back after only its main process was killed, stopping the orphans', async () => {
    const main = mainPid(dataDir);
    const postmaster = runningPostmaster(cluster);
    const devServers = devServersOnDataDir();
    expect(postmaster).toBeDefined();
    expect(devServers).toHaveLength(1);
    process.kill(main, 'SIGKILL');
    await current.exited;
    // The children outlive their parent and keep the data directory and ports.
    expect(isAlive(postmaster as number)).toBe(true);
    expect(isAlive(devServers[0] as number)).toBe(true);

    current = await start();
    expect(current.stdout()).toContain(
      `Stopping the Postgres a previous start left running (pid ${postmaster})`,
    );
    expect(isAlive(postmaster as number)).toBe(false);
    expect(isAlive(devServers[0] as number)).toBe(false);
    expect(runningPostmaster(cluster)).not.toBe(postmaster);
    await expectCollectionKept();
  });

  it('stops cleanly on Ctrl-C and frees DATA_DIR', async () => {
    current.signalGroup('SIGINT');
    const exit = await current.exited;
    expect(exit.code).toBe(0);
    expect(current.stdout()).toContain('Stopped.');
    expect(existsSync(join(dataDir, 'conveyor.pid'))).toBe(false);
    expect(readFileSync(join(dataDir, 'postgres.log'), 'utf8')).toContain(
      'database system is shut down',
    );
  });
});
