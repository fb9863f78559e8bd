import { describe, expect, it } from 'vitest';
import { problemOf } from '../api/domain-errors';
import { type Problem, problems } from '../api/problems';
import {
  Conflict,
  InvalidInput,
  NotFound,
  QuotaExceeded,
  Unavailable,
} from '../common/domain-errors';

// The answers the use cases' refusals get: the same problems the routes threw before the use
// cases moved out of api/ (their integration tests assert the responses end to end).
const shape = (problem: Problem | undefined) =>
  problem && {
    status: problem.status,
    type: problem.type,
    title: problem.title,
    detail: problem.detail,
    invalidParams: problem.invalidParams,
    retryAfterSeconds: problem.retryAfterSeconds,
    quota: problem.quota,
  };

describe('problemOf', () => {
  it('answers invalid input with a 400 naming each field', () => {
    const fields = [{ name: 'collectionId', reason: 'is required for scope "collection"' }];
    expect(shape(problemOf(new InvalidInput(fields)))).toEqual({
      status: 400,
      type: 'validation',
      title: 'Invalid request',
      detail: 'Fix the fields listed in invalid_params: collectionId',
      invalidParams: fields,
      retryAfterSeconds: undefined,
      quota: undefined,
    });
  });

  it('answers something missing with a 404 naming the field and why', () => {
    const fields = [{ name: 'job', reason: 'no job "nightly" in this tenant' }];
    expect(shape(problemOf(new NotFound(fields)))).toEqual({
      status: 404,
      type: 'not-found',
      title: 'Not found',
      detail: 'job: no job "nightly" in this tenant',
      invalidParams: fields,
      retryAfterSeconds: undefined,
      quota: undefined,
    });
  });

  it('answers a resource missing by its own id as the routes always did, without fields', () => {
    const missing = problemOf(NotFound.resource('webhook', 'b5b1c2f0'));
    expect(shape(missing)).toEqual(shape(problems.notFound('webhook', 'b5b1c2f0')));
    expect(missing?.status).toBe(404);
    expect(missing?.detail).toBe('No webhook with id "b5b1c2f0" in this tenant.');
    expect(missing?.invalidParams).toBeUndefined();
  });

  it('answers a record missing by its id as the route answered a path naming none', () => {
    expect(shape(problemOf(NotFound.resource('schedule', 'sch-1')))).toEqual(
      shape(problems.notFound('schedule', 'sch-1')),
    );
    expect(problemOf(NotFound.resource('schedule', 'sch-1'))?.detail).toBe(
      'No schedule with id "sch-1" in this tenant.',
    );
  });

  it('answers a conflict with a 409, with the fields only when it names some', () => {
    expect(shape(problemOf(new Conflict('nothing to reprocess')))).toEqual(
      shape(problems.conflict('nothing to reprocess')),
    );
    expect(problemOf(new Conflict('nothing to reprocess'))?.invalidParams).toBeUndefined();
    const fields = [
      { name: 'scope', reason: 'a job that begins with a discovery stage needs a collection' },
    ];
    expect(shape(problemOf(Conflict.over(fields)))).toEqual({
      status: 409,
      type: 'conflict',
      title: 'Conflict',
      detail: 'scope: a job that begins with a discovery stage needs a collection',
      invalidParams: fields,
      retryAfterSeconds: undefined,
      quota: undefined,
    });
  });

  it('answers a quota with 429 and its Retry-After, or 409 for the highest priority', () => {
    const inFlight = problemOf(
      new QuotaExceeded('operationsInFlight', 3, 'This tenant has 3 unfinished operations'),
    );
    expect(shape(inFlight)).toEqual(
      shape(
        problems.quotaExceeded('operationsInFlight', 3, 'This tenant has 3 unfinished operations'),
      ),
    );
    expect(inFlight?.status).toBe(429);
    expect(inFlight?.retryAfterSeconds).toBe(30);
    expect(inFlight?.quota).toEqual({ name: 'operationsInFlight', limit: 3 });
    const priority = problemOf(
      new QuotaExceeded('highestPriority', 2, 'Priority 1 is more urgent'),
    );
    expect(priority?.status).toBe(409);
    expect(priority?.retryAfterSeconds).toBeUndefined();
  });

  it('says in a quota refusal what the problem says, for a schedule run’s skipped event', () => {
    const refusal = new QuotaExceeded(
      'operationsInFlight',
      3,
      'This tenant has 3 unfinished operations',
    );
    expect(refusal.message).toBe(problemOf(refusal)?.detail);
  });

  it('answers Temporal refusing a start with a 503 and its Retry-After', () => {
    expect(shape(problemOf(new Unavailable('Temporal did not start the operation', 5)))).toEqual({
      status: 503,
      type: 'unavailable',
      title: 'Service unavailable',
      detail: 'Temporal did not start the operation',
      invalidParams: undefined,
      retryAfterSeconds: 5,
      quota: undefined,
    });
  });

  it('passes a problem through and leaves any other error to the 500 handler', () => {
    const problem = problems.forbidden('no');
    expect(problemOf(problem)).toBe(problem);
    expect(problemOf(new Error('boom'))).toBeUndefined();
    expect(problemOf('a string')).toBeUndefined();
  });
});
