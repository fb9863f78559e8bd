import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_UPSERT_DATA_BYTES } from '../../api/collections/schemas';
import { problemOf } from '../../api/domain-errors';
import {
  costlyJsonParam,
  hostileJsonParams,
  MAX_JSON_MEMBERS,
  MAX_JSON_VALUES,
} from '../../api/json-checks';
import { MAX_BODY_BYTES } from '../../api/validation';
import { specRefused } from '../../schedules/temporal';
import { createJob, expectProblem, type Harness, seedCollection, startHarness } from '../harness';

/**
 * A tenant cannot tie up the API with one body: every JSON check is linear in the body, a
 * 10 MiB body of any shape is answered quickly without holding hundreds of megabytes, and a
 * batch of items is bounded in bytes. Also the fuzzer's two findings: a backwards cron range
 * and a webhook target the policy refuses.
 */

let harness: Harness;
let collectionId: string;
beforeAll(async () => {
  harness = await startHarness();
  collectionId = await seedCollection(harness, 1);
  await createJob(harness, { name: 'bounded', stages: [{ name: 'only', handler: 'noop' }] });
});
afterAll(async () => {
  await harness?.stop();
});

interface Measured {
  status: number;
  contentType: string;
  body: any;
  ms: number;
  heapMB: number;
}

/**
 * Sends raw JSON text and measures the answer: the API runs in this process, so its heap
 * growth over the request (garbage included, as nothing forces a collection) is ours to read.
 */
async function measure(path: string, text: string, method = 'POST'): Promise<Measured> {
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const response = await fetch(`${harness.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${harness.adminKey}`, 'content-type': 'application/json' },
    body: text,
    signal: AbortSignal.timeout(30_000),
  });
  const body = await response.json();
  const ms = Math.round(performance.now() - started);
  const heapMB = Math.round((process.memoryUsage().heapUsed - heapBefore) / 1e6);
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body,
    ms,
    heapMB,
  };
}

/** `open` + filler repeated to fill the body to just under the limit + `close`. */
function filled(open: string, filler: string, close: string, separator = ','): string {
  const room = MAX_BODY_BYTES - 1024 - open.length - close.length;
  const count = Math.floor(room / (filler.length + separator.length));
  return `${open}${Array(count).fill(filler).join(separator)}${close}`;
}

const names = (answer: { body: any }) =>
  (answer.body.invalid_params as { name: string; reason: string }[]).map((param) => param.name);

describe('a 10 MiB body of any shape', () => {
  const half = (MAX_BODY_BYTES - 1024) / 2;
  const shapes: [string, () => string, string][] = [
    [
      'nested arrays',
      () => `{"items":[{"key":"k","data":${'['.repeat(half)}${']'.repeat(half)}}]}`,
      'items.0.data',
    ],
    [
      'nested objects',
      () => filled('{"items":[{"key":"k","data":', '{"a":', '}', ''),
      'items.0.data',
    ],
    ['a wide array of empty objects', () => filled('{"items":[', '{}', ']}'), '(body)'],
    [
      'a wide array of numbers',
      () => filled('{"items":[{"key":"k","data":[', '0', ']}]}'),
      '(body)',
    ],
    [
      'millions of tiny strings',
      () => filled('{"items":[{"key":"k","data":[', '""', ']}]}'),
      '(body)',
    ],
    [
      'an object of 800,000 keys',
      () => {
        const keys = Array.from({ length: 800_000 }, (_, i) => `"k${i}":0`).join(',');
        return `{"items":[{"key":"k","data":{${keys}}}]}`;
      },
      '(body)',
    ],
    [
      'a huge key',
      () => `{"items":[{"key":"k","data":{"${'k'.repeat(MAX_BODY_BYTES - 1024)}":1}}]}`,
      'items.0.data',
    ],
    [
      'a long string',
      () => `{"items":[{"key":"k","data":"${'x'.repeat(MAX_BODY_BYTES - 1024)}"}]}`,
      'items.0.data',
    ],
  ];

  for (const [shape, make, field] of shapes) {
    it(`of ${shape} is a 400 naming ${field}, quickly and in little memory`, async () => {
      const text = make();
      expect(text.length).toBeGreaterThan(MAX_BODY_BYTES * 0.9);
      expect(text.length).toBeLessThanOrEqual(MAX_BODY_BYTES);
      const answer = await measure(`/v1/collections/${collectionId}/items`, text);
      console.log(
        `[bounds] ${shape}: ${answer.status} in ${answer.ms} ms, heap +${answer.heapMB} MB`,
      );
      expectProblem(answer, 400, 'validation');
      expect(names(answer)).toContain(field);
      // Generous for a shared machine; before the bounds these took seconds and gigabytes.
      expect(answer.ms).toBeLessThan(5_000);
      expect(answer.heapMB).toBeLessThan(150);
    });
  }

  it('of valid items within the bounds is accepted, quickly and in little memory', async () => {
    const data = { text: 'y'.repeat(1_500) };
    const items = Array.from({ length: 5_000 }, (_, i) => ({ key: `big-${i}`, data }));
    const text = JSON.stringify({ items });
    expect(text.length).toBeGreaterThan(7_500_000);
    const answer = await measure(`/v1/collections/${collectionId}/items`, text);
    console.log(
      `[bounds] 5,000 valid items: ${answer.status} in ${answer.ms} ms, heap +${answer.heapMB} MB`,
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.received).toBe(5_000);
    expect(answer.ms).toBeLessThan(10_000);
    expect(answer.heapMB).toBeLessThan(150);
  });
});

