import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { StartError } from '../common/start-error';

/**
 * DATA_DIR holds every tenant's data and the secrets that reach it (the admin key, the embedded
 * Postgres's password), so only its owner may enter it. As root the embedded Postgres runs as
 * the `postgres` user, which must reach its cluster inside: then that user's group may pass
 * through (0710), and still cannot list the directory or read the secrets, which are 0600.
 */
export function ensurePrivateDir(path: string, passer?: { gid: number }): string {
  const dir = resolve(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // DATA_DIR itself may be a link the operator made to another disk; what it holds may not.
  const stat = statSync(dir);
  const uid = process.getuid?.();
  if (!stat.isDirectory()) {
    throw new StartError(`Cannot use DATA_DIR ${dir}: it is not a directory; choose another.`);
  }
  if (uid !== undefined && stat.uid !== uid) {
    throw new StartError(
      `Cannot use DATA_DIR ${dir}: it belongs to uid ${stat.uid}, not to this user (uid ${uid}), and holds secrets; chown it or choose another DATA_DIR.`,
    );
  }
  if (passer) {
    if (stat.gid !== passer.gid) chownSync(dir, stat.uid, passer.gid);
    if ((stat.mode & 0o777) !== 0o710) chmodSync(dir, 0o710);
    return dir;
  }
  // Root's 0710 is the postgres user's way in (set by the layout), not a leak to close.
  const passOnly = uid === 0 && (stat.mode & 0o777) === 0o710;
  if (!passOnly && (stat.mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
  return dir;
}

/**
 * Creates `file` holding `content`, readable by its owner only, unless it exists: the content
 * is written to a fresh private name first and linked into place, which fails when anything
 * (another start's file, a symlink) is already there. So two starts cannot both win, a reader
 * never sees a half-written file, and a planted symlink is never followed.
 * Returns false when the file existed.
 */
export function createSecretFile(file: string, content: string): boolean {
  const partial = join(dirname(file), `.${randomBytes(6).toString('hex')}.partial`);
  writeFileSync(partial, content, { flag: 'wx', mode: 0o600 });
  try {
    linkSync(partial, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(partial);
  }
}

/**
 * Reads a secret file this process owns, without following a symlink; a file another user
 * planted is refused (its content would become a credential), and one an earlier version left
 * readable by others is narrowed to 0600.
 */
export function readSecretFile(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') {
      throw new StartError(
        `Refusing ${file}: it is a symbolic link, and a secret is read only from a file of its own; remove it.`,
      );
    }
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    const uid = process.getuid?.();
    if (!stat.isFile() || (uid !== undefined && stat.uid !== uid)) {
      throw new StartError(
        `Refusing ${file}: it is not a regular file of this user (uid ${uid}); remove it.`,
      );
    }
    if ((stat.mode & 0o077) !== 0) fchmodSync(fd, 0o600);
    return readFileSync(fd, 'utf8').trim();
  } finally {
    closeSync(fd);
  }
}

/** The secret kept in `file`, made from `generate()` on first use; see createSecretFile. */
export function ensureSecretFile(
  file: string,
  generate: () => string,
): { secret: string; created: boolean } {
  const candidate = generate();
  const created = createSecretFile(file, `${candidate}\n`);
  const secret = readSecretFile(file);
  if (!secret) throw new StartError(`Refusing ${file}: it is empty; remove it.`);
  return { secret, created };
}
