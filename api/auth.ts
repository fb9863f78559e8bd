import type { MiddlewareHandler } from 'hono';
import { findPrincipal, type Role } from '../db/tenants';
import type { AppEnv } from './env';
import { problems } from './problems';

const ROLE_RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Resolves `Authorization: Bearer <key>` to a tenant and role. */
export function apiKeyAuth(): MiddlewareHandler<AppEnv> {
  return async function apiKeyAuth(c, next) {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      throw problems.unauthorized(
        'Send an API key as "Authorization: Bearer <key>"; `npm start` prints the admin key.',
      );
    }
    const principal = await findPrincipal(c.get('deps').database.db, match[1]);
    if (!principal) throw problems.unauthorized('That API key is unknown or revoked.');
    c.set('principal', principal);
    await next();
  };
}

/**
 * Roles rank viewer < operator < admin: viewers read; operators also write collections, items
 * and operations; admins also manage jobs and API keys.
 */
export function requireRole(role: Role): MiddlewareHandler<AppEnv> {
  return async function requireRole(c, next) {
    const principal = c.get('principal');
    if (ROLE_RANK[principal.role] < ROLE_RANK[role]) {
      throw problems.forbidden(`This needs the ${role} role; the key has ${principal.role}.`);
    }
    await next();
  };
}

/** Tenants are managed across tenants, so only a system key (the one `npm start` prints) may. */
export function requireSystemKey(): MiddlewareHandler<AppEnv> {
  return async function requireSystemKey(c, next) {
    if (!c.get('principal').system) {
      throw problems.forbidden(
        'This needs a system key: the admin key `npm start` prints (or CONVEYOR_ADMIN_KEY); tenant admin keys cannot manage tenants.',
      );
    }
    await next();
  };
}

/** Writes (anything but GET/HEAD) need at least `operator`; routes that need more add `needsRole`. */
export function writesNeedOperator(): MiddlewareHandler<AppEnv> {
  const gate = requireRole('operator');
  return async function writesNeedOperator(c, next) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return gate(c, next);
  };
}

const withNote = (note: string, description?: string) =>
  description ? `${description}\n\n${note}` : note;

/**
 * `createRoute` options that gate a route on `role` and say so in its OpenAPI description, so
 * the rule and its documentation cannot drift apart. Spread them into the route.
 */
export function needsRole(role: Role, description?: string) {
  return {
    middleware: requireRole(role),
    description: withNote(`Needs the ${role} role.`, description),
  };
}

/** Like `needsRole`, for the routes only a system key may call. */
export function needsSystemKey(description?: string) {
  return {
    middleware: requireSystemKey(),
    description: withNote('Needs a system key (the admin key `npm start` prints).', description),
  };
}
