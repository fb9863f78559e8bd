import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateApiKey } from '../db/tenants';

/**
 * The default tenant's admin key: CONVEYOR_ADMIN_KEY when set, otherwise one generated on first
 * start and kept under DATA_DIR (readable by the owner only) so a restart keeps it.
 */
export function resolveAdminKey(
  dataDir: string,
  configured?: string,
): { key: string; source: string } {
  if (configured) return { key: configured, source: 'CONVEYOR_ADMIN_KEY' };
  const file = join(dataDir, 'admin-key');
  if (existsSync(file)) return { key: readFileSync(file, 'utf8').trim(), source: file };
  mkdirSync(dataDir, { recursive: true });
  const key = generateApiKey();
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { key, source: `${file} (new)` };
}
