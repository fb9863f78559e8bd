import { format } from 'node:util';
import { RUN_LOG_LEVELS, type RunLogLevel } from '../common/domain';
import { RUN_LOG_LINE_CHARS, RUN_LOG_LINES_PER_OPERATION } from '../common/limits';
import type { Logger } from '../common/log';
import type { Database } from '../db/client';
import { appendRunLog, type NewRunLogLine } from '../db/operation-logs';

/** Lines that make a batch write its log at once, rather than at its next heartbeat. */
const FLUSH_AT_LINES = 500;
/** Lines a batch holds while Postgres is away; older ones are dropped past it. */
const MOST_BUFFERED = RUN_LOG_LINES_PER_OPERATION;

const KEPT = new Set<string>(RUN_LOG_LEVELS);

/** Where a line was written: the stage, and the item when the line is about one. */
interface Place {
  stageName: string;
  itemId?: number;
  itemKey?: string;
}

const cut = (text: string) =>
  text.length > RUN_LOG_LINE_CHARS ? `${text.slice(0, RUN_LOG_LINE_CHARS)}…` : text;

/** A pino call's arguments as a message and its fields: (fields, message, ...) or (message, ...). */
function lineOf(args: unknown[]): { message: string; data: Record<string, unknown> | null } {
  const [first, ...rest] = args;
  if (first instanceof Error) {
    const [message, ...values] = rest;
    return {
      message: cut(typeof message === 'string' ? format(message, ...values) : first.message),
      data: { err: { type: first.name, message: first.message } },
    };
  }
  if (typeof first === 'object' && first !== null) {
    const [message, ...values] = rest;
    const json = JSON.stringify(first);
    return {
      message: cut(typeof message === 'string' ? format(message, ...values) : ''),
      data: json.length > RUN_LOG_LINE_CHARS ? { truncated: true } : JSON.parse(json),
    };
  }
  return { message: cut(format(first, ...rest)), data: null };
}

/**
 * The handler log lines of one batch or discovery run (seed 001's run log): its loggers write
 * where the worker's do and keep their info-and-above lines, whatever the worker's level, until
 * `flush` appends them to the operation's log.
 */
export function createRunLog(database: Database, operation: { id: string; tenantId: string }) {
  let lines: NewRunLogLine[] = [];
  /** Flushes one after another: two at once could each find room the other then takes. */
  let flushing: Promise<void> = Promise.resolve();
  /** The operation's log is full: lines go to the worker's log only. */
  let full = false;

  const flush = (): Promise<void> => {
    flushing = flushing.then(async () => {
      if (lines.length === 0 || full) return;
      const writing = lines;
      lines = [];
      try {
        const written = await appendRunLog(
          database.sql,
          operation,
          writing,
          RUN_LOG_LINES_PER_OPERATION,
        );
        if (written < writing.length) full = true;
      } catch {
        lines = [...writing, ...lines].slice(-MOST_BUFFERED);
      }
    });
    return flushing;
  };

  const keep = (level: RunLogLevel, args: unknown[], place: Place) => {
    if (full) return;
    const { message, data } = lineOf(args);
    lines.push({
      stageName: place.stageName,
      itemId: place.itemId ?? null,
      itemKey: place.itemKey ?? null,
      level,
      message,
      data,
      at: new Date().toISOString(),
    });
    if (lines.length > MOST_BUFFERED) lines = lines.slice(-MOST_BUFFERED);
    if (lines.length % FLUSH_AT_LINES === 0) void flush();
  };

  /** `base` with its level methods also keeping lines; its children too, with their item. */
  const wrap = (base: Logger, place: Place): Logger =>
    new Proxy(base, {
      get(target, property) {
        if (property === 'child') {
          return (bindings: Record<string, unknown>, options?: object) =>
            wrap(target.child(bindings, options), {
              ...place,
              ...(typeof bindings.itemId === 'number' ? { itemId: bindings.itemId } : {}),
              ...(typeof bindings.itemKey === 'string' ? { itemKey: bindings.itemKey } : {}),
            });
        }
        if (typeof property === 'string' && KEPT.has(property)) {
          return (...args: unknown[]) => {
            keep(property as RunLogLevel, args, place);
            return (target[property as RunLogLevel] as (...a: unknown[]) => void)(...args);
          };
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });

  return {
    logger: (base: Logger, stageName: string): Logger => wrap(base, { stageName }),
    /**
     * Appends the lines kept so far, after any flush under way. A failed write keeps them for the
     * next flush: a run log is worth a retry, never a failed batch.
     */
    flush,
  };
}
