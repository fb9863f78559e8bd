import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { consoleRoutes } from '../../api/service/console';
import { buildConsole } from '../../console/build';
import { CONSOLE_DIST } from '../../console/dist-path';

// Routes only: no request here reaches Postgres or Temporal.
const app = createApp({} as never);

beforeAll(async () => {
  await buildConsole();
});

describe('the console is served at /ui', () => {
  it('answers the page for /ui and every page path, without a key', async () => {
    for (const path of [
      '/ui',
      '/ui/',
      '/ui/operations',
      '/ui/operations/op-123',
      '/ui/statistics',
    ]) {
      const response = await app.request(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(await response.text()).toContain('<div id="app"></div>');
    }
  });

  it('serves the hashed assets for good, and nothing else from disk', async () => {
    for (const name of readdirSync(join(CONSOLE_DIST, 'assets'))) {
      const response = await app.request(`/ui/assets/${name}`);
      expect(response.status, name).toBe(200);
      expect(response.headers.get('cache-control')).toContain('immutable');
    }
    expect((await app.request('/ui/assets/..%2Findex.html')).status).toBe(404);
    expect((await app.request('/ui/assets/missing-AAAA.js')).status).toBe(404);
  });

  it('refuses other methods and stays out of the API document', async () => {
    const posted = await app.request('/ui', { method: 'POST' });
    expect(posted.status).toBe(405);
    expect(posted.headers.get('allow')).toContain('GET');
    const document = (await (await app.request('/openapi.json')).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(document.paths).filter((path) => path.startsWith('/ui'))).toEqual([]);
  });

  it('says to build the console when it was not built', async () => {
    const unbuilt = new Hono().route('/', consoleRoutes({ dist: '/nonexistent/console-dist' }));
    const response = await unbuilt.request('/ui/operations');
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(((await response.json()) as { detail: string }).detail).toContain(
      'npm run build:console',
    );
  });

  it('builds the same bytes from the same sources', async () => {
    const first = await buildConsole();
    const second = await buildConsole();
    expect(second).toEqual(first);
  });
});
