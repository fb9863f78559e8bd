import { ConfigError } from '../common/config';
import { coerceError } from '../common/errors';

/** A start that cannot succeed. Its message is one line naming the cause and the fix. */
export class StartError extends Error {
  override name = 'StartError';
}

export function portInUseError(
  what: string,
  port: number,
  variable: string,
  holder?: string,
): StartError {
  return new StartError(
    `Cannot start ${what}: port ${port} is in use by ${holder ? `another program (${holder})` : 'another program'}; free it or set ${variable}.`,
  );
}

function oneLine(text: string): string {
  const [first = '', ...rest] = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return rest.length ? `${first} ${rest.join('; ')}` : first;
}

/**
 * The single line an entry point prints when it cannot start, never a stack trace: our own
 * errors already name the cause and the fix; anything else (even a thrown non-Error) is
 * prefixed with what failed.
 */
export function startFailureLine(thrown: unknown, what: string): string {
  const error = coerceError(thrown) as NodeJS.ErrnoException & { address?: string; port?: number };
  if (error instanceof StartError || error instanceof ConfigError) return oneLine(error.message);
  if (error.code === 'ECONNREFUSED' && error.port) {
    return oneLine(
      `${what}: nothing accepts connections at ${error.address ?? 'localhost'}:${error.port}; start that server or fix DATABASE_URL / TEMPORAL_ADDRESS.`,
    );
  }
  return oneLine(`${what}: ${error.message || error.name}`);
}
