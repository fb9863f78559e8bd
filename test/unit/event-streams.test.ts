import { describe, expect, it } from 'vitest';
import { Unavailable } from '../../common/domain-errors';
import type { Event } from '../../db/events';
import { matches } from '../../events/hub';
import { refuseOverCap, StreamBuffer } from '../../events/streams';

const event = (id: number, fields: Partial<Event> = {}): Event => ({
  id,
  tenantId: '00000000-0000-4000-8000-000000000001',
  operationId: 'op-1',
  type: 'stage.progress',
  stageName: 'fetch',
  jobName: 'nightly',
  collectionId: '00000000-0000-4000-8000-00000000000c',
  data: {},
  createdAt: new Date('2026-01-01T00:00:00Z'),
  ...fields,
});

const size = (of: Event) => JSON.stringify(of).length;

describe("a stream's buffer", () => {
  it('holds up to its bound in events, and says so at one more', () => {
    const buffer = new StreamBuffer({ maxQueuedEvents: 3, maxQueuedBytes: 1_000_000 });
    expect([1, 2, 3].map((id) => buffer.push(event(id)))).toEqual([true, true, true]);
    expect(buffer.push(event(4))).toBe(false);
  });

  it('holds up to its bound in bytes, and says so at one byte more', () => {
    const bytes = size(event(1)) + size(event(2));
    expect(new StreamBuffer({ maxQueuedEvents: 10, maxQueuedBytes: bytes }).push(event(1))).toBe(
      true,
    );
    const exact = new StreamBuffer({ maxQueuedEvents: 10, maxQueuedBytes: bytes });
    exact.push(event(1));
    expect(exact.push(event(2))).toBe(true);
    const under = new StreamBuffer({ maxQueuedEvents: 10, maxQueuedBytes: bytes - 1 });
    under.push(event(1));
    expect(under.push(event(2))).toBe(false);
  });

  it('hands events back in order, each serialized once, and frees their room as it does', () => {
    const buffer = new StreamBuffer({ maxQueuedEvents: 2, maxQueuedBytes: size(event(1)) * 2 });
    buffer.push(event(1));
    buffer.push(event(2));
    const first = buffer.shift();
    expect(first?.event.id).toBe(1);
    expect(first?.data).toBe(JSON.stringify(event(1)));
    // Room for one again, in events and in bytes.
    expect(buffer.push(event(3))).toBe(true);
    expect(buffer.length).toBe(2);
    expect([buffer.shift()?.event.id, buffer.shift()?.event.id, buffer.shift()]).toEqual([
      2,
      3,
      undefined,
    ]);
  });

  it('is empty, with all its room, once cleared', () => {
    const buffer = new StreamBuffer({ maxQueuedEvents: 2, maxQueuedBytes: size(event(1)) * 2 });
    buffer.push(event(1));
    buffer.push(event(2));
    buffer.clear();
    expect(buffer.length).toBe(0);
    expect(buffer.shift()).toBeUndefined();
    expect(buffer.push(event(3))).toBe(true);
    expect(buffer.push(event(4))).toBe(true);
  });
});

describe("a process's stream cap", () => {
  const limits = { maxConnections: 2, keepAliveMs: 15_000 };

  it('admits streams below it', () => {
    expect(() => refuseOverCap({ openStreams: 1 }, limits)).not.toThrow();
  });

  it('refuses the stream that would pass it as Unavailable, naming the setting', () => {
    expect(() => refuseOverCap({ openStreams: 2 }, limits)).toThrow(Unavailable);
    expect(() => refuseOverCap({ openStreams: 2 }, limits)).toThrow(
      /at most 2 .*SSE_MAX_CONNECTIONS/,
    );
  });
});

describe("a subscriber's filter", () => {
  it('lets everything through when empty', () => {
    expect(matches({}, event(1))).toBe(true);
    expect(matches({ types: [] }, event(1))).toBe(true);
  });

  it('needs every field it names to match', () => {
    const filter = { operationId: 'op-1', types: ['stage.progress'], jobName: 'nightly' };
    expect(matches(filter, event(1))).toBe(true);
    expect(matches(filter, event(1, { operationId: 'op-2' }))).toBe(false);
    expect(matches(filter, event(1, { type: 'operation.started' }))).toBe(false);
    expect(matches(filter, event(1, { jobName: 'hourly' }))).toBe(false);
    expect(matches({ collectionId: 'other' }, event(1)), 'an event of another collection').toBe(
      false,
    );
  });
});
