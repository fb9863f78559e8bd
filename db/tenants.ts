import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, ne, sql } from 'drizzle-orm';
import { API_KEY_ROLES, type ApiKeyRole } from '../common/domain';
import type { QuotaChanges } from '../common/quotas';
import { type Database, type Db, inTransaction } from './client';
import { translatePostgresError } from './pg-errors';
import { apiKeys, tenants } from './schema';

/** viewer reads; operator also writes collections, items and operations; admin also jobs and keys. */
export const ROLES = API_KEY_ROLES;
export type Role = ApiKeyRole;
export const DEFAULT_TENANT = 'default';

export type Tenant = typeof tenants.$inferSelect;

/** An API key as the API shows it: never its secret or hash. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  role: Role;
  system: boolean;
  createdAt: Date;
  revokedAt: Date | null;
}

/** A key just made: the record and the secret, which is shown this once and never stored. */
export interface IssuedApiKey extends ApiKeyRecord {
  key: string;
}

const keyColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  role: apiKeys.role,
  system: apiKeys.system,
  createdAt: apiKeys.createdAt,
  revokedAt: apiKeys.revokedAt,
};

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function generateApiKey(): string {
  return `cvk_${randomBytes(24).toString('base64url')}`;
}

/**
 * Creates the default tenant and makes `adminKey` its admin key with the system right (it
 * manages tenants); idempotent. The configured key is the only system key: starting with
 * another one (rotating CONVEYOR_ADMIN_KEY) revokes the previous ones, since the system key is
 * revoked in no other way (no tenant admin may).
 */
