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

/** Reads are open to every role; writes need `operator`, and some things `admin`. */
export function requireRole(role: Role): MiddlewareHandler<AppEnv> {
  return async function requireRole(c, next) {
    const principal = c.get('principal');
    if (ROLE_RANK[principal.role] < ROLE_RANK[role]) {
      throw problems.forbidden(`This needs the ${role} role; the key has ${principal.role}.`);
    }
    await next();
  };
}

/** Writes (anything but GET/HEAD) need at least `operator`. */
export function writesNeedOperator(): MiddlewareHandler<AppEnv> {
  const gate = requireRole('operator');
  return async function writesNeedOperator(c, next) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return gate(c, next);
  };
}
