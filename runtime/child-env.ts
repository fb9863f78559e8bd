import { CONFIG_VARIABLES } from '../common/config';

/**
 * What a child process started by a test or the cluster topology inherits: this environment
 * without Conveyor's own variables, so it sees only what its starter gives it, and without
 * vitest's markers, which would make it believe it runs under vitest.
 */
export function inheritedEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of CONFIG_VARIABLES) delete env[name];
  for (const name of Object.keys(env)) if (name.startsWith('VITEST')) delete env[name];
  return env;
}
