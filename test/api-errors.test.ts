import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../api/validation';
import { expectProblem, fieldNames, type Harness, seedCollection, startHarness } from './harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.stop();
});

describe('bad input', () => {
  it('rejects an empty operation start, naming the job field', async () => {
    const response = await harness.api('POST', '/v1/operations', {});
    expectProblem(response, 400);
    expect(fieldNames(response)).toContain('job');
  });

  it('refuses a query parameter the route does not take, naming it and what it takes', async () => {
    const misspelt = await harness.api('GET', '/v1/operations?stauts=failed&limit=5');
    expectProblem(misspelt, 400);
    expect(fieldNames(misspelt)).toEqual(['stauts']);
    expect(misspelt.body.invalid_params[0].reason).toContain('status');
    const nameless = await harness.api('GET', '/v1/events?after=0&=null');
    expectProblem(nameless, 400);
    expect(fieldNames(nameless)).toEqual(['(query)']);
    const none = await harness.api('GET', '/v1/webhooks?page=2');
    expectProblem(none, 400);
    expect(none.body.invalid_params[0].reason).toContain('it takes: none');
    expect((await harness.api('GET', '/v1/operations?status=failed&limit=5')).status).toBe(200);
  });

  it('rejects a body that is not JSON', async () => {
    const response = await harness.api('POST', '/v1/collections', '{"name": ');
    expectProblem(response, 400);
    expect(fieldNames(response)).toEqual(['(body)']);
  });

  it('names each invalid item of an upsert', async () => {
    const id = await seedCollection(harness, 1);
    const response = await harness.api('POST', `/v1/collections/${id}/items`, {
      items: [{ key: 'ok' }, { key: '' }, { data: {} }],
    });
    expectProblem(response, 400);
    expect(fieldNames(response)).toEqual(['items.1.key', 'items.2.key']);
  });

  it('refuses fields a job or its stages do not have, naming each, instead of dropping them', async () => {
    const body = {
      name: 'misspelt',
      scope: { collectionId: '00000000-0000-4000-8000-000000000000' },
      stages: [
        { name: 'a', handler: 'noop', batchsize: 50, retry: { maxAttempts: 2 } },
        { name: 'b', handler: 'noop' },
      ],
    };
    for (const path of ['/v1/jobs', '/v1/jobs/validate']) {
      const response = await harness.api('POST', path, body);
      expectProblem(response, 400);
      expect(fieldNames(response).sort()).toEqual([
        'scope',
        'stages.0.batchsize',
        'stages.0.retry.maxAttempts',
      ]);
    }
    expect((await harness.api('GET', '/v1/jobs/misspelt')).status).toBe(404);
  });

  it('checks a job against the handlers the workers run', async () => {
    const response = await harness.api('POST', '/v1/jobs', {
      name: 'broken',
      stages: [
        { name: 'a', handler: 'no-such-handler' },
        { name: 'b', handler: 'noop', params: { delayMs: -5 } },
      ],
    });
    expectProblem(response, 400);
    expect(fieldNames(response).sort()).toEqual(['stages.0.handler', 'stages.1.params.delayMs']);
  });

  it('refuses a job with duplicate stage names and a start without a scope', async () => {
    const duplicate = await harness.api('POST', '/v1/jobs', {
      name: 'dup',
      stages: [
        { name: 'a', handler: 'noop' },
        { name: 'a', handler: 'noop' },
      ],
    });
    // Well-formed by the document, which cannot say "unique": a conflict naming the repeat.
    expectProblem(duplicate, 409);
    expect(fieldNames(duplicate)).toEqual(['stages.1.name']);

    await harness.api('POST', '/v1/jobs', {
      name: 'ok-job',
      stages: [{ name: 'a', handler: 'noop' }],
    });
    const noScope = await harness.api('POST', '/v1/operations', { job: 'ok-job' });
    expectProblem(noScope, 400);
    expect(fieldNames(noScope)).toEqual(['collectionId']);
    const unknownJob = await harness.api('POST', '/v1/operations', {
      job: 'nope',
      scope: 'global',
    });
    expectProblem(unknownJob, 404);
    expect(fieldNames(unknownJob)).toEqual(['job']);
  });

  it('refuses a second collection of the same name with 409', async () => {
    await harness.api('POST', '/v1/collections', { name: 'twice' });
    expectProblem(await harness.api('POST', '/v1/collections', { name: 'twice' }), 409);
  });

  it('rejects bad list filters', async () => {
    const response = await harness.api('GET', '/v1/operations?status=bogus&limit=0');
    expectProblem(response, 400);
    expect(fieldNames(response).sort()).toEqual(['limit', 'status.0']);
  });
});

