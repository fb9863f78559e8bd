import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineHandler, PermanentError } from './define';

const itemSchema = z.object({ url: z.url() });

/**
 * Fetches the item's URL (`data.url`, or the key when it is a URL) and records status, size and
 * a sha256 of the body. 4xx answers fail the item for good; 5xx and network errors are retried.
 * The context's `fetch` checks every address and redirect and cuts the body at `maxBytes`.
 */
export const httpFetchHandler = defineHandler({
  name: 'http.fetch',
  version: '1',
  // The API's document (and the generated client) carries this text; the guards are in README.
  description: 'GETs the item URL and stores status, content type, byte length and sha256.',
  params: z.object({
    timeoutMs: z.number().int().min(1).max(300_000).default(10_000),
    maxBytes: z.number().int().min(1).max(50_000_000).default(5_000_000),
  }),
  async process(item, { params, signal, fetch }) {
    const parsed = itemSchema.safeParse(item.data);
    const url = parsed.success ? parsed.data.url : item.key;
    if (!z.url().safeParse(url).success) {
      throw new PermanentError(`http.fetch: item ${item.key} has no URL in data.url or its key`);
    }
    const response = await fetch(url, {
      signal,
      timeoutMs: params.timeoutMs,
      maxBytes: params.maxBytes,
    });
    if (response.status >= 400 && response.status < 500) {
      throw new PermanentError(`http.fetch: ${response.url} answered ${response.status}`);
    }
    if (response.status < 200 || response.status >= 300) {
      throw new Error(`http.fetch: ${response.url} answered ${response.status}`);
    }
    return {
      url,
      status: response.status,
      contentType: response.headers.get('content-type'),
      bytes: response.body.byteLength,
      sha256: createHash('sha256').update(response.body).digest('hex'),
    };
  },
});
