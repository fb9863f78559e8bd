import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../api/json-checks';
import { MAX_ITEMS_PER_UPSERT } from '../common/constants';
import { createApiKey, createTenant, hashApiKey } from '../db/tenants';
import { expectProblem, type Harness, startHarness, waitForStatus } from './harness';

/**
 * What a schema-driven fuzzer rarely sends: NUL characters and lone surrogates in strings and
 * keys, deep nesting, too many items, unknown fields, odd limits, a revoked key and another
 * tenant's key. Every answer is a 4xx problem (or the documented success), never a 500 or a hang.
 */

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.stop();
});

interface Answer {
  status: number;
  contentType: string;
  body: any;
}

/** Sends `body` as raw JSON text (so escapes like \u0000 and \ud800 reach the server as sent). */
async function send(method: string, path: string, body?: string, key?: string): Promise<Answer> {
  const response = await fetch(`${harness.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key ?? harness.adminKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body,
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: text ? JSON.parse(text) : undefined,
  };
}

const json = (value: unknown) => JSON.stringify(value);

function expectInvalid(response: Answer, field: string) {
  expectProblem(response, 400);
  expect(response.body.type).toBe('https://conveyor.dev/problems/validation');
  const names = (response.body.invalid_params as { name: string }[]).map((p) => p.name);
  expect(names).toContain(field);
}

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

async function newCollection(): Promise<string> {
  const created = await send('POST', '/v1/collections', json({ name: unique('c') }));
  expect(created.status).toBe(201);
  return created.body.id;
}

// Raw JSON escapes, spelled so that JSON.stringify cannot normalise them away.
const NUL = '\\u0000';
const LONE_HIGH = '\\ud800';
const LONE_LOW = '\\udc00';
const percent = (bad: string) =>
  bad === NUL ? '%00' : bad === LONE_HIGH ? '%ED%A0%80' : '%ED%B0%80';

describe('NUL characters and lone surrogates', () => {
  const hostile = [
    ['NUL', NUL],
    ['a lone high surrogate', LONE_HIGH],
    ['a lone low surrogate', LONE_LOW],
  ] as const;

  for (const [what, bad] of hostile) {
    it(`refuses ${what} in a collection's name, metadata value and metadata key`, async () => {
      expectInvalid(await send('POST', '/v1/collections', `{"name": "a${bad}b"}`), 'name');
      expectInvalid(
        await send(
          'POST',
          '/v1/collections',
          `{"name": "${unique('c')}", "metadata": {"x": "a${bad}"}}`,
        ),
        'metadata.x',
      );
      expectInvalid(
        await send(
          'POST',
          '/v1/collections',
          `{"name": "${unique('c')}", "metadata": {"k${bad}": 1}}`,
        ),
        'metadata',
      );
    });

    it(`refuses ${what} in an item's key, data value and data key`, async () => {
      const id = await newCollection();
      const path = `/v1/collections/${id}/items`;
      expectInvalid(await send('POST', path, `{"items": [{"key": "k${bad}"}]}`), 'items.0.key');
      expectInvalid(
        await send(
          'POST',
          path,
          `{"items": [{"key": "ok"}, {"key": "k", "data": {"a": ["${bad}"]}}]}`,
        ),
        'items.1.data.a.0',
      );
      expectInvalid(
        await send('POST', path, `{"items": [{"key": "k", "data": {"nested": {"${bad}": true}}}]}`),
        'items.0.data.nested',
      );
      // Nothing was stored.
      const items = await send('GET', path);
      expect(items.status).toBe(200);
      expect(items.body.data).toEqual([]);
    });

    it(`refuses ${what} in a job definition and an operation start`, async () => {
      expectInvalid(
        await send(
          'POST',
          '/v1/jobs',
          `{"name": "j${bad}", "stages": [{"name": "a", "handler": "noop"}]}`,
        ),
        'name',
      );
      expectInvalid(
        await send(
          'POST',
          '/v1/jobs',
          `{"name": "${unique('j')}", "stages": [{"name": "a", "handler": "noop", "params": {"${bad}": 1}}]}`,
        ),
        'stages.0.params',
      );
      const start = await send('POST', '/v1/operations', `{"job": "x${bad}"}`);
      expectInvalid(start, 'job');
    });

    it(`refuses ${what} in a query string and a path`, async () => {
      const response = await send('GET', `/v1/operations?job=x${percent(bad)}`);
      if (bad === NUL) {
        expectInvalid(response, 'job');
      } else {
        // %ED%A0%80 is not UTF-8, so it never decodes to a lone surrogate: no such job, no 500.
        expect(response.status, json(response.body)).toBe(200);
      }
      const job = await send('GET', `/v1/jobs/x${percent(bad)}`);
      // A NUL cannot reach Postgres, so it is refused before the lookup; the rest are no such job.
      expectProblem(job, bad === NUL ? 400 : 404);
    });
  }

  it('still accepts ordinary non-ASCII text, escaped surrogate pairs included', async () => {
    const id = await newCollection();
    const stored = await send(
      'POST',
      `/v1/collections/${id}/items`,
      '{"items": [{"key": "caf\\u00e9-\\ud83d\\ude00", "data": {"\\ud83d\\ude00": "ü"}}]}',
    );
    expect(stored.status, json(stored.body)).toBe(200);
    const items = await send('GET', `/v1/collections/${id}/items`);
    expect(items.body.data[0].key).toBe('café-😀');
    expect(items.body.data[0].data).toEqual({ '😀': 'ü' });
  });
});