describe('unknown ids and routes', () => {
  it.each([
    '/v1/operations/op-does-not-exist',
    '/v1/collections/00000000-0000-0000-0000-000000000000',
    '/v1/collections/not-a-uuid',
    '/v1/jobs/missing-job',
    '/v1/nothing-here',
  ])('GET %s is a 404 problem', async (path) => {
    expectProblem(await harness.api('GET', path), 404);
  });

  it('names the resource of an id that cannot exist, as for one that does not', async () => {
    const response = await harness.api('GET', '/v1/collections/not-a-uuid/items');
    expectProblem(response, 404);
    expect(response.body).toMatchObject({
      title: 'collection not found',
      detail: 'No collection with id "not-a-uuid" in this tenant.',
    });
    const job = await harness.api('DELETE', '/v1/jobs/not-a-uuid');
    expect(job.body.title).toBe('job not found');
  });

  it('cancelling an unknown operation is a 404', async () => {
    expectProblem(await harness.api('POST', '/v1/operations/op-missing/cancel'), 404);
  });
});

describe('authentication and roles', () => {
  it('needs an API key', async () => {
    const response = await fetch(`${harness.url}/v1/collections`);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expectProblem(await harness.api('GET', '/v1/collections', undefined, 'cvk_wrong'), 401);
  });

  it('lets a viewer read but not write', async () => {
    const viewer = await harness.keyWithRole('viewer');
    expect((await harness.api('GET', '/v1/collections', undefined, viewer)).status).toBe(200);
    expectProblem(await harness.api('POST', '/v1/collections', { name: 'v' }, viewer), 403);
  });

  it('hides another tenant behind a 404', async () => {
    const id = await seedCollection(harness, 1);
    const { createTenant, createApiKey } = await import('../db/tenants');
    const otherTenant = await createTenant(harness.database.db, 'other');
    const otherKey = await createApiKey(harness.database.db, otherTenant, 'admin', 'other-admin');
    expectProblem(await harness.api('GET', `/v1/collections/${id}`, undefined, otherKey), 404);
  });
});

describe('methods, sizes and media types', () => {
  const send = (path: string, init: RequestInit & { duplex?: 'half' }) =>
    fetch(`${harness.url}${path}`, {
      method: 'POST',
      ...init,
      headers: { authorization: `Bearer ${harness.adminKey}`, ...init.headers },
    });
  const problemOf = async (response: Response) => ({
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: (await response.json()) as any,
  });

  it.each([
    ['PUT', '/v1/collections', 'GET, HEAD, POST'],
    ['GET', '/v1/operations/op-x/cancel', 'POST'],
    ['POST', '/v1/collections/00000000-0000-0000-0000-000000000000', 'GET, HEAD, PATCH, DELETE'],
    // A static path owns its methods: not a job named "validate".
    ['GET', '/v1/jobs/validate', 'POST'],
    ['OPTIONS', '/v1/jobs/validate', 'POST'],
  ])('%s %s is a 405 with Allow', async (method, path, allow) => {
    const response = await send(path, { method });
    expect(response.headers.get('allow')).toBe(allow);
    const problem = await problemOf(response);
    expectProblem(problem, 405);
    expect(problem.body.type).toBe('https://conveyor.dev/problems/method-not-allowed');
  });

  it('refuses a body over the limit with 413, by its content-length', async () => {
    const response = await send('/v1/collections', {
      headers: { 'content-type': 'application/json' },
      body: `{"name":"${'x'.repeat(MAX_BODY_BYTES)}"}`,
    });
    expect(response.headers.get('connection')).toBe('close');
    const problem = await problemOf(response);
    expectProblem(problem, 413);
    expect(problem.body.type).toBe('https://conveyor.dev/problems/payload-too-large');
  });

  it('refuses a chunked body without content-length once it passes the limit', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(1024 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX_BODY_BYTES) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const response = await send('/v1/collections', {
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    });
    expectProblem(await problemOf(response), 413);
  });

  it('takes a small chunked body', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"name":"chun'));
        controller.enqueue(new TextEncoder().encode('ked"}'));
        controller.close();
      },
    });
    const response = await send('/v1/collections', {
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    });
    expect(response.status).toBe(201);
  });

  it('refuses a body that is not JSON with 415, and takes a charset', async () => {
    const text = await send('/v1/collections', {
      headers: { 'content-type': 'text/plain' },
      body: '{"name":"plain"}',
    });
    const problem = await problemOf(text);
    expectProblem(problem, 415);
    expect(problem.body.type).toBe('https://conveyor.dev/problems/unsupported-media-type');
    const charset = await send('/v1/collections', {
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: '{"name":"with-charset"}',
    });
    expect(charset.status).toBe(201);
  });

  it('names invalid query parameters', async () => {
    const id = await seedCollection(harness, 1);
    const response = await harness.api('GET', `/v1/collections/${id}/items?limit=abc&cursor=-2`);
    expectProblem(response, 400);
    expect(fieldNames(response).sort()).toEqual(['cursor', 'limit']);
    expect(response.body.title).toBe('Invalid query');
  });
});
