import { createContext, Script } from 'node:vm';
import { PermanentError } from './define';

const runner = new Script('run()');

/**
 * Runs synchronous work on text a tenant chose (its regular expression, or a page or sitemap it
 * pointed at) for at most `ms`: V8 stops a backtracking regular expression when the time is up,
 * where an item timeout could not (it would never get the event loop back). Over the time, the
 * item fails for good with `what` named.
 */
export function withinTime<T>(work: () => T, ms: number, what: string): T {
  const context = createContext({ run: work });
  try {
    return runner.runInContext(context, { timeout: ms }) as T;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      throw new PermanentError(`${what} took over ${ms} ms and was stopped`);
    }
    throw error;
  }
}

/**
 * A tenant's regular expression, compiled, or a PermanentError naming `field` when it is not
 * one. Run its matches inside `withinTime`: a pattern like `^(a+)+$` backtracks for ever.
 */
export function tenantPattern(source: string, field: string): RegExp {
  try {
    return new RegExp(source);
  } catch (error) {
    throw new PermanentError(`${field} is not a regular expression: ${(error as Error).message}`);
  }
}
