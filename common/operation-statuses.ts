/**
 * An operation's statuses. Kept apart from the zod schemas of `domain.ts` so the console's
 * browser bundle can share them without bundling zod.
 */
export const OPERATION_STATUSES = [
  'queued',
  'running',
  'paused',
  'completed',
  'failed',
  'cancelled',
] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];
export const FINISHED_STATUSES: readonly OperationStatus[] = ['completed', 'failed', 'cancelled'];
/** Statuses an operation may still leave: everything but the finished ones. */
export const UNFINISHED_STATUSES: readonly OperationStatus[] = OPERATION_STATUSES.filter(
  (status) => !FINISHED_STATUSES.includes(status),
);
/** Statuses a pause applies to: a queued operation starts paused, a running one stops taking work. */
export const PAUSABLE_STATUSES: readonly OperationStatus[] = ['queued', 'running'];
