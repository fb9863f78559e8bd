import { execFileSync, spawnSync } from 'node:child_process';
import {
  chownSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StartError } from '../../common/start-error';
import { migrateDatabase } from '../../db/client';
import { ensureDefaultTenant } from '../../db/tenants';
import { resolveAdminKey } from '../../runtime/admin-key';
import { freePort } from '../../runtime/ports';
import { type RunningPostgres, startEmbeddedPostgres } from '../../runtime/postgres';
import { hbaLinesWithoutScram, LEGACY_PASSWORD } from '../../runtime/postgres-password';
import { bootstrapServiceDatabase, SERVICE_ROLE } from '../../runtime/postgres-roles';
import { expectProblem, type Harness, startHarness } from '../harness';
import {
  childEnv,
  freePorts,
  killAllStarted,
  REPO,
  reachableDataDir,
  startMain,
  waitForHealth,
} from '../runtime-support';

/**
 * What a local user, or a tenant admin, could do with Conveyor's own credentials: log in to the
 * embedded Postgres, run programs through it, read DATA_DIR's secrets, plant the admin key,
 * revoke or mint the key that manages every tenant.
 */

const isRoot = process.getuid?.() === 0;
const postgresGid = () => Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
const postgresUid = () => Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
const dirs: string[] = [];
const clusters: RunningPostgres[] = [];

