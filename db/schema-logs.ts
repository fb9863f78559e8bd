/**
 * Run logs (seed 001's run log): the lines handlers write with `ctx.log`, kept per operation,
 * stage and item, a bounded number per operation, for as long as its events.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { RUN_LOG_LEVELS } from '../common/domain';
import { oneOf } from './predicates';
import { operations } from './schema';

export const operationLogs = pgTable(
  'operation_logs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id').notNull(),
    operationId: text('operation_id')
      .notNull()
      .references(() => operations.id, { onDelete: 'cascade' }),
    stageName: text('stage_name').notNull(),
    /** Null for a line of a discovery stage, which runs over no one item. */
    itemId: bigint('item_id', { mode: 'number' }),
    itemKey: text('item_key'),
    level: text('level', { enum: RUN_LOG_LEVELS }).notNull(),
    message: text('message').notNull(),
    /** The line's fields beyond its message, as the handler gave them. */
    data: jsonb('data').$type<Record<string, unknown>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [
    index('operation_logs_operation_idx').on(t.operationId, t.id),
    index('operation_logs_created_idx').on(t.createdAt),
    check('operation_logs_level_check', oneOf(t.level, RUN_LOG_LEVELS)),
  ],
);
