import type { Operation } from '../db/operations';
import type { OperationInfo } from './handlers/define';

/** What a handler is told of its operation: the record's headline, not its internals. */
export const operationInfo = (operation: Operation): OperationInfo => ({
  id: operation.id,
  tenantId: operation.tenantId,
  jobName: operation.jobName,
  jobVersion: operation.jobVersion,
  mode: operation.mode,
  priority: operation.priority,
});

/** Progress reports kept for the Web UI: a batch's heartbeat carries this many items' at most. */
const MAX_REPORTED_ITEMS = 20;

export interface ItemProgress {
  fraction: number;
  note?: string;
}

/**
 * The latest progress of the items a batch is running, by item key, for its heartbeat. An item
 * leaves the board when it ends; the board keeps the newest reports when it is full.
 */
export function createProgressBoard() {
  const board = new Map<string, ItemProgress>();
  return {
    report(key: string, fraction: number, note?: string) {
      board.delete(key);
      if (board.size >= MAX_REPORTED_ITEMS) board.delete(board.keys().next().value as string);
      const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
      board.set(key, note === undefined ? { fraction: clamped } : { fraction: clamped, note });
    },
    end(key: string) {
      board.delete(key);
    },
    /** Undefined while nobody reported, so a heartbeat stays as small as before. */
    snapshot(): Record<string, ItemProgress> | undefined {
      return board.size > 0 ? Object.fromEntries(board) : undefined;
    },
  };
}
