import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Context, Hono } from 'hono';
import { CONSOLE_DIST } from '../../console/dist-path';
import type { AppEnv } from '../env';
import { Problem, problemResponse } from '../problems';

/** Asset names the build writes: content-hashed, so they may be cached for good. */
const ASSET_NAME = /^[\w-]+\.(js|css)$/;
const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/**
 * The page may load only its own files and call only this API; uPlot sets inline styles.
 * The Temporal Web UI is a plain link, which this does not restrict.
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const notBuilt = new Problem(
  503,
  'console-not-built',
  'Console not built',
  'The console page has not been built in this checkout: run `npm run build:console` (npm ci runs it too), then reload.',
);

/**
 * `GET /ui` and everything under it: the console, a single page over this API, from `dist`
 * (`console/dist` unless a test says otherwise). Plain routes,
 * not OpenAPI ones: the page is not part of the API's document. No key is needed to load it;
 * the page asks for one and sends it on every API call.
 */
export function consoleRoutes({ dist = CONSOLE_DIST }: { dist?: string } = {}) {
  const app = new Hono<AppEnv>();

  const page = async (c: Context<AppEnv>) => {
    let html: string;
    try {
      // Read on every request: cheap, and a rebuild is served without a restart.
      html = await readFile(join(dist, 'index.html'), 'utf8');
    } catch {
      return problemResponse(c, notBuilt);
    }
    return c.html(html, 200, { 'cache-control': 'no-cache', ...SECURITY_HEADERS });
  };

  app.get('/ui/assets/:name', async (c) => {
    const name = c.req.param('name');
    const type = ASSET_NAME.test(name) ? TYPES[name.split('.').pop() as string] : undefined;
    if (!type) return c.notFound();
    let body: Buffer;
    try {
      body = await readFile(join(dist, 'assets', name));
    } catch {
      return c.notFound();
    }
    return c.body(new Uint8Array(body), 200, {
      'content-type': type,
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    });
  });
  app.get('/ui', page);
  app.get('/ui/*', page);

  return app;
}