export async function ensureDefaultTenant(db: Db, adminKey: string): Promise<string> {
  const [created] = await db
    .insert(tenants)
    .values({ name: DEFAULT_TENANT })
    .onConflictDoNothing()
    .returning({ id: tenants.id });
  const tenantId =
    created?.id ??
    (await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.name, DEFAULT_TENANT)))[0]
      ?.id;
  if (!tenantId) throw new Error('default tenant could not be created');
  const keyHash = hashApiKey(adminKey);
  await db.transaction(async (tx) => {
    const [key] = await tx
      .insert(apiKeys)
      .values({ tenantId, name: 'admin', keyHash, role: 'admin', system: true })
      .onConflictDoUpdate({ target: apiKeys.keyHash, set: { system: true } })
      .returning({ revokedAt: apiKeys.revokedAt });
    // A rotated-away key may have leaked; a stale setting must not bring it back.
    if (key?.revokedAt) {
      throw new Error(
        'This admin key was revoked when another system key replaced it; set a new CONVEYOR_ADMIN_KEY (or remove DATA_DIR/admin-key for a generated one).',
      );
    }
    await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()` })
      .where(
        and(eq(apiKeys.system, true), ne(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)),
      );
  });
  return tenantId;
}

/** Throws a ConflictError when the name is taken. */
async function insertTenant(db: Db, name: string): Promise<Tenant> {
  try {
    const [row] = await db.insert(tenants).values({ name }).returning();
    if (!row) throw new Error('tenant insert returned nothing');
    return row;
  } catch (error) {
    throw translatePostgresError(error, `a tenant named "${name}"`);
  }
}

export async function createTenant(db: Db, name: string): Promise<string> {
  return (await insertTenant(db, name)).id;
}

/** A tenant and its first admin key, together: a tenant nobody can reach is never left behind. */
export function createTenantWithAdminKey(
  database: Database,
  name: string,
): Promise<{ tenant: Tenant; adminKey: IssuedApiKey }> {
  return inTransaction(database, async ({ db }) => {
    const tenant = await insertTenant(db, name);
    return { tenant, adminKey: await issueApiKey(db, tenant.id, 'admin', 'admin') };
  });
}

export function listTenants(db: Db): Promise<Tenant[]> {
  return db.select().from(tenants).orderBy(desc(tenants.createdAt), desc(tenants.id));
}

export async function issueApiKey(
  db: Db,
  tenantId: string,
  role: Role,
  name: string,
): Promise<IssuedApiKey> {
  const key = generateApiKey();
  const [row] = await db
    .insert(apiKeys)
    .values({ tenantId, name, role, keyHash: hashApiKey(key) })
    .returning(keyColumns);
  if (!row) throw new Error('api key insert returned nothing');
  return { ...row, key };
}

export async function createApiKey(
  db: Db,
  tenantId: string,
  role: Role,
  name: string,
): Promise<string> {
  return (await issueApiKey(db, tenantId, role, name)).key;
}

/** The tenant's keys, revoked ones included, newest first. */
export function listApiKeys(db: Db, tenantId: string): Promise<ApiKeyRecord[]> {
  return db
    .select(keyColumns)
    .from(apiKeys)
    .where(eq(apiKeys.tenantId, tenantId))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

/**
 * Revokes the tenant's key `id`: 'missing' when the tenant has no such key, 'system' (and
 * nothing changes) for a system key, which only a rotation of CONVEYOR_ADMIN_KEY revokes: it
 * manages every tenant, so no tenant's admin may take it away. Revoking twice keeps the first
 * revocation time.
 */
export async function revokeApiKey(
  db: Db,
  tenantId: string,
  id: string,
): Promise<'revoked' | 'missing' | 'system'> {
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id), eq(apiKeys.system, false)))
    .returning({ id: apiKeys.id });
  if (rows.length > 0) return 'revoked';
  const [system] = await db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id), eq(apiKeys.system, true)));
  return system ? 'system' : 'missing';
}

export interface Principal {
  tenantId: string;
  tenantName: string;
  /** The tenant's fairness weight: its operations' share of the workers against others'. */
  fairnessWeight: number;
  /** Batches one of the tenant's operations runs at once. */
  parallelism: number;
  role: Role;
  keyId: string;
  keyName: string;
  /** Manages tenants (POST/GET /v1/tenants) besides its own tenant's role. */
  system: boolean;
}

/** The key's principal, looked up on every request so a revocation holds from the next one. */
export async function findPrincipal(db: Db, key: string): Promise<Principal | undefined> {
  const [row] = await db
    .select({
      tenantId: apiKeys.tenantId,
      tenantName: tenants.name,
      fairnessWeight: tenants.fairnessWeight,
      parallelism: tenants.parallelism,
      role: apiKeys.role,
      keyId: apiKeys.id,
      keyName: apiKeys.name,
      system: apiKeys.system,
    })
    .from(apiKeys)
    .innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
    .where(and(eq(apiKeys.keyHash, hashApiKey(key)), isNull(apiKeys.revokedAt)));
  return row;
}

/** What starting an operation needs of its tenant: its name (for the Web UI), weight and lanes. */
export type TenantSettings = Pick<Tenant, 'name' | 'fairnessWeight' | 'parallelism'>;

export async function findTenantSettings(db: Db, id: string): Promise<TenantSettings | undefined> {
  const [row] = await db
    .select({
      name: tenants.name,
      fairnessWeight: tenants.fairnessWeight,
      parallelism: tenants.parallelism,
    })
    .from(tenants)
    .where(eq(tenants.id, id));
  return row;
}

/**
 * Changes a tenant's settings; `quotas` are laid over its stored overrides, a null putting that
 * quota back to its default.
 */
export async function updateTenantSettings(
  db: Db,
  id: string,
  {
    quotas,
    ...changes
  }: Partial<Pick<Tenant, 'fairnessWeight' | 'parallelism'>> & {
    quotas?: QuotaChanges;
  },
): Promise<Tenant | undefined> {
  const [row] = await db
    .update(tenants)
    .set({
      ...changes,
      ...(quotas
        ? { quotas: sql`jsonb_strip_nulls(${tenants.quotas} || ${JSON.stringify(quotas)}::jsonb)` }
        : {}),
    })
    .where(eq(tenants.id, id))
    .returning();
  return row;
}
