import { describe, expect, it } from 'vitest';
import { Conflict } from '../../common/domain-errors';
import { OPERATION_STATUSES, type OperationStatus } from '../../common/operation-statuses';
import { refusal, refuseUnlessAllowed, statusesSteeredBy } from '../../operations/actions';

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