afterAll(async () => {
  killAllStarted();
  for (const pg of clusters) await pg.stop().catch(() => {});
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function dataDir(prefix: string): string {
  const dir = reachableDataDir(prefix);
  dirs.push(dirname(dir));
  return dir;
}

const modeOf = (path: string) => statSync(path).mode & 0o777;

/** DATA_DIR is its owner's; as root the postgres user's group may pass through to its cluster. */
function expectPrivateDir(dir: string) {
  if (isRoot) {
    expect(modeOf(dir)).toBe(0o710);
    expect(statSync(dir).gid).toBe(postgresGid());
    const asPostgres = (...args: string[]) =>
      spawnSync(args[0] as string, args.slice(1), { uid: postgresUid(), gid: postgresGid() })
        .status;
    expect(asPostgres('ls', dir)).not.toBe(0);
    expect(asPostgres('test', '-r', join(dir, 'postgres-password'))).not.toBe(0);
    expect(asPostgres('test', '-x', dir)).toBe(0);
  } else {
    expect(modeOf(dir)).toBe(0o700);
  }
}

/** The Postgres error code of a query (or a connection) as `url`; undefined when it succeeds. */
async function failureCode(url: string, query: string): Promise<string | undefined> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(query);
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code ?? (error as Error).message;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

async function asSuperuser<T>(
  pg: RunningPostgres,
  database: string,
  work: (sql: postgres.Sql) => Promise<T>,
) {
  const sql = postgres(pg.urlFor(database), { max: 1, onnotice: () => {} });
  try {
    return await work(sql);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

describe('the embedded Postgres', () => {
  const dir = dataDir('conveyor-creds-pg-');
  let pg: RunningPostgres;
  let serviceUrl: string;

  beforeAll(async () => {
    pg = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), durable: false });
    clusters.push(pg);
  });

  it('has a generated superuser password, 0600 in a private DATA_DIR, and asks every client for it', async () => {
    expectPrivateDir(dir);
    const file = join(dir, 'postgres-password');
    expect(modeOf(file)).toBe(0o600);
    const password = readFileSync(file, 'utf8').trim();
    expect(password).toMatch(/^[\w-]{32}$/);
    expect(hbaLinesWithoutScram(pg.dataDir)).toEqual([]);
    expect(await failureCode(pg.adminUrl, 'select 1')).toBeUndefined();
    const as = (pass: string) => pg.urlFor('postgres', { user: 'conveyor', password: pass });
    expect(await failureCode(as(LEGACY_PASSWORD), 'select 1')).toBe('28P01');
  });

  it('gives the service a role that owns its database and reaches nothing else', async () => {
    const lines: string[] = [];
    serviceUrl = await bootstrapServiceDatabase(pg, 'conveyor', (line) => lines.push(line));
    expect(new URL(serviceUrl).username).toBe(SERVICE_ROLE);
    // Migrations, the API and the worker all run as this role.
    await migrateDatabase(serviceUrl);
    expect(
      await failureCode(serviceUrl, `insert into tenants (name) values ('by-the-service')`),
    ).toBeUndefined();

    const role = await asSuperuser(
      pg,
      'postgres',
      (sql) => sql`
      select rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls,
             (select count(*)::int from pg_auth_members where member = r.oid) as memberships
      from pg_roles r where rolname = ${SERVICE_ROLE}`,
    );
    expect(role).toEqual([
      {
        rolsuper: false,
        rolcreaterole: false,
        rolcreatedb: false,
        rolreplication: false,
        rolbypassrls: false,
        memberships: 0,
      },
    ]);

    // The host: no programs, no server files.
    expect(
      await failureCode(serviceUrl, `copy (select 1) to program 'touch /tmp/conveyor-owned'`),
    ).toBe('42501');
    expect(await failureCode(serviceUrl, `select pg_read_file('/etc/passwd')`)).toBe('42501');
    expect(await failureCode(serviceUrl, `create database escape`)).toBe('42501');
    expect(await failureCode(serviceUrl, `create role escape superuser`)).toBe('42501');
    expect(await failureCode(serviceUrl, `select * from pg_authid`)).toBe('42501');

    // Another database on the same server: its rows stay out of reach.
    await asSuperuser(pg, 'postgres', (sql) => sql`create database other_product`);
    await asSuperuser(pg, 'other_product', (sql) =>
      sql.unsafe(`create table secrets (value text); insert into secrets values ('s3cret')`),
    );
    const otherUrl = serviceUrl.replace(/\/conveyor$/, '/other_product');
    expect(await failureCode(otherUrl, 'select value from secrets')).toBe('42501');

    // And other roles the cluster gains stay out of Conveyor's database.
    await asSuperuser(
      pg,
      'postgres',
      (sql) => sql`create role bystander login password 'bystander'`,
    );
    const bystander = pg.urlFor('conveyor', { user: 'bystander', password: 'bystander' });
    expect(await failureCode(bystander, 'select 1')).toBe('42501');
  });

  it('gives the service role a new password at every start', async () => {
    const next = await bootstrapServiceDatabase(pg, 'conveyor', () => {});
    expect(await failureCode(next, 'select count(*) from tenants')).toBeUndefined();
    expect(await failureCode(serviceUrl, 'select 1')).toBe('28P01');
  });

  it('hands a database an earlier version made, as the superuser, over to the service role', async () => {
    await asSuperuser(pg, 'postgres', (sql) => sql`create database earlier`);
    // What earlier versions did: migrations as the superuser, which then owned everything.
    await migrateDatabase(pg.urlFor('earlier'));
    const lines: string[] = [];
    const url = await bootstrapServiceDatabase(pg, 'earlier', (line) => lines.push(line));
    expect(lines).toEqual([
      `Embedded Postgres: database "earlier" now belongs to ${SERVICE_ROLE}, not the superuser`,
    ]);
    const leftBehind = await asSuperuser(
      pg,
      'earlier',
      (sql) => sql`
      select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname in ('public', 'drizzle') and pg_get_userbyid(c.relowner) <> ${SERVICE_ROLE}
      union all
      select p.proname::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'public' and pg_get_userbyid(p.proowner) <> ${SERVICE_ROLE}`,
    );
    expect(leftBehind).toEqual([]);
    await migrateDatabase(url);
    expect(
      await failureCode(url, `insert into tenants (name) values ('after-the-handover')`),
    ).toBeUndefined();
    // A second start finds nothing left to hand over.
    const again: string[] = [];
    await bootstrapServiceDatabase(pg, 'earlier', (line) => again.push(line));
    expect(again).toEqual([]);
  });

  it('moves a cluster still on the fixed password to a generated one, and says so', async () => {
    // What an earlier version left: the fixed password, and no password file.
    await asSuperuser(pg, 'postgres', (sql) =>
      sql.unsafe(`alter role conveyor password '${LEGACY_PASSWORD}'`),
    );
    await pg.stop();
    unlinkSync(join(dir, 'postgres-password'));

    const lines: string[] = [];
    pg = await startEmbeddedPostgres({
      dataDir: dir,
      port: await freePort(),
      durable: false,
      log: (line) => lines.push(line),
    });
    clusters.push(pg);
    const file = join(dir, 'postgres-password');
    expect(lines).toContain(
      `Embedded Postgres: replaced the fixed password of an earlier version with a generated one, kept in ${file}`,
    );
    expect(modeOf(file)).toBe(0o600);
    const as = (pass: string) => pg.urlFor('postgres', { user: 'conveyor', password: pass });
    expect(await failureCode(as(LEGACY_PASSWORD), 'select 1')).toBe('28P01');
    expect(await failureCode(as(readFileSync(file, 'utf8').trim()), 'select 1')).toBeUndefined();
  });
});

describe('the admin key file', () => {
  it('is made 0600 in a private DATA_DIR and kept across starts', () => {
    const dir = dataDir('conveyor-creds-key-');
    const first = resolveAdminKey(dir);
    const file = join(dir, 'admin-key');
    expect(first.source).toBe(`${file} (new)`);
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(dir)).toBe(0o700);
    expect(resolveAdminKey(dir)).toEqual({ key: first.key, source: file });
  });

  it('does not follow a symlink planted at its path', () => {
    const dir = dataDir('conveyor-creds-link-');
    mkdirSync(dir, { recursive: true });
    const planted = join(dirname(dir), 'planted');
    writeFileSync(planted, 'cvk_chosen_by_someone_else\n');
    symlinkSync(planted, join(dir, 'admin-key'));
    expect(() => resolveAdminKey(dir)).toThrow(StartError);
    expect(() => resolveAdminKey(dir)).toThrow(/admin-key: it is a symbolic link/);
    expect(readFileSync(planted, 'utf8')).toBe('cvk_chosen_by_someone_else\n');
  });

  it.skipIf(!isRoot)('refuses a key file another user made', () => {
    const dir = dataDir('conveyor-creds-owner-');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'admin-key');
    writeFileSync(file, 'cvk_chosen_by_someone_else\n', { mode: 0o600 });
    chownSync(file, 65534, 65534);
    expect(() => resolveAdminKey(dir)).toThrow(/not a regular file of this user/);
  });
});

