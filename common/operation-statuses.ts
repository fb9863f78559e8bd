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