describe('a batch of items', () => {
  it(`is refused over ${MAX_UPSERT_DATA_BYTES} bytes of data in all, naming items and the limit`, async () => {
    const data = 'z'.repeat(250_000);
    const count = Math.ceil(MAX_UPSERT_DATA_BYTES / 250_000) + 1;
    const items = Array.from({ length: count }, (_, i) => ({ key: `heavy-${i}`, data }));
    const answer = await measure(
      `/v1/collections/${collectionId}/items`,
      JSON.stringify({ items }),
    );
    expectProblem(answer, 400, 'validation');
    const param = answer.body.invalid_params.find((p: { name: string }) => p.name === 'items');
    expect(param?.reason).toContain(String(MAX_UPSERT_DATA_BYTES));
    const listed = await harness.api(
      'GET',
      `/v1/collections/${collectionId}/items?keyPrefix=heavy-`,
    );
    expect(listed.body.data).toEqual([]);
  });

  it("is refused when one item's data is over its bound in UTF-8 bytes, naming the item", async () => {
    // 100,000 three-byte characters: within the bound counted in characters, not in bytes.
    const items = [
      { key: 'light', data: {} },
      { key: 'wide', data: '€'.repeat(100_000) },
    ];
    const answer = await measure(
      `/v1/collections/${collectionId}/items`,
      JSON.stringify({ items }),
    );
    expectProblem(answer, 400, 'validation');
    expect(names(answer)).toEqual(['items.1.data']);
  });
});

