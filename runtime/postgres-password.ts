import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import postgres from 'postgres';
import { StartError } from '../common/start-error';
import { SUPERUSER } from './postgres-cluster';
import { ensureSecretFile, readSecretFile } from './private-files';

/**
 * The embedded superuser's password is generated per DATA_DIR and kept in
 * DATA_DIR/postgres-password (0600). Versions before it used this fixed one, which any local
 * user could type; a cluster still on it is moved to the generated one at start.
 */
export const LEGACY_PASSWORD = 'conveyor';

const PASSWORD_FILE = 'postgres-password';

/** URL-safe, so it goes into a connection URL as it is. */
export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}

/** The superuser's password for DATA_DIR, generated (and kept) on first use. */
export function superuserPassword(dataDir: string): string {
  return ensureSecretFile(join(resolve(dataDir), PASSWORD_FILE), generatePassword).secret;
}

/**
 * The superuser URL of a database in DATA_DIR's embedded Postgres, for tools and tests that
 * connect to a cluster another process started.
 */
export function embeddedSuperuserUrl(dataDir: string, port: number, database: string): string {
  const password = readSecretFile(join(resolve(dataDir), PASSWORD_FILE));
  return `postgres://${SUPERUSER}:${password}@127.0.0.1:${port}/${database}`;
}

/**
 * A SCRAM-SHA-256 verifier (RFC 5802, as Postgres stores it): `ALTER ROLE … PASSWORD` given one
 * never carries the password itself, so no server log or statement view can show it.
 */
export function scramVerifier(password: string, salt = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const hmac = (text: string) => createHmac('sha256', salted).update(text).digest();
  const storedKey = createHash('sha256').update(hmac('Client Key')).digest();
  const serverKey = hmac('Server Key');
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** Sets `role`'s password; the verifier holds only base64 and `$:`, so it is safe to inline. */
export async function setPassword(sql: postgres.Sql, role: string, password: string) {
  await sql.unsafe(`alter role "${role}" password '${scramVerifier(password)}'`);
}

const isBadPassword = (error: unknown) => (error as { code?: string }).code === '28P01';

async function canConnect(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await sql`select 1`;
    return true;
  } catch (error) {
    if (isBadPassword(error)) return false;
    throw error;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/**
 * Makes sure the superuser answers to `password`. A cluster an earlier version made still has
 * the fixed password: it is replaced, and said so. A cluster on neither (the password file was
 * lost or swapped) is refused with the way out.
 */
export async function adoptPassword(
  urlWith: (password: string) => string,
  password: string,
  options: { dataDir: string; log: (line: string) => void },
): Promise<void> {
  if (await canConnect(urlWith(password))) return;
  const file = join(resolve(options.dataDir), PASSWORD_FILE);
  if (!(await canConnect(urlWith(LEGACY_PASSWORD)))) {
    throw new StartError(
      `Cannot start embedded Postgres: its superuser refuses the password in ${file}; put back the file that belongs to this cluster, or set DATABASE_URL.`,
    );
  }
  const sql = postgres(urlWith(LEGACY_PASSWORD), { max: 1, onnotice: () => {} });
  try {
    await setPassword(sql, SUPERUSER, password);
  } finally {
    await sql.end({ timeout: 1 });
  }
  options.log(
    `Embedded Postgres: replaced the fixed password of an earlier version with a generated one, kept in ${file}`,
  );
}

/**
 * Lines of pg_hba.conf that do not demand a SCRAM password. initdb was told scram for every
 * line; one edited to `trust` would let any local user in as the superuser.
 */
export function hbaLinesWithoutScram(clusterDir: string): string[] {
  let text: string;
  try {
    text = readFileSync(join(clusterDir, 'pg_hba.conf'), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '' && !/\sscram-sha-256(\s|$)/.test(line));
}
