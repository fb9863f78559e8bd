import { ApplicationFailure } from '@temporalio/activity';
import { DEFAULT_LEDGER_VERSION } from '../common/domain';
import { DomainError } from '../common/domain-errors';
import type { ScheduledOperation, ScheduledRunInput } from '../common/schedules';
import { fireSchedule } from '../schedules/fire';
import type { ActivityDeps } from './deps';

export function createScheduledActivities({ database, handlers, ledger }: ActivityDeps) {
  return {
    /**
     * Fires a schedule's run (schedules/fire.ts): its operation recorded, or null when the run
     * starts nothing. A refusal fails the run at once: retrying cannot change the answer.
     */
    async recordScheduledOperation(input: ScheduledRunInput): Promise<ScheduledOperation | null> {
      try {
        return await fireSchedule(
          { database, handlers, ledger: ledger ?? DEFAULT_LEDGER_VERSION },
          input,
        );
      } catch (error) {
        if (error instanceof DomainError) {
          throw ApplicationFailure.nonRetryable(error.message, 'ScheduledRequestRefused');
        }
        throw error;
      }
    },
  };
}
