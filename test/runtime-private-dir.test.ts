import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runningPostmaster } from '../runtime/postgres-cluster';
import { SHARED_ROOT } from '../runtime/postgres-layout';
import {
  childEnv,
  freePorts,
  killAllStarted,
  REPO,
  startMain,
  waitForHealth,
} from './runtime-support';

/**
 * As root, a clone inside a 0700 directory: the postgres user can reach neither the binaries
 * under node_modules nor DATA_DIR, so both must be found a place it can reach.
 */

const isRoot = process.getuid?.() === 0;
const cleanup: string[] = [];

afterAll(() => {
  killAllStarted();
  for (const path of cleanup) rmSync(path, { recursive: true, force: true });
});

it.skipIf(!isRoot)('starts as root from a clone in a private directory', async () => {
  const home = mkdtempSync(join(tmpdir(), 'conveyor-private-'));
  cleanup.push(home);
  expect(statSync(home).mode & 0o777).toBe(0o700);
  const clone = join(home, 'conveyor');
  execFileSync('git', ['clone', '-q', REPO, clone]);
  // The runtime under test is the working tree's; the rest is the last commit.
  for (const file of readdirSync(join(REPO, 'runtime'))) {
    cpSync(join(REPO, 'runtime', file), join(clone, 'runtime', file));
  }
  // A copy, not a symlink: a link to /work/main/node_modules would be reachable and would not
  // test the binaries' copy. `cp -a` of a warm tree takes seconds; `npm ci` takes minutes.
  execFileSync('cp', ['-a', join(REPO, 'node_modules'), join(clone, 'node_modules')]);

  // The binaries are copied once per version and machine; a first run here does the copy.
  const firstCopy =
    !existsSync(SHARED_ROOT) ||
    !readdirSync(SHARED_ROOT).some((name) => name.startsWith('postgres-'));
  const ports = await freePorts();
  const proc = startMain(clone, await childEnv({ ...ports }));
  await waitForHealth(proc, `http://127.0.0.1:${ports.PORT}`);

  if (firstCopy) expect(proc.stdout()).toContain('Copying the Postgres binaries');
  const where = /Postgres data: (\S+) \(DATA_DIR is not reachable by the postgres user\)/.exec(
    proc.stdout(),
  );
  expect(where?.[1]).toMatch(new RegExp(`^${SHARED_ROOT}/[0-9a-f]{16}/postgres$`));
  const cluster = where?.[1] as string;
  cleanup.push(dirname(cluster));
  expect(readFileSync(join(dirname(cluster), 'data-dir'), 'utf8').trim()).toBe(
    join(clone, '.data'),
  );
  // The server runs the copied binaries, as the postgres user.
  const postmaster = runningPostmaster(cluster) as number;
  expect(postmaster).toBeGreaterThan(0);
  expect(readlinkSync(`/proc/${postmaster}/exe`)).toMatch(
    new RegExp(`^${SHARED_ROOT}/postgres-[^/]+/bin/postgres$`),
  );
  const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${postmaster}/status`, 'utf8'))?.[1];
  expect(uid).toBe(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());

  // DATA_DIR and its secrets stay root's; the postgres user's group may only pass through.
  const data = join(clone, '.data');
  expect(statSync(data).mode & 0o777).toBe(0o710);
  expect(statSync(join(data, 'admin-key')).mode & 0o777).toBe(0o600);
  expect(statSync(join(data, 'postgres-password')).mode & 0o777).toBe(0o600);

  proc.signalGroup('SIGINT');
  expect((await proc.exited).code).toBe(0);
  expect(proc.stdout()).toContain('Stopped.');
});
