/**
 * The engine's rules for what becomes of an item that a handler did not finish, and of the batch
 * that ran it. Pure, so they are tested without a server; `processBatch` applies them.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { RetryPolicy } from '../common/domain';
import { coerceError } from '../common/errors';
import { PermanentError, SkipItem } from '../handlers/define';

/** The longest error text kept on an item's record; a handler may throw a whole page. */
export const MAX_ERROR_LENGTH = 2_000;

/** What an item's record says after its handler threw: final (`failed`, `skipped`) or retried. */
export interface ItemFailureOutcome {
  status: 'failed' | 'skipped' | 'pending';
  error: string;
}

/** True when retrying cannot help: the handler said so, or an activity failure is non-retryable. */
export function isPermanent(error: Error): boolean {
  return (
    error instanceof PermanentError ||
    (error instanceof ApplicationFailure && error.nonRetryable === true)
  );
}

/**
 * An item claimed past its last attempt was in flight when a worker died on that attempt: it fails
 * without running again, so an item that kills its worker cannot loop forever. Undefined when the
 * item may run.
 */
export function lostWorkerOutcome(
  attempts: number,
  retry: Pick<RetryPolicy, 'maximumAttempts'>,
): ItemFailureOutcome | undefined {
  if (attempts <= retry.maximumAttempts) return undefined;
  return {
    status: 'failed',
    error: `gave up after ${retry.maximumAttempts} attempts: the worker running its last attempt was lost`,
  };
}

/**
 * The outcome of an item whose handler threw on its `attempts`-th attempt (the item's own count,
 * taken at each claim, whichever batch attempt that is). Undefined when the batch was cancelled:
 * the item was cut short, not failed, and goes back to pending with the rest of the batch.
 */
export function itemFailureOutcome(
  thrown: unknown,
  attempts: number,
  retry: Pick<RetryPolicy, 'maximumAttempts'>,
  cancelled: boolean,
): ItemFailureOutcome | undefined {
  if (cancelled) return undefined;
  const error = coerceError(thrown);
  if (error instanceof SkipItem) return { status: 'skipped', error: error.message };
  const message = `${error.name}: ${error.message}`.slice(0, MAX_ERROR_LENGTH);
  const finalAttempt = attempts >= retry.maximumAttempts;
  return { status: isPermanent(error) || finalAttempt ? 'failed' : 'pending', error: message };
}

/**
 * How a batch ends once its outcomes are written: cancelled (what was cut short is released), to
 * be retried by Temporal with the stage's policy when items went back to pending (the retry takes
 * only those), or done.
 */
export type BatchEnding =
  | { kind: 'cancelled' }
  | { kind: 'retry'; message: string }
  | { kind: 'done' };

export function batchEnding(input: {
  cancelled: boolean;
  pending: number;
  claimed: number;
  firstRetryableError: string | undefined;
}): BatchEnding {
  if (input.cancelled) return { kind: 'cancelled' };
  if (input.pending > 0) {
    return {
      kind: 'retry',
      message: `${input.pending} of ${input.claimed} items failed and will be retried; first error: ${input.firstRetryableError}`,
    };
  }
  return { kind: 'done' };
}