describe('deep nesting', () => {
  it('answers 10,000 levels of arrays in item data with a 4xx problem, quickly', async () => {
    const id = await newCollection();
    const depth = 10_000;
    const data = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const response = await send(
      'POST',
      `/v1/collections/${id}/items`,
      `{"items": [{"key": "deep", "data": ${data}}]}`,
    );
    expectInvalid(response, 'items.0.data');
  });

  it('answers 10,000 levels of objects in collection metadata with a 4xx problem', async () => {
    const depth = 10_000;
    const metadata = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const response = await send(
      'POST',
      '/v1/collections',
      `{"name": "${unique('c')}", "metadata": ${metadata}}`,
    );
    expectInvalid(response, 'metadata.a.a');
  });

  // The body as a whole nests at most MAX_JSON_DEPTH levels: {items: [{data: …}]} uses three.
  it(`accepts a body ${MAX_JSON_DEPTH} levels deep and refuses one more`, async () => {
    const id = await newCollection();
    const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
    const path = `/v1/collections/${id}/items`;
    const deepest = await send(
      'POST',
      path,
      `{"items": [{"key": "deepest", "data": ${nested(MAX_JSON_DEPTH - 3)}}]}`,
    );
    expect(deepest.status, json(deepest.body)).toBe(200);
    const items = await send('GET', path);
    expect(json(items.body.data[0].data)).toBe(nested(MAX_JSON_DEPTH - 3));
    expectInvalid(
      await send(
        'POST',
        path,
        `{"items": [{"key": "deeper", "data": ${nested(MAX_JSON_DEPTH - 2)}}]}`,
      ),
      'items.0.data',
    );
  });
});

describe('too many items', () => {
  it(`refuses ${MAX_ITEMS_PER_UPSERT + 1} and 10,001 items in one upsert, naming items`, async () => {
    const id = await newCollection();
    for (const count of [MAX_ITEMS_PER_UPSERT + 1, 10_001]) {
      const items = Array.from({ length: count }, (_, i) => ({ key: `k${i}` }));
      const response = await send('POST', `/v1/collections/${id}/items`, json({ items }));
      expectInvalid(response, 'items');
    }
    const items = await send('GET', `/v1/collections/${id}/items`);
    expect(items.body.data).toEqual([]);
    const exactly = Array.from({ length: MAX_ITEMS_PER_UPSERT }, (_, i) => ({ key: `k${i}` }));
    const accepted = await send('POST', `/v1/collections/${id}/items`, json({ items: exactly }));
    expect(accepted.status).toBe(200);
    expect(accepted.body.inserted).toBe(MAX_ITEMS_PER_UPSERT);
  });
});

describe('a key given twice in one upsert', () => {
  it('keeps the last one, as the document says', async () => {
    const id = await newCollection();
    const items = [
      { key: 'twice', data: { n: 1 } },
      { key: 'once', data: { n: 2 } },
      { key: 'twice', data: { n: 3 } },
    ];
    const accepted = await send('POST', `/v1/collections/${id}/items`, json({ items }));
    expect(accepted.body.inserted).toBe(2);
    const listed = await send('GET', `/v1/collections/${id}/items`);
    const twice = listed.body.data.find((item: { key: string }) => item.key === 'twice');
    expect(twice.data).toEqual({ n: 3 });
  });
});

