import postgres from 'postgres';
import type { RunningPostgres } from './postgres';
import { SUPERUSER } from './postgres-cluster';
import { generatePassword, setPassword } from './postgres-password';

/**
 * The role the service (API, worker, migrations) connects to the embedded Postgres as: it owns
 * Conveyor's database and nothing else, and may not create roles or databases, read server
 * files or run programs. A tenant who found a way to make the service run SQL of their choice
 * would still not reach the host or another database. The superuser only bootstraps it.
 */
export const SERVICE_ROLE = 'conveyor_service';

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Errors a concurrent bootstrap's identical work raises: the object is there either way. */
const ALREADY_THERE = new Set(['42710', '42P04']);

async function tolerateDuplicate(work: Promise<unknown>): Promise<void> {
  await work.catch((error: { code?: string }) => {
    if (!ALREADY_THERE.has(error.code ?? '')) throw error;
  });
}

/**
 * Creates the service role and `database` owned by it, idempotently, and gives the role a new
 * password: only this process needs it, so it is never written down and each start has its
 * own. A database an earlier version made (owned by the superuser) is handed to the role with
 * everything in it. Returns the URL the service connects with.
 */
export async function bootstrapServiceDatabase(
  pg: RunningPostgres,
  database: string,
  log: (line: string) => void,
): Promise<string> {
  const password = generatePassword();
  const admin = postgres(pg.adminUrl, { max: 1, onnotice: () => {} });
  let owner: string | undefined;
  try {
    await tolerateDuplicate(admin.unsafe(`create role ${quote(SERVICE_ROLE)} login`));
    await admin.unsafe(
      `alter role ${quote(SERVICE_ROLE)} login nosuperuser nocreatedb nocreaterole noreplication nobypassrls`,
    );
    // Memberships (pg_execute_server_program, pg_read_server_files, …) grant what the
    // attributes above withhold; the role needs none.
    const granted = await admin<{ name: string }[]>`
      select g.rolname as name from pg_auth_members m
      join pg_roles g on g.oid = m.roleid join pg_roles r on r.oid = m.member
      where r.rolname = ${SERVICE_ROLE}`;
    for (const { name } of granted) {
      await admin.unsafe(`revoke ${quote(name)} from ${quote(SERVICE_ROLE)}`);
    }
    await setPassword(admin, SERVICE_ROLE, password);
    const [found] = await admin<{ owner: string }[]>`
      select pg_get_userbyid(datdba) as owner from pg_database where datname = ${database}`;
    owner = found?.owner;
    if (!found) {
      await tolerateDuplicate(
        admin.unsafe(`create database ${quote(database)} owner ${quote(SERVICE_ROLE)}`),
      );
    }
    // Other roles the cluster may gain have no business in Conveyor's database.
    await admin.unsafe(`revoke connect, temporary on database ${quote(database)} from public`);
  } finally {
    await admin.end({ timeout: 1 });
  }
  if (owner && owner !== SERVICE_ROLE) {
    await handOver(pg.urlFor(database), database);
    log(
      `Embedded Postgres: database "${database}" now belongs to ${SERVICE_ROLE}, not the superuser`,
    );
  }
  return pg.urlFor(database, { user: SERVICE_ROLE, password });
}

/**
 * The statements that give the superuser's objects in the current database to the service
 * role, outside Postgres's own schemas. REASSIGN OWNED cannot do it: the superuser that initdb
 * made owns the system catalogs too. Run in steps, since a table's sequences and row type
 * follow it and must not be handed over twice.
 */
const HAND_OVER_STEPS = [
  `select format('alter schema %I owner to %I', nspname, $1::text) as statement
     from pg_namespace where nspowner = $2::regrole and nspname !~ '^pg_' and nspname <> 'information_schema'`,
  `select format('alter %s %s owner to %I',
            case c.relkind when 'v' then 'view' when 'm' then 'materialized view'
                           when 'f' then 'foreign table' else 'table' end,
            c.oid::regclass, $1::text) as statement
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relowner = $2::regrole and c.relkind in ('r', 'p', 'v', 'm', 'f')
      and n.nspname !~ '^pg_' and n.nspname <> 'information_schema'`,
  `select format('alter sequence %s owner to %I', c.oid::regclass, $1::text) as statement
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relowner = $2::regrole and c.relkind = 'S'
      and n.nspname !~ '^pg_' and n.nspname <> 'information_schema'
   union all
   select format('alter routine %s owner to %I', p.oid::regprocedure, $1::text)
     from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where p.proowner = $2::regrole and n.nspname !~ '^pg_' and n.nspname <> 'information_schema'
   union all
   select format('alter type %s owner to %I', t.oid::regtype, $1::text)
     from pg_type t join pg_namespace n on n.oid = t.typnamespace
    where t.typowner = $2::regrole and t.typtype in ('e', 'd')
      and n.nspname !~ '^pg_' and n.nspname <> 'information_schema'`,
];

/** In one transaction, so a start killed halfway leaves the database as it was. */
async function handOver(superuserUrl: string, database: string): Promise<void> {
  const sql = postgres(superuserUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.begin(async (tx) => {
      for (const step of HAND_OVER_STEPS) {
        const rows = await tx.unsafe<{ statement: string }[]>(step, [SERVICE_ROLE, SUPERUSER]);
        for (const { statement } of rows) await tx.unsafe(statement);
      }
      await tx.unsafe(`alter database ${quote(database)} owner to ${quote(SERVICE_ROLE)}`);
    });
  } finally {
    await sql.end({ timeout: 1 });
  }
}
