import { ConfigError } from './config';
import { coerceError } from './errors';

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

type SystemError = NodeJS.ErrnoException & { address?: string; port?: number };

/** The innermost `cause` of an error: a driver's wrapper often hides the system error in it. */
function rootCause(error: Error): SystemError {
  let current: Error = error;
  for (let depth = 0; current.cause instanceof Error && depth < 10; depth++)
    current = current.cause;
  return current;
}

/**
 * The single line an entry point prints when it cannot start, never a stack trace: our own
 * errors already name the cause and the fix; anything else (even a thrown non-Error) is
 * prefixed with what failed, and a refused connection names the server to check.
 */
export function startFailureLine(thrown: unknown, what: string): string {
  const error = coerceError(thrown);
  if (error instanceof StartError || error instanceof ConfigError) return oneLine(error.message);
  const root = rootCause(error);
  if (root.code === 'ECONNREFUSED' && root.port) {
    return oneLine(
      `${what}: nothing accepts connections at ${root.address ?? 'localhost'}:${root.port}; start that server or fix DATABASE_URL / TEMPORAL_ADDRESS.`,
    );
  }
  // The Temporal client's words for an address where no frontend answers.
  if (/Failed to connect before the deadline/.test(error.message)) {
    return `${what}: no Temporal frontend answers at TEMPORAL_ADDRESS; start it or fix TEMPORAL_ADDRESS.`;
  }
  const detail = root !== error && root.message ? ` (${root.message})` : '';
  return oneLine(`${what}: ${error.message || error.name}${detail}`);
}
