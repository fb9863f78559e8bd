import type { Config } from '../common/config';
import type { OutboundPolicy } from '../common/public-address';
import type { Operation } from '../db/operations';
import type { HostAccess, OperationInfo } from '../handlers/define';
import { createFiles, type FileSettings } from '../handlers/file-guard';
import { createOutbound } from '../handlers/outbound';

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

/** What the deployment lets handlers touch on the host (FILE_*, OUTBOUND_*). */
export interface HostAccessSettings {
  files: FileSettings;
  outbound: OutboundPolicy;
}

/** No files, no private addresses: what a worker given no settings allows. */
export const CLOSED_HOST: HostAccessSettings = {
  files: { roots: [], maxBytes: 32 * 1024 * 1024 },
  outbound: { allowPrivate: false, allowedHosts: [] },
};

export function hostAccessSettings(
  config: Pick<
    Config,
    'FILE_ROOTS' | 'FILE_MAX_BYTES' | 'OUTBOUND_ALLOW_PRIVATE' | 'OUTBOUND_ALLOWED_HOSTS'
  >,
): HostAccessSettings {
  return {
    files: { roots: config.FILE_ROOTS, maxBytes: config.FILE_MAX_BYTES },
    outbound: {
      allowPrivate: config.OUTBOUND_ALLOW_PRIVATE,
      allowedHosts: config.OUTBOUND_ALLOWED_HOSTS,
    },
  };
}

/** The guards every handler's context carries; one per worker. */
export function createHostAccess(settings: HostAccessSettings = CLOSED_HOST): HostAccess {
  return { files: createFiles(settings.files), ...createOutbound(settings.outbound) };
}
