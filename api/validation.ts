import type { Context } from 'hono';
import type { z } from 'zod';
import { Problem, problems, zodInvalidParams } from './problems';

/** Largest JSON body the API reads; item upserts are the big ones. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Reads and validates a JSON body; any failure is a 400/413 problem naming the fields. */
export async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const length = Number(c.req.header('content-length') ?? 0);
  if (length > MAX_BODY_BYTES) {
    throw new Problem(
      413,
      'payload-too-large',
      'Payload too large',
      `Send at most ${MAX_BODY_BYTES} bytes per request; split the items into several requests.`,
    );
  }
  let body: unknown;
  try {
    const text = await c.req.text();
    body = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw problems.validation([{ name: '(body)', reason: 'must be valid JSON' }], 'JSON body');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw problems.validation(zodInvalidParams(parsed.error), 'body');
  return parsed.data;
}

export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw problems.validation(zodInvalidParams(parsed.error), 'query');
  return parsed.data;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that cannot exist is a 404, like an id that does not. */
export function uuidParam(c: Context, name: string, what: string): string {
  const value = c.req.param(name) ?? '';
  if (!uuidPattern.test(value)) throw problems.notFound(what, value);
  return value;
}

export interface Cursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Cursor | undefined {
  if (!cursor) return undefined;
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [
      string,
      string,
    ];
    const date = new Date(createdAt);
    if (Number.isNaN(date.getTime()) || typeof id !== 'string') throw new Error('bad cursor');
    return { createdAt: date, id };
  } catch {
    throw problems.validation(
      [{ name: 'cursor', reason: 'is not a cursor this API returned' }],
      'query',
    );
  }
}
