import { existsSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  childEnv,
  freePorts,
  killAllStarted,
  REPO,
  reachableDataDir,
  startMain,
} from './runtime-support';

/** A plain program holding a port, as another service on the machine would. */
function holdPort(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const dirs: string[] = [];
const servers: Server[] = [];

afterAll(() => {
  killAllStarted();
  for (const server of servers) server.close();
  for (const dir of dirs) rmSync(dirname(dir), { recursive: true, force: true });
});

/** Runs `npm start` to its end; returns its exit, its time and its non-empty stderr lines. */
async function failedStart(held: keyof Awaited<ReturnType<typeof freePorts>>) {
  const ports = await freePorts();
  servers.push(await holdPort(Number(ports[held])));
  const dataDir = reachableDataDir('conveyor-failed-');
  dirs.push(dataDir);
  const began = Date.now();
  const proc = startMain(REPO, await childEnv({ ...ports, DATA_DIR: dataDir }));
  const exit = await proc.exited;
  return {
    exit,
    seconds: (Date.now() - began) / 1000,
    lines: proc
      .stderr()
      .split('\n')
      .filter((line) => line.trim() !== ''),
    port: ports[held],
    dataDir,
  };
}

describe('a start that cannot succeed', () => {
  it('says in one stderr line that POSTGRES_PORT is taken, within the bound', async () => {
    const result = await failedStart('POSTGRES_PORT');
    expect(result.exit.code).not.toBe(0);
    expect(result.exit.code).not.toBeNull();
    // The start waits a moment for a port a dying process may still hold, never the whole minute.
    expect(result.seconds).toBeLessThan(60);
    expect(result.lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Cannot start embedded Postgres: port ${result.port} is in use .*set POSTGRES_PORT\\.$`,
        ),
      ),
    ]);
    // DATA_DIR is free again for the next start.
    expect(existsSync(join(result.dataDir, 'conveyor.pid'))).toBe(false);
  });

  it('says in one stderr line that the API PORT is taken, and stops what it started', async () => {
    const result = await failedStart('PORT');
    expect(result.exit.code).not.toBe(0);
    expect(result.exit.code).not.toBeNull();
    expect(result.lines).toEqual([
      expect.stringMatching(
        new RegExp(`^Cannot start the API: port ${result.port} is in use .*set PORT\\.$`),
      ),
    ]);
    // Postgres was running when the API failed; a clean stop removes its postmaster.pid.
    expect(existsSync(join(result.dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    expect(existsSync(join(result.dataDir, 'conveyor.pid'))).toBe(false);
  });
});
