import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createJob,
  expectProblem,
  type Harness,
  seedCollection,
  startHarness,
  startOperation,
  waitForStatus,
} from './harness';
import { openSse, type SseConnection, type SseMessage } from './sse-client';

let harness: Harness;
let collectionId: string;
const open: SseConnection[] = [];

beforeAll(async () => {
  harness = await startHarness({ chunkSize: 200, sseKeepAliveSeconds: 1 });
  collectionId = await seedCollection(harness, 600);
  await createJob(harness, {
    name: 'evented',
    stages: [
      { name: 'fetch', handler: 'noop', params: { delayMs: 1 } },
      { name: 'parse', handler: 'noop' },
    ],
  });
});
afterAll(async () => {
  for (const connection of open) connection.close();
  await harness?.stop();
});

async function stream(path: string, headers: Record<string, string> = {}, key?: string) {
  const connection = await openSse(`${harness.url}${path}`, key ?? harness.adminKey, headers);
  open.push(connection);
  return connection;
}

/** A live stream is subscribed once it says `: ready`. */
const ready = (connection: SseConnection) => connection.until(() => connection.comments > 0);
const ids = (messages: SseMessage[]) => messages.map((message) => Number(message.id));
const finished = (operationId: string) => (messages: SseMessage[]) =>
  messages.some(
    (message) =>
      message.event === 'operation.completed' &&
      JSON.parse(message.data).operationId === operationId,
  );

describe('the tenant event stream', () => {
  it('misses nothing and repeats nothing across a reconnect with Last-Event-ID', async () => {
    const first = await stream('/v1/events/stream');
    await ready(first);
    const id = await startOperation(harness, { job: 'evented', collectionId });
    await first.until((messages) => messages.length >= 6);
    first.close();
    const lastSeen = first.messages.at(-1)?.id ?? '';

    const second = await stream('/v1/events/stream', { 'last-event-id': lastSeen });
    await second.until(finished(id));
    second.close();

    const received = [...ids(first.messages), ...ids(second.messages)];
    const firstId = received[0] ?? 0;
    const log = await harness.api('GET', `/v1/events?after=${firstId - 1}&limit=1000`);
    const logged = log.body.data.map((event: { id: number }) => event.id);
    expect(received).toEqual(logged.slice(0, received.length));
    expect(new Set(received).size).toBe(received.length);
    expect(received).toEqual([...received].sort((a, b) => a - b));

    const types = [...first.messages, ...second.messages].map((message) => message.event);
    // 600 items in chunks of 200: each stage starts and completes once for the operation and
    // once in each of its three chunks.
    expect(types.filter((type) => type === 'stage.completed')).toHaveLength(2);
    expect(types.filter((type) => type === 'stage.started')).toHaveLength(2);
    expect(types.filter((type) => type === 'chunk.stage_completed')).toHaveLength(6);
    expect(types).toContain('operation.progress');
  });

  it('filters by type, job and collection', async () => {
    const filtered = await stream(
      `/v1/events/stream?type=stage.completed,operation.completed&job=evented&collectionId=${collectionId}`,
    );
    const otherJob = await stream('/v1/events/stream?job=not-evented');
    await Promise.all([ready(filtered), ready(otherJob)]);
    const id = await startOperation(harness, { job: 'evented', collectionId });
    await filtered.until(finished(id));
    expect(filtered.messages.map((message) => message.event)).toEqual([
      'stage.completed',
      'stage.completed',
      'operation.completed',
    ]);
    for (const message of filtered.messages) {
      expect(JSON.parse(message.data)).toMatchObject({ jobName: 'evented', collectionId });
    }
    expect(otherJob.messages).toEqual([]);
  });

  it('keeps an idle stream open with comments', async () => {
    const idle = await stream('/v1/events/stream?job=never-runs');
    await idle.until(() => idle.comments >= 3, 10_000);
    expect(idle.messages).toEqual([]);
  });

  it('refuses an unknown event type, naming the field', async () => {
    const response = await harness.api('GET', '/v1/events/stream?type=stage.completed,bogus');
    expectProblem(response, 400, 'validation');
    expect(JSON.stringify(response.body.invalid_params)).toContain('type');
  });

  it('shows nothing of one tenant to another', async () => {
    const tenant = await harness.api('POST', '/v1/tenants', { name: 'events-second' });
    const secondKey: string = tenant.body.key;
    const other = await stream('/v1/events/stream', {}, secondKey);
    await ready(other);
    const id = await startOperation(harness, { job: 'evented', collectionId });
    const own = await stream(`/v1/operations/${id}/stream`);
    await own.until(finished(id));
    // Its stream, its event list and the operation's stream say nothing of the first tenant.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(other.messages).toEqual([]);
    expect((await harness.api('GET', '/v1/events', undefined, secondKey)).body.data).toEqual([]);
    const foreign = await openSse(`${harness.url}/v1/operations/${id}/stream`, secondKey);
    expect(foreign.status).toBe(404);
  });
});

describe('the operation event stream', () => {
  it('serves 200 clients of one operation from one Postgres listener', async () => {
    const id = await startOperation(harness, { job: 'evented', collectionId });
    const clients = await Promise.all(
      Array.from({ length: 200 }, () => stream(`/v1/operations/${id}/stream`)),
    );
    expect(clients.every((client) => client.status === 200)).toBe(true);
    const [listeners] = await harness.database.sql<{ count: number }[]>`
      select count(*)::int as count from pg_stat_activity
      where datname = current_database() and query ilike 'listen%'`;
    expect(listeners?.count).toBe(1);

    await Promise.all(clients.map((client) => client.ended));
    const expected = ids(clients[0]?.messages ?? []);
    expect(clients[0]?.messages.at(-1)?.event).toBe('operation.completed');
    for (const client of clients) expect(ids(client.messages)).toEqual(expected);
    const log = await harness.api('GET', `/v1/operations/${id}/events?limit=1000`);
    expect(expected).toEqual(log.body.data.map((event: { id: number }) => event.id));
  });

  it('resumes after Last-Event-ID and ends at once when nothing more will come', async () => {
    const id = await startOperation(harness, { job: 'evented', collectionId });
    await waitForStatus(harness, id, ['completed']);
    const whole = await stream(`/v1/operations/${id}/stream`);
    await whole.ended;
    const middle = whole.messages[3]?.id ?? '';
    const rest = await stream(`/v1/operations/${id}/stream`, { 'last-event-id': middle });
    await rest.ended;
    expect(ids(rest.messages)).toEqual(ids(whole.messages.slice(4)));
    const after = await stream(`/v1/operations/${id}/stream`, {
      'last-event-id': whole.messages.at(-1)?.id ?? '',
    });
    await after.ended;
    expect(after.messages).toEqual([]);
  });
});

describe('the stream cap', () => {
  let capped: Harness;
  beforeAll(async () => {
    capped = await startHarness({ sseMaxConnections: 1 });
  });
  afterAll(async () => {
    await capped?.stop();
  });

  it('answers 503 problem+json past SSE_MAX_CONNECTIONS', async () => {
    const first = await openSse(`${capped.url}/v1/events/stream`, capped.adminKey);
    open.push(first);
    expect(first.status).toBe(200);
    const second = await capped.api('GET', '/v1/events/stream');
    expect(second.status).toBe(503);
    expect(second.contentType).toContain('application/problem+json');
    expect(second.body.detail).toContain('SSE_MAX_CONNECTIONS');
    first.close();
    await first.ended;
  });
});
