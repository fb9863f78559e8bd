import { join } from 'node:path';
import { generateApiKey } from '../db/tenants';
import { ensurePrivateDir, ensureSecretFile } from './private-files';

/**
 * The default tenant's admin key: CONVEYOR_ADMIN_KEY when set, otherwise one generated on first
 * start and kept under DATA_DIR (0600, created exclusively) so a restart keeps it.
 */
export function resolveAdminKey(
  dataDir: string,
  configured?: string,
): { key: string; source: string } {
  if (configured) return { key: configured, source: 'CONVEYOR_ADMIN_KEY' };
  const file = join(ensurePrivateDir(dataDir), 'admin-key');
  const { secret, created } = ensureSecretFile(file, generateApiKey);
  return { key: secret, source: created ? `${file} (new)` : file };
}
