import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineHandler, PermanentError } from './define';

const itemSchema = z.object({ url: z.url() });

/**
 * Fetches the item's URL (`data.url`, or the key when it is a URL) and records status, size and
 * a sha256 of the body. 4xx answers fail the item for good; 5xx and network errors are retried.
 */
export const httpFetchHandler = defineHandler({
  name: 'http.fetch',
  version: '1',
  description: 'GETs the item URL and stores status, content type, byte length and sha256.',
  params: z.object({
    timeoutMs: z.number().int().min(1).max(300_000).default(10_000),
    maxBytes: z.number().int().min(1).max(50_000_000).default(5_000_000),
  }),
  async process(item, { params, signal }) {
    const parsed = itemSchema.safeParse(item.data);
    const url = parsed.success ? parsed.data.url : item.key;
    if (!z.url().safeParse(url).success) {
      throw new PermanentError(`http.fetch: item ${item.key} has no URL in data.url or its key`);
    }
    const response = await fetch(url, {
      signal: AbortSignal.any([signal, AbortSignal.timeout(params.timeoutMs)]),
      redirect: 'follow',
    });
    if (response.status >= 400 && response.status < 500) {
      throw new PermanentError(`http.fetch: ${url} answered ${response.status}`);
    }
    if (!response.ok) throw new Error(`http.fetch: ${url} answered ${response.status}`);
    const body = new Uint8Array(await response.arrayBuffer());
    if (body.byteLength > params.maxBytes) {
      throw new PermanentError(`http.fetch: ${url} is ${body.byteLength} bytes, over maxBytes`);
    }
    return {
      url,
      status: response.status,
      contentType: response.headers.get('content-type'),
      bytes: body.byteLength,
      sha256: createHash('sha256').update(body).digest('hex'),
    };
  },
});
