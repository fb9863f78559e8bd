import type { Database } from '../db/client';
import type { HandlerRegistry } from './handlers/registry';

/** What the worker hands to `createActivities`; activities reach for nothing else. */
export interface ActivityDeps {
  database: Database;
  handlers: HandlerRegistry;
}