describe('unknown fields', () => {
  // The schemas are plain zod objects: fields they do not know are dropped, not refused, so a
  // newer client talking to an older server still works. Dropped means not stored either.
  it('ignores unknown fields in a collection, its items and an operation start, and refuses them in a job', async () => {
    const created = await send(
      'POST',
      '/v1/collections',
      json({ name: unique('c'), colour: 'red', tenantId: '00000000-0000-0000-0000-000000000000' }),
    );
    expect(created.status, json(created.body)).toBe(201);
    expect(created.body).not.toHaveProperty('colour');
    expect(created.body.tenantId).not.toBe('00000000-0000-0000-0000-000000000000');

    const upserted = await send(
      'POST',
      `/v1/collections/${created.body.id}/items`,
      json({ items: [{ key: 'a', extra: 1 }], extra: true }),
    );
    expect(upserted.status, json(upserted.body)).toBe(200);
    const items = await send('GET', `/v1/collections/${created.body.id}/items`);
    expect(items.body.data[0]).not.toHaveProperty('extra');

    // A job's fields decide what runs: a misspelt one must not be dropped unnoticed.
    const refused = await send(
      'POST',
      '/v1/jobs',
      json({ name: unique('j'), stages: [{ name: 'a', handler: 'noop', bogus: 1 }], bogus: 2 }),
    );
    expectProblem(refused, 400);
    expect(refused.body.invalid_params.map((param: { name: string }) => param.name).sort()).toEqual(
      ['bogus', 'stages.0.bogus'],
    );
    const job = await send(
      'POST',
      '/v1/jobs',
      json({ name: unique('j'), stages: [{ name: 'a', handler: 'noop' }] }),
    );
    expect(job.status, json(job.body)).toBe(201);

    const started = await send(
      'POST',
      '/v1/operations',
      json({ job: job.body.name, collectionId: created.body.id, bogus: 3 }),
    );
    expect(started.status, json(started.body)).toBe(202);
    await waitForStatus(harness, started.body.id, ['completed', 'failed', 'cancelled']);
  });
});

describe('page sizes', () => {
  const odd = ['-1', '0', '1.5', '-0.5', '1e3', '1e400', '99999999999999999999', 'NaN', 'abc', ''];
  for (const path of ['/v1/operations', '/v1/collections']) {
    for (const limit of odd) {
      it(`refuses ${path}?limit=${limit} naming limit`, async () => {
        const response = await send('GET', `${path}?limit=${encodeURIComponent(limit)}`);
        expectInvalid(response, 'limit');
      });
    }
    it(`accepts ${path} at the bounds`, async () => {
      expect((await send('GET', `${path}?limit=1`)).status).toBe(200);
      expect((await send('GET', `${path}?limit=500`)).status).toBe(200);
      expectInvalid(await send('GET', `${path}?limit=501`), 'limit');
    });
  }
});

describe('revoked key', () => {
  it('is refused at once with a 401 problem', async () => {
    const key = await harness.keyWithRole('admin');
    expect((await send('GET', '/v1/collections', undefined, key)).status).toBe(200);
    await harness.database.sql`
      update api_keys set revoked_at = now() where key_hash = ${hashApiKey(key)}`;
    for (const [method, path, body] of [
      ['GET', '/v1/collections', undefined],
      ['POST', '/v1/collections', json({ name: unique('c') })],
      ['GET', '/v1/operations?limit=1', undefined],
    ] as const) {
      const response = await send(method, path, body, key);
      expectProblem(response, 401);
    }
  });
});

describe("another tenant's key", () => {
  it("sees none of the first tenant's collections, items, jobs or operations", async () => {
    const collectionId = await newCollection();
    await send('POST', `/v1/collections/${collectionId}/items`, json({ items: [{ key: 'a' }] }));
    const job = await send(
      'POST',
      '/v1/jobs',
      json({ name: unique('j'), stages: [{ name: 'a', handler: 'noop' }] }),
    );
    expect(job.status).toBe(201);
    const started = await send(
      'POST',
      '/v1/operations',
      json({ job: job.body.name, collectionId }),
    );
    expect(started.status, json(started.body)).toBe(202);
    const operationId = started.body.id as string;
    await waitForStatus(harness, operationId, ['completed', 'failed', 'cancelled']);

    const tenantId = await createTenant(harness.database.db, unique('tenant'));
    const other = await createApiKey(harness.database.db, tenantId, 'admin', 'other-admin');

    for (const path of [
      `/v1/collections/${collectionId}`,
      `/v1/collections/${collectionId}/items`,
      `/v1/jobs/${job.body.id}`,
      `/v1/jobs/${job.body.name}`,
      `/v1/operations/${operationId}`,
    ]) {
      expectProblem(await send('GET', path, undefined, other), 404);
    }
    // Writing into the first tenant's collection or starting its job is refused the same way.
    expectProblem(
      await send(
        'POST',
        `/v1/collections/${collectionId}/items`,
        json({ items: [{ key: 'b' }] }),
        other,
      ),
      404,
    );
    const foreignStart = await send(
      'POST',
      '/v1/operations',
      json({ job: job.body.name, collectionId }),
      other,
    );
    expectProblem(foreignStart, 404);

    for (const path of ['/v1/collections?limit=500', '/v1/operations?limit=500', '/v1/jobs']) {
      const list = await send('GET', path, undefined, other);
      expect(list.status, json(list.body)).toBe(200);
      const text = json(list.body);
      expect(text).not.toContain(collectionId);
      expect(text).not.toContain(operationId);
      expect(text).not.toContain(job.body.id);
    }
    const ownView = await send('GET', `/v1/collections/${collectionId}`);
    expect(ownView.status).toBe(200);
    expect(ownView.body.itemCount).toBe(1);
  });
});