describe('the JSON checks', () => {
  it('count values and keys before parsing, and accept exactly the bounds', () => {
    const values = (count: number) =>
      `[${Array(count - 1)
        .fill('0')
        .join(',')}]`;
    expect(costlyJsonParam(values(MAX_JSON_VALUES))).toBeUndefined();
    expect(costlyJsonParam(values(MAX_JSON_VALUES + 1))?.name).toBe('(body)');
    const members = (count: number) =>
      `{${Array.from({ length: count }, (_, i) => `"k${i}":0`).join(',')}}`;
    expect(costlyJsonParam(members(MAX_JSON_MEMBERS))).toBeUndefined();
    expect(costlyJsonParam(members(MAX_JSON_MEMBERS + 1))?.name).toBe('(body)');
    // Brackets, commas and colons inside strings are text, not structure.
    expect(costlyJsonParam(`["${'[,{:'.repeat(500_000)}"]`)).toBeUndefined();
    expect(costlyJsonParam(`{"a\\"[":[{"b":${'['.repeat(300)}${']'.repeat(300)}}]}`)?.name).toBe(
      'a"[.0.b',
    );
  });

  it('walk a value in time linear in its size, whatever its depth', () => {
    // The old walker copied the path at every node: a deep value cost depth times more.
    const leaves = 200_000;
    const flat = Array(leaves).fill('leaf');
    let deep: unknown = Array(leaves).fill('leaf');
    for (let level = 0; level < 250; level++) deep = { level: deep };
    const time = (value: unknown) => {
      const started = performance.now();
      expect(hostileJsonParams(value)).toEqual([]);
      return performance.now() - started;
    };
    time(flat);
    const flatMs = Math.min(time(flat), time(flat));
    const deepMs = Math.min(time(deep), time(deep));
    console.log(
      `[bounds] walker: ${leaves} leaves flat ${flatMs.toFixed(1)} ms, 250 deep ${deepMs.toFixed(1)} ms`,
    );
    expect(deepMs).toBeLessThan(flatMs * 5 + 20);
  });

  it('walk a million values under a second of work and name a finding by its path', () => {
    const value = { items: Array.from({ length: 1_000 }, () => Array(1_000).fill('ok')) };
    const started = performance.now();
    expect(hostileJsonParams(value)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(3_000);
    (value.items[999] as string[])[998] = 'bad\u0000';
    expect(hostileJsonParams(value)).toEqual([
      { name: 'items.999.998', reason: 'must not contain NUL characters (\\u0000)' },
    ]);
  });
});

describe('fuzz findings', () => {
  const backwards = '31-43/4,*,20/715,23 */3 25,19-14,20-7/99,*,15-9,*/5 12 2-6/7,*';

  it('a cron range that runs backwards is a 400 naming the field, on create and change', async () => {
    const created = await harness.api('POST', '/v1/schedules', {
      job: 'bounded',
      collectionId,
      spec: { cron: ['0 3 * * *', backwards] },
    });
    expectProblem(created, 400, 'validation');
    expect(names(created)).toContain('spec.cron.1');
    expect(JSON.stringify(created.body.invalid_params)).toContain('19-14');

    const schedule = await harness.api('POST', '/v1/schedules', {
      job: 'bounded',
      collectionId,
      spec: { cron: ['0 3 * * *'] },
    });
    expect(schedule.status, JSON.stringify(schedule.body)).toBe(201);
    const changed = await harness.api('PATCH', `/v1/schedules/${schedule.body.id}`, {
      spec: { cron: [backwards] },
    });
    expectProblem(changed, 400, 'validation');
    expect(names(changed)).toContain('spec.cron.0');
    const kept = await harness.api('GET', `/v1/schedules/${schedule.body.id}`);
    expect(kept.body.spec.cron).toEqual(['0 3 * * *']);
  });

  it("Temporal's refusal of a spec, raised by the SDK as a TypeError, is a 400 naming spec", () => {
    const refusal = new TypeError('DayOfMonth End is before Start or not in range [1-31]');
    let thrown: unknown;
    try {
      specRefused(refusal);
    } catch (error) {
      thrown = error;
    }
    expect(problemOf(thrown)).toEqual(
      expect.objectContaining({
        status: 400,
        invalidParams: [expect.objectContaining({ name: 'spec' })],
      }),
    );
    expect(() => specRefused(new Error('connection reset'))).toThrow('connection reset');
  });

  it('a webhook to a reserved address is a 409 naming url, on create and change', async () => {
    const created = await harness.api('POST', '/v1/webhooks', { url: 'http://240.0.0.1/hook' });
    expectProblem(created, 409, 'conflict');
    expect(names(created)).toEqual(['url']);
    const webhook = await harness.api('POST', '/v1/webhooks', {
      url: 'https://hooks.example.com/conveyor',
    });
    expect(webhook.status, JSON.stringify(webhook.body)).toBe(201);
    const changed = await harness.api('PATCH', `/v1/webhooks/${webhook.body.id}`, {
      url: 'http://127.0.0.1:9/hook',
    });
    expectProblem(changed, 409, 'conflict');
    expect(names(changed)).toEqual(['url']);
  });

  it('the document lists 409 for webhook create and change', async () => {
    const document = (await harness.api('GET', '/openapi.json')).body;
    expect(Object.keys(document.paths['/v1/webhooks'].post.responses)).toContain('409');
    expect(Object.keys(document.paths['/v1/webhooks/{id}'].patch.responses)).toContain('409');
  });
});
