import { appendFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { StartError } from '../common/start-error';
import { freePort } from '../runtime/ports';
import { type RunningPostgres, startEmbeddedPostgres } from '../runtime/postgres';
import { isAlive } from '../runtime/processes';
import { reachableDataDir } from './runtime-support';

/** The launcher on its own: durability settings, a postmaster's leftovers, an early exit. */

const dataDir = reachableDataDir('conveyor-pg-');
const running: RunningPostgres[] = [];
const stopped: number[] = [];

afterAll(async () => {
  for (const pg of running) await pg.stop().catch(() => {});
  for (const pid of stopped) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dirname(dataDir), { recursive: true, force: true });
});

async function setting(pg: RunningPostgres, name: string): Promise<string> {
  const sql = postgres(pg.adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql.unsafe(`show ${name}`);
    return String(Object.values(row ?? {})[0]);
  } finally {
    await sql.end();
  }
}

describe('the embedded Postgres launcher', () => {
  let pg: RunningPostgres;

  it('keeps fsync and synchronous_commit on unless told durable: false', async () => {
    pg = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    running.push(pg);
    expect(await setting(pg, 'fsync')).toBe('on');
    expect(await setting(pg, 'synchronous_commit')).toBe('on');
    expect(pg.dataDir).toBe(join(dataDir, 'postgres'));
    await pg.stop();
    expect(isAlive(pg.pid)).toBe(false);

    pg = await startEmbeddedPostgres({ dataDir, port: await freePort(), durable: false });
    running.push(pg);
    expect(await setting(pg, 'fsync')).toBe('off');
    expect(await setting(pg, 'synchronous_commit')).toBe('off');
  });

  it('starts after its postmaster was killed while a backend still holds shared memory', async () => {
    const sql = postgres(pg.adminUrl, { max: 1, onnotice: () => {} });
    const [row] = await sql`select pg_backend_pid() as pid`;
    const backend = Number(row?.pid);
    // A stopped backend cannot notice its postmaster died: the worst case of "still exiting".
    process.kill(backend, 'SIGSTOP');
    stopped.push(backend);
    process.kill(pg.pid, 'SIGKILL');
    void sql.end({ timeout: 0 }).catch(() => {});

    const lines: string[] = [];
    pg = await startEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      stopOrphans: true,
      log: (line) => lines.push(line),
    });
    running.push(pg);
    expect(lines.join('\n')).toContain('Waiting for the previous Postgres to exit');
    expect(isAlive(backend)).toBe(false);
    expect(await setting(pg, 'fsync')).toBe('on');
    await pg.stop();
  });

  it('rejects with the FATAL line when Postgres exits at start', async () => {
    appendFileSync(join(dataDir, 'postgres', 'postgresql.conf'), '\nshared_buffers = nonsense\n');
    const started = startEmbeddedPostgres({ dataDir, port: await freePort() });
    await expect(started).rejects.toBeInstanceOf(StartError);
    await expect(started).rejects.toThrow(
      /^Cannot start embedded Postgres: .*shared_buffers.*; see .*postgres\.log\.$/,
    );
  });
});
