import { setTimeout as sleep } from 'node:timers/promises';
import { isGrpcServiceError } from '@temporalio/client';
import { ConfigError } from '../common/config';
import { coerceError } from '../common/errors';
import { StartError } from '../common/start-error';
import { isPostgresNotReadyYet } from '../db/pg-errors';

/**
 * How a process waits out a dependency that comes up after it (a fresh cluster's Temporal, a
 * Postgres container still initialising): it tries again with backoff for as long as it takes,
 * saying every few seconds what it waits for and how to fix it if it never comes, and reports
 * not-ready meanwhile. Only a failure waiting cannot cure ends the start, at once.
 */

/** Something a process needs before it serves. */
export interface Dependency {
  /** What is waited for, as the progress line and readiness say it: "Temporal at host:7233". */
  name: string;
  /** What to do if it never comes: "start it, or fix TEMPORAL_ADDRESS". */
  fix: string;
  /** False for a failure waiting cannot cure (a refused password, a bad bundle): it ends the start. */
  passes(error: unknown): boolean;
}

export interface WaitOptions {
  log: (line: string) => void;
  /** Ends the wait (the process is stopping); the attempt in flight is let finish. */
  signal?: AbortSignal;
}

const FIRST_WAIT_MS = 250;
const LONGEST_WAIT_MS = 5_000;
/** Lines while waiting: often enough to see it is alive, rarely enough to read the log. */
const PROGRESS_EVERY_MS = 5_000;

/**
 * Runs `attempt` until it succeeds. Between tries it waits 250 ms, doubling to 5 s; it logs the
 * first failure, then a line at most every 5 s, each naming the dependency, the time waited,
 * the last error and the fix. There is no deadline: a deployment's supervisor sees the process
 * not ready and the line says why, while a dependency that comes late is simply met.
 */
export async function waitOut<T>(
  dependency: Dependency,
  attempt: () => Promise<T>,
  options: WaitOptions,
): Promise<T> {
  const began = Date.now();
  let loggedAt: number | undefined;
  for (let wait = FIRST_WAIT_MS; ; wait = Math.min(wait * 2, LONGEST_WAIT_MS)) {
    options.signal?.throwIfAborted();
    try {
      const value = await attempt();
      if (loggedAt !== undefined) {
        options.log(`${dependency.name} answered after ${seconds(Date.now() - began)}.`);
      }
      return value;
    } catch (error) {
      if (!dependency.passes(error) || options.signal?.aborted) throw error;
      if (loggedAt === undefined || Date.now() - loggedAt >= PROGRESS_EVERY_MS) {
        loggedAt = Date.now();
        options.log(
          `Waiting for ${dependency.name} (${seconds(loggedAt - began)} so far; ${reason(error)}); ${dependency.fix}.`,
        );
      }
    }
    await sleep(wait, undefined, { signal: options.signal });
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

/** The innermost cause's first line: a driver's wrapper ("Failed query: …") hides the reason. */
function reason(error: unknown): string {
  let current = coerceError(error);
  for (let depth = 0; current.cause instanceof Error && depth < 10; depth++)
    current = current.cause;
  return (current.message.split('\n')[0] ?? '').slice(0, 200);
}

/** Our own "cannot succeed" errors: their message already names the cause and the fix. */
function isOwnRefusal(error: unknown): boolean {
  return error instanceof StartError || error instanceof ConfigError;
}

/** Postgres at DATABASE_URL: waits while it is unreachable or another process migrates it. */
export function postgresDependency(url: string): Dependency {
  return {
    name: `Postgres at ${new URL(url).host}`,
    fix: 'start it, or fix DATABASE_URL',
    passes: (error) => !isOwnRefusal(error) && isPostgresNotReadyYet(error),
  };
}

/** gRPC codes that say the request or its credentials are wrong: no wait makes them pass. */
const GRPC_REFUSALS = new Set([
  3, // INVALID_ARGUMENT
  7, // PERMISSION_DENIED
  12, // UNIMPLEMENTED
  16, // UNAUTHENTICATED
]);

/**
 * True for what a Temporal that is down, restarting or warming up answers: no connection,
 * deadlines, unavailable shards, a namespace its frontends have not cached yet, a schedule
 * another process changes at this moment. False for refusals and for errors of our own making
 * (a workflow bundle that does not build), which come back the same each time.
 */
export function isTemporalNotReadyYet(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 6; depth++) {
    if (isOwnRefusal(current)) return false;
    if (isGrpcServiceError(current) || hasGrpcCode(current)) {
      return !GRPC_REFUSALS.has((current as { code: number }).code);
    }
    const { name, message } = current as Error;
    if (name === 'TransportError') return true;
    if (typeof message === 'string' && /Failed to connect before the deadline/.test(message)) {
      return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The worker's native errors carry gRPC's numeric code without being grpc-js's class. */
function hasGrpcCode(error: unknown): boolean {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === 'number' &&
    'details' in error
  );
}

/** The Temporal frontend at TEMPORAL_ADDRESS. */
export function temporalDependency(address: string): Dependency {
  return {
    name: `Temporal at ${address}`,
    fix: 'start it, or fix TEMPORAL_ADDRESS (and TEMPORAL_NAMESPACE)',
    passes: isTemporalNotReadyYet,
  };
}
