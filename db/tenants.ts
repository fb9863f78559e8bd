import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from './client';
import { apiKeys, tenants } from './schema';

export type Role = 'admin' | 'operator' | 'viewer';
export const DEFAULT_TENANT = 'default';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function generateApiKey(): string {
  return `cvk_${randomBytes(24).toString('base64url')}`;
}

/**
 * Creates the default tenant and makes `adminKey` one of its admin keys, with the system right
 * (it manages tenants); idempotent.
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
  await db
    .insert(apiKeys)
    .values({ tenantId, name: 'admin', keyHash: hashApiKey(adminKey), role: 'admin', system: true })
    .onConflictDoUpdate({ target: apiKeys.keyHash, set: { system: true } });
  return tenantId;
}

export async function createTenant(db: Db, name: string): Promise<string> {
  const [row] = await db.insert(tenants).values({ name }).returning({ id: tenants.id });
  if (!row) throw new Error('tenant insert returned nothing');
  return row.id;
}

export async function createApiKey(
  db: Db,
  tenantId: string,
  role: Role,
  name: string,
): Promise<string> {
  const key = generateApiKey();
  await db.insert(apiKeys).values({ tenantId, name, role, keyHash: hashApiKey(key) });
  return key;
}

export interface Principal {
  tenantId: string;
  role: Role;
  keyName: string;
  /** Manages tenants (POST/GET /v1/tenants) besides its own tenant's role. */
  system: boolean;
}

export async function findPrincipal(db: Db, key: string): Promise<Principal | undefined> {
  const [row] = await db
    .select({
      tenantId: apiKeys.tenantId,
      role: apiKeys.role,
      keyName: apiKeys.name,
      system: apiKeys.system,
    })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hashApiKey(key)), isNull(apiKeys.revokedAt)));
  return row;
}
