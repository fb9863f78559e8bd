import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import {
  batchEnding,
  isPermanent,
  itemFailureOutcome,
  lostWorkerOutcome,
  MAX_ERROR_LENGTH,
} from '../../activities/outcomes';
import { PermanentError, SkipItem } from '../../handlers/define';

const threeAttempts = { maximumAttempts: 3 };

describe('an item whose handler threw', () => {
  it('goes back to pending before its last attempt, keeping the error with its name', () => {
    expect(itemFailureOutcome(new TypeError('socket hang up'), 2, threeAttempts, false)).toEqual({
      status: 'pending',
      error: 'TypeError: socket hang up',
    });
  });

  it('fails on its last attempt, not one later', () => {
    expect(itemFailureOutcome(new Error('boom'), 3, threeAttempts, false)).toEqual({
      status: 'failed',
      error: 'Error: boom',
    });
  });

  it('fails at once on a PermanentError, even on its first attempt', () => {
    expect(itemFailureOutcome(new PermanentError('no such file'), 1, threeAttempts, false)).toEqual(
      { status: 'failed', error: 'PermanentError: no such file' },
    );
  });

  it('fails at once on a non-retryable ApplicationFailure, but not on a retryable one', () => {
    const nonRetryable = ApplicationFailure.nonRetryable('bad input', 'BadInput');
    const retryable = ApplicationFailure.retryable('flaky', 'Flaky');
    expect(itemFailureOutcome(nonRetryable, 1, threeAttempts, false)?.status).toBe('failed');
    expect(itemFailureOutcome(retryable, 1, threeAttempts, false)?.status).toBe('pending');
  });

  it('is skipped on SkipItem, with the bare message, whatever the attempt', () => {
    expect(itemFailureOutcome(new SkipItem('already there'), 3, threeAttempts, false)).toEqual({
      status: 'skipped',
      error: 'already there',
    });
  });

  it('records nothing when the batch was cancelled: cut short is not failed', () => {
    expect(itemFailureOutcome(new Error('aborted'), 3, threeAttempts, true)).toBeUndefined();
    expect(itemFailureOutcome(new PermanentError('x'), 1, threeAttempts, true)).toBeUndefined();
  });

  it('keeps at most MAX_ERROR_LENGTH characters of the error', () => {
    const outcome = itemFailureOutcome(new Error('x'.repeat(5_000)), 1, threeAttempts, false);
    expect(outcome?.error).toHaveLength(MAX_ERROR_LENGTH);
    expect(outcome?.error.startsWith('Error: xxx')).toBe(true);
  });

  it('turns a thrown string or object into an error message', () => {
    expect(itemFailureOutcome('plain text', 1, threeAttempts, false)?.error).toBe(
      'Error: plain text',
    );
    expect(itemFailureOutcome({ code: 7 }, 1, threeAttempts, false)?.error).toBe(
      'Error: {"code":7}',
    );
  });

  it('with one attempt allowed, fails on the first', () => {
    expect(itemFailureOutcome(new Error('e'), 1, { maximumAttempts: 1 }, false)?.status).toBe(
      'failed',
    );
  });
});

describe('isPermanent', () => {
  it('tells permanent errors from others', () => {
    expect(isPermanent(new PermanentError('p'))).toBe(true);
    expect(isPermanent(ApplicationFailure.nonRetryable('n'))).toBe(true);
    expect(isPermanent(ApplicationFailure.retryable('r'))).toBe(false);
    expect(isPermanent(new Error('e'))).toBe(false);
  });
});

describe('an item claimed again after a worker was lost', () => {
  it('runs again while within its attempts, the last one included', () => {
    expect(lostWorkerOutcome(1, threeAttempts)).toBeUndefined();
    expect(lostWorkerOutcome(3, threeAttempts)).toBeUndefined();
  });

  it('fails without running once claimed past its last attempt', () => {
    expect(lostWorkerOutcome(4, threeAttempts)).toEqual({
      status: 'failed',
      error: 'gave up after 3 attempts: the worker running its last attempt was lost',
    });
  });
});

describe('how a batch ends', () => {
  it('is done when nothing went back to pending', () => {
    expect(
      batchEnding({ cancelled: false, pending: 0, claimed: 10, firstRetryableError: undefined }),
    ).toEqual({ kind: 'done' });
  });

  it('throws for a Temporal retry when items went back to pending, naming the first error', () => {
    expect(
      batchEnding({ cancelled: false, pending: 2, claimed: 10, firstRetryableError: 'Error: e' }),
    ).toEqual({
      kind: 'retry',
      message: '2 of 10 items failed and will be retried; first error: Error: e',
    });
  });

  it('throws for a retry when a single item went back to pending', () => {
    expect(
      batchEnding({ cancelled: false, pending: 1, claimed: 1, firstRetryableError: 'Error: e' }),
    ).toMatchObject({ kind: 'retry' });
  });

  it('reports the cancel first, even with items pending', () => {
    expect(
      batchEnding({ cancelled: true, pending: 2, claimed: 10, firstRetryableError: 'Error: e' }),
    ).toEqual({ kind: 'cancelled' });
  });
});