describe('system keys', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ worker: false });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('cannot be revoked or minted by a tenant admin', async () => {
    const created = await harness.api('POST', '/v1/api-keys', {
      name: 'default-tenant-admin',
      role: 'admin',
      system: true,
    });
    // Unknown fields are dropped or refused; either way no system key comes of it.
    if (created.status === 201) expect(created.body.system).toBe(false);
    else expectProblem(created, 400, 'validation');
    const tenantAdmin =
      created.status === 201 ? (created.body.key as string) : await harness.keyWithRole('admin');
    expectProblem(
      await harness.api('GET', '/v1/tenants', undefined, tenantAdmin),
      403,
      'forbidden',
    );

    const keys = await harness.api('GET', '/v1/api-keys', undefined, tenantAdmin);
    const system = keys.body.data.find((key: { system: boolean }) => key.system);
    const refused = await harness.api(
      'DELETE',
      `/v1/api-keys/${system.id}`,
      undefined,
      tenantAdmin,
    );
    expectProblem(refused, 409, 'conflict');
    expect(refused.body.detail).toMatch(/system key .* CONVEYOR_ADMIN_KEY/);
    // The same id in upper case is the same key to Postgres.
    const upper = system.id.toUpperCase();
    expectProblem(
      await harness.api('DELETE', `/v1/api-keys/${upper}`, undefined, tenantAdmin),
      409,
      'conflict',
    );
    expect((await harness.api('GET', '/v1/tenants')).status).toBe(200);
  });

  it('is revoked when the service starts with another CONVEYOR_ADMIN_KEY', async () => {
    const rotated = `cvk_rotated_${Date.now()}`;
    // What every start does with the configured key.
    await ensureDefaultTenant(harness.database.db, rotated);
    expectProblem(await harness.api('GET', '/v1/tenants'), 401, 'unauthorized');
    expect((await harness.api('GET', '/v1/tenants', undefined, rotated)).status).toBe(200);
    // The rotated-away key stays revoked: a stale setting cannot bring it back.
    await expect(ensureDefaultTenant(harness.database.db, harness.adminKey)).rejects.toThrow(
      /revoked when another system key replaced it/,
    );
  });
});

describe('npm start', () => {
  it('connects as the service role and honours a rotated CONVEYOR_ADMIN_KEY after a restart', async () => {
    const dir = dataDir('conveyor-creds-start-');
    const ports = await freePorts();
    const apiUrl = `http://127.0.0.1:${ports.PORT}`;
    const keys = { first: `cvk_first_${Date.now()}`, second: `cvk_second_${Date.now()}` };
    const status = async (key: string) =>
      (await fetch(`${apiUrl}/v1/tenants`, { headers: { authorization: `Bearer ${key}` } })).status;
    const start = async (key: string) => {
      const proc = startMain(
        REPO,
        await childEnv({ ...ports, DATA_DIR: dir, CONVEYOR_ADMIN_KEY: key }),
      );
      await waitForHealth(proc, apiUrl);
      return proc;
    };

    const first = await start(keys.first);
    expectPrivateDir(dir);
    expect(modeOf(join(dir, 'postgres-password'))).toBe(0o600);
    const superuserUrl = `postgres://conveyor:${readFileSync(join(dir, 'postgres-password'), 'utf8').trim()}@127.0.0.1:${ports.POSTGRES_PORT}/conveyor`;
    const sql = postgres(superuserUrl, { max: 1, onnotice: () => {} });
    try {
      const users = await sql`
        select distinct usename from pg_stat_activity where datname = 'conveyor' and pid <> pg_backend_pid()`;
      expect(users).toEqual([{ usename: SERVICE_ROLE }]);
    } finally {
      await sql.end({ timeout: 1 });
    }
    expect(await status(keys.first)).toBe(200);
    first.signalGroup('SIGINT');
    expect((await first.exited).code).toBe(0);

    await start(keys.second);
    expect(await status(keys.first)).toBe(401);
    expect(await status(keys.second)).toBe(200);
  });
});
