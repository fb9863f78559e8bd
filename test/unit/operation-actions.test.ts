import { describe, expect, it } from 'vitest';
import { Conflict, NotFound, QuotaExceeded, Unavailable } from '../../common/domain-errors';
import { OPERATION_STATUSES, type OperationStatus } from '../../common/operation-statuses';
import { askedBy, refusal, refuseUnlessAllowed, statusesSteeredBy } from '../../operations/actions';
import { outcomeOfFailure } from '../../operations/bulk';

const operation = (status: OperationStatus) => ({ id: 'op-1', status });
const allowed = (action: Parameters<typeof refusal>[1]) =>
  OPERATION_STATUSES.filter((status) => refusal(operation(status), action) === undefined);

describe('what may be done to an operation', () => {
  it('cancels, pauses and resumes one that has not finished, and nothing else', () => {
    for (const action of ['cancel', 'pause', 'resume'] as const) {
      expect(allowed(action), action).toEqual(['queued', 'running', 'paused']);
    }
  });

  it('retries the failures of a finished one only', () => {
    expect(allowed('retry')).toEqual(['completed', 'failed', 'cancelled']);
  });

  it('says why a finished operation is refused, naming it, its status and the action', () => {
    expect(refusal(operation('completed'), 'pause')).toBe(
      'Operation op-1 is already completed; there is nothing to pause.',
    );
    expect(refusal(operation('running'), 'retry')).toBe(
      'Operation op-1 is running; retry its failures once it has finished.',
    );
  });

  it('throws the refusal as a Conflict, and nothing when the action applies', () => {
    expect(() => refuseUnlessAllowed(operation('cancelled'), 'cancel')).toThrow(Conflict);
    expect(() => refuseUnlessAllowed(operation('cancelled'), 'cancel')).toThrow(
      'Operation op-1 is already cancelled; there is nothing to cancel.',
    );
    expect(() => refuseUnlessAllowed(operation('failed'), 'retry')).not.toThrow();
  });
});

describe("a job's pause and resume", () => {
  it('pause the queued and running operations, resume the paused ones', () => {
    expect(statusesSteeredBy('pause').sort()).toEqual(['queued', 'running']);
    expect(statusesSteeredBy('resume')).toEqual(['paused']);
  });
});

describe('a bulk action over one operation that did not go through', () => {
  it('skips it when the domain refused, saying why', () => {
    expect(outcomeOfFailure(new Conflict('Operation op-1 is already completed.'))).toEqual({
      outcome: 'skipped',
      detail: 'Operation op-1 is already completed.',
    });
    expect(outcomeOfFailure(new NotFound([{ name: 'job', reason: 'gone' }])).outcome).toBe(
      'skipped',
    );
    expect(outcomeOfFailure(new QuotaExceeded('operationsInFlight', 3, 'Full')).outcome).toBe(
      'skipped',
    );
  });

  it('calls it an error when Temporal or anything else failed, so the request is worth repeating', () => {
    expect(outcomeOfFailure(new Unavailable('Temporal is away'))).toEqual({
      outcome: 'error',
      detail: 'Temporal is away',
    });
    expect(outcomeOfFailure(new Error('connection reset'))).toEqual({
      outcome: 'error',
      detail: 'connection reset',
    });
  });
});

describe('the events a cancel or a retry leaves', () => {
  it('name who asked, and mark a bulk action as one', () => {
    expect(askedBy({ requestedBy: 'ops-key' })).toEqual({ requestedBy: 'ops-key' });
    expect(askedBy({ requestedBy: 'ops-key' }, { bulk: true })).toEqual({
      requestedBy: 'ops-key',
      bulk: true,
    });
  });
});
