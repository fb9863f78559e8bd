import { z } from 'zod';
import {
  defineDiscoveryHandler,
  defineHandler,
  type HostAccess,
  PermanentError,
} from '../../handlers/define';
import { tenantPattern, withinTime } from '../../handlers/time-bound';

const USER_AGENT = 'ConveyorExample/1.0 (+https://conveyor.dev/examples)';

/**
 * Time for the regular expressions run over one fetched document: a linear pass over a few
 * megabytes takes milliseconds, a hostile page or `include` pattern is stopped here.
 */
const PARSE_MS = 1_000;

async function get(
  fetch: HostAccess['fetch'],
  url: string,
  options: { signal: AbortSignal; timeoutMs: number; maxBytes: number },
) {
  // The context's fetch: the site's addresses and redirects are checked, its body bounded.
  const response = await fetch(url, { ...options, headers: { 'user-agent': USER_AGENT } });
  // Gone pages stay gone; a 429 or a 5xx is the site asking us to come back later.
  if (response.status >= 400 && response.status < 500 && response.status !== 429) {
    throw new PermanentError(`${url} answered ${response.status}`);
  }
  if (response.status < 200 || response.status >= 300) {
    throw new Error(`${url} answered ${response.status}`);
  }
  return response;
}

const decode = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/**
 * Discovers a site's pages from its sitemap (following a sitemap index one level down): one item
 * per URL, keyed by the URL, so the next crawl upserts the same items and adds only new pages.
 */
export const sitemapDiscoveryHandler = defineDiscoveryHandler({
  name: 'sitemap.urls',
  version: '1',
  description:
    'Reads the sitemap (or sitemap index) at params.url and yields one item per <loc> URL.',
  params: z.object({
    url: z.url(),
    include: z
      .string()
      .max(500)
      .optional()
      .describe('A regular expression URLs must match (stopped after a second of matching).'),
    maxUrls: z.number().int().min(1).max(1_000_000).default(50_000),
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    maxBytes: z.number().int().min(1_000).max(50_000_000).default(10_000_000),
  }),
  async *discover({ params, signal, log, fetch }) {
    const include = params.include ? tenantPattern(params.include, 'include') : null;
    let found = 0;
    const read = async function* (
      url: string,
      depth: number,
    ): AsyncGenerator<{ key: string; data: unknown }> {
      const { timeoutMs, maxBytes } = params;
      const xml = (await get(fetch, url, { signal, timeoutMs, maxBytes })).text();
      const { isIndex, locs } = withinTime(
        () => {
          const all = [...xml.matchAll(/<loc>\s*([^<]+?)\s*<\/loc>/g)].map((m) =>
            decode(m[1] ?? ''),
          );
          const index = /<sitemapindex[\s>]/.test(xml);
          return {
            isIndex: index,
            locs: include && !index ? all.filter((loc) => include.test(loc)) : all,
          };
        },
        PARSE_MS,
        include ? `reading ${url} with include /${params.include}/` : `reading ${url}`,
      );
      for (const loc of locs) {
        if (isIndex) {
          if (depth === 0) yield* read(loc, 1);
          continue;
        }
        if (found++ >= params.maxUrls) return;
        yield { key: loc, data: { url: loc, sitemap: url } };
      }
    };
    yield* read(params.url, 0);
    log.info({ sitemap: params.url, found }, 'sitemap read');
  },
});

const pageItem = z.object({ url: z.url() });

const first = (html: string, pattern: RegExp) => {
  const value = pattern.exec(html)?.[1];
  return value === undefined ? null : decode(value.trim());
};

/**
 * Fetches one product page and extracts what a price tracker keeps: title, description, name,
 * SKU, price, availability (from schema.org microdata) and the page's size in words and links.
 */
export const pageExtractHandler = defineHandler({
  name: 'page.extract',
  version: '1',
  description:
    'GETs data.url and extracts title, meta description, h1, schema.org Product fields (sku, price, currency, availability), words and links.',
  params: z.object({
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    maxBytes: z.number().int().min(1_000).max(20_000_000).default(2_000_000),
  }),
  // A polite crawler: a few requests at a time and two per second unless the job allows more.
  defaults: {
    concurrency: 4,
    rateLimitPerSecond: 2,
    itemTimeoutMs: 30_000,
    retry: { maximumAttempts: 3, initialIntervalMs: 2_000 },
  },
  async process(item, { params, signal, cost, fetch }) {
    const parsed = pageItem.safeParse(item.data);
    const url = parsed.success ? parsed.data.url : item.key;
    let response: Awaited<ReturnType<typeof get>>;
    try {
      response = await get(fetch, url, { signal, ...params });
    } finally {
      // Every request costs the site something, answered or not: count them all.
      cost(1, 'requests');
    }
    const html = response.text();
    return withinTime(() => extract(url, response.status, html), PARSE_MS, `extracting ${url}`);
  },
});

/** What a price tracker keeps of a page; lazy patterns can go quadratic on a hostile page. */
function extract(url: string, status: number, html: string) {
  const text = html.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ');
  const price = first(html, /itemprop="price"[^>]*content="([^"]+)"/);
  const availability = first(html, /itemprop="availability"[^>]*href="[^"]*\/(\w+)"/);
  return {
    url,
    status,
    title: first(html, /<title[^>]*>([^<]*)<\/title>/i),
    description: first(html, /<meta\s+name="description"\s+content="([^"]*)"/i),
    name: first(html, /<h1[^>]*>([\s\S]*?)<\/h1>/i),
    sku: first(html, /itemprop="sku"[^>]*>([^<]+)</),
    price: price === null ? null : Number(price),
    currency: first(html, /itemprop="priceCurrency"[^>]*content="([^"]+)"/),
    inStock: availability === null ? null : availability === 'InStock',
    words: decode(text).split(/\s+/).filter(Boolean).length,
    links: [...html.matchAll(/<a\s[^>]*href=/gi)].length,
  };
}
