import { describe, expect, it } from 'vitest';
import { unavailableProblem } from '../api/unavailable';

const withCode = (code: string | number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`failure ${code}`), { code, ...extra });

describe('unavailableProblem', () => {
  it('answers 503 when Postgres is down, restarting or full', () => {
    for (const code of ['ECONNREFUSED', 'CONNECTION_CLOSED', '57P01', '57P03', '08006', '53300']) {
      expect(unavailableProblem(withCode(code))?.status, code).toBe(503);
    }
    // Drizzle wraps the driver's error: the cause is what counts.
    const wrapped = new Error('query failed', { cause: withCode('ECONNREFUSED') });
    expect(unavailableProblem(wrapped)?.detail).toMatch(/Postgres is not reachable/);
  });

  it('answers 503 when Temporal does not answer', () => {
    const grpc = withCode(14, { details: 'connection refused', metadata: {} });
    const service = new Error('Failed to start', { cause: grpc });
    expect(unavailableProblem(service)?.detail).toMatch(/Temporal is not reachable/);
  });

  it('leaves every other error alone', () => {
    expect(unavailableProblem(withCode('23505'))).toBeUndefined();
    expect(unavailableProblem(withCode(3, { details: 'invalid', metadata: {} }))).toBeUndefined();
    expect(unavailableProblem(new TypeError('x is undefined'))).toBeUndefined();
  });
});
