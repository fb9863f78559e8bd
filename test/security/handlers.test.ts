import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlers as exampleHandlers } from '../../examples/handlers/index';
import { builtInHandlers, createHandlerRegistry } from '../../handlers/registry';
import { createJob, type Harness, startHarness, startOperation, waitForStatus } from '../harness';

// A tenant admin names the paths and URLs; the deployment names the roots and the allowances.
// Every refusal below is a permanent item failure (one attempt) with a message saying how to
// allow it, and the allowed read and fetch still work.

type Body = Record<string, any>;
const handlers = createHandlerRegistry([...builtInHandlers, ...exampleHandlers]);
const HUGE_BYTES = 1_000_000_000;
const MAX_BYTES = 1_000_000;

const base = realpathSync(mkdtempSync(join(tmpdir(), 'conveyor-sec-handlers-')));
const root = join(base, 'root');
const outside = join(base, 'outside');

/** Where the tenant may fetch: the only allow-listed host:port, which redirects elsewhere. */
let allowed: Server;
/** A loopback service the tenant may not reach (Temporal, Postgres, an admin UI …). */
let forbidden: Server;
let allowedUrl: string;
let forbiddenPort: number;
let hugeServed = 0;

let confined: Harness;
let closed: Harness;
let tenantKey: string;

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

beforeAll(async () => {
  mkdirSync(root);
  mkdirSync(outside);
  writeFileSync(join(root, 'doc.txt'), 'a document the tenant may read\n');
  writeFileSync(join(root, 'big.bin'), Buffer.alloc(10_000, 1));
  writeFileSync(join(outside, 'secret.txt'), 'the host’s secret\n');
  symlinkSync(join(outside, 'secret.txt'), join(root, 'escape'));
  symlinkSync(outside, join(root, 'escape-dir'));

  forbidden = createServer((_request, response) => response.end('internal secret'));
  forbiddenPort = await listen(forbidden);
  allowed = createServer((request, response) => {
    const path = request.url ?? '/';
    const redirect = (to: string) => {
      response.writeHead(302, { location: to });
      response.end();
    };
    if (path === '/ok') return response.end('public page');
    if (path === '/to-loopback') return redirect(`http://127.0.0.1:${forbiddenPort}/secret`);
    if (path === '/to-metadata') return redirect('http://169.254.169.254/latest/meta-data/');
    if (path === '/loop') return redirect('/loop');
    if (path === '/huge') {
      // No length announced: the body must be cut while it streams in.
      const chunk = Buffer.alloc(64 * 1024, 120);
      const pump = () => {
        while (hugeServed < HUGE_BYTES && !response.destroyed) {
          hugeServed += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        response.end();
      };
      return pump();
    }
    if (path === '/sitemap.xml') {
      const locs = ['ok', `${'a'.repeat(30)}!`, 'also-ok']
        .map((page) => `<url><loc>${allowedUrl}/${page}</loc></url>`)
        .join('');
      return response.end(`<urlset>${locs}</urlset>`);
    }
    response.statusCode = 404;
    response.end();
  });
  const allowedPort = await listen(allowed);
  allowedUrl = `http://127.0.0.1:${allowedPort}`;

  [confined, closed] = await Promise.all([
    startHarness({
      handlers,
      hostAccess: {
        FILE_ROOTS: root,
        FILE_MAX_BYTES: '4096',
        OUTBOUND_ALLOWED_HOSTS: `127.0.0.1:${allowedPort}`,
      },
    }),
    startHarness({ handlers }),
  ]);
  tenantKey = await confined.keyWithRole('admin');
});

afterAll(async () => {
  await Promise.all([confined?.stop(), closed?.stop()]);
  await Promise.all(
    [allowed, forbidden].map((server) => new Promise((resolve) => server?.close(resolve))),
  );
});

/** Runs one stage of `handler` over `items` as a tenant admin; the item stages by key. */
async function runStage(
  harness: Harness,
  key: string,
  handler: string,
  items: { key: string; data: Body }[],
  params: Body = {},
): Promise<Map<string, Body>> {
  const name = `${handler.replace('.', '-')}-${Math.random().toString(36).slice(2, 8)}`;
  await createJob(harness, { name, stages: [{ name: 'run', handler, params }] });
  const collection = await harness.api('POST', '/v1/collections', { name }, key);
  expect(collection.status).toBe(201);
  const upserted = await harness.api(
    'POST',
    `/v1/collections/${collection.body.id}/items`,
    { items },
    key,
  );
  expect(upserted.status).toBe(200);
  const id = await startOperation(harness, { job: name, collectionId: collection.body.id });
  await waitForStatus(harness, id, ['completed', 'failed']);
  const page = await harness.api(
    'GET',
    `/v1/operations/${id}/results?stage=run&limit=100`,
    undefined,
    key,
  );
  expect(page.status).toBe(200);
  return new Map(page.body.data.map((row: Body) => [row.key, row]));
}

function expectRefused(rows: Map<string, Body>, key: string, message: RegExp) {
  const row = rows.get(key);
  expect(row, key).toMatchObject({ status: 'failed', attempts: 1 });
  expect(row?.error, key).toMatch(message);
}

describe('files', () => {
  it('reads under FILE_ROOTS only: outside, "..", symbolic links out and oversize files are refused', async () => {
    const rows = await runStage(confined, tenantKey, 'file.checksum', [
      { key: 'inside', data: { path: join(root, 'doc.txt') } },
      { key: 'outside', data: { path: join(outside, 'secret.txt') } },
      { key: 'passwd', data: { path: '/etc/passwd' } },
      { key: 'dotdot', data: { path: `${root}/../outside/secret.txt` } },
      { key: 'symlink', data: { path: join(root, 'escape') } },
      { key: 'symlink-dir', data: { path: join(root, 'escape-dir', 'secret.txt') } },
      { key: 'big', data: { path: join(root, 'big.bin') } },
    ]);
    expect(rows.get('inside')).toMatchObject({
      status: 'done',
      result: { output: { bytes: 31 } },
    });
    expectRefused(rows, 'outside', /outside FILE_ROOTS.*add its directory to FILE_ROOTS/);
    expectRefused(rows, 'passwd', /outside FILE_ROOTS/);
    expectRefused(rows, 'dotdot', /may not contain "\.\."/);
    expectRefused(rows, 'symlink', /symbolic link leads outside FILE_ROOTS/);
    expectRefused(rows, 'symlink-dir', /symbolic link leads outside FILE_ROOTS/);
    expectRefused(rows, 'big', /10000 bytes, over FILE_MAX_BYTES \(4096\); raise FILE_MAX_BYTES/);
    for (const row of rows.values()) expect(JSON.stringify(row)).not.toContain('host’s secret');
  });

  it('the example text.index cannot read the admin key', async () => {
    const rows = await runStage(confined, tenantKey, 'text.index', [
      { key: 'admin-key', data: { path: '.data/admin-key' } },
    ]);
    expectRefused(rows, 'admin-key', /outside FILE_ROOTS/);
  });

  it('fs.directory walks a root without following links out, and refuses "/"', async () => {
    const name = 'walk-root';
    await createJob(confined, {
      name,
      stages: [{ name: 'discover', handler: 'fs.directory', params: { path: root } }],
    });
    const collection = await confined.api('POST', '/v1/collections', { name }, tenantKey);
    const id = await startOperation(confined, { job: name, collectionId: collection.body.id });
    expect(await waitForStatus(confined, id, ['completed', 'failed'])).toMatchObject({
      status: 'completed',
    });
    const items = await confined.api(
      'GET',
      `/v1/collections/${collection.body.id}/items?limit=100`,
      undefined,
      tenantKey,
    );
    expect(items.body.data.map((item: Body) => item.key).sort()).toEqual(['big.bin', 'doc.txt']);

    await createJob(confined, {
      name: 'walk-host',
      stages: [{ name: 'discover', handler: 'fs.directory', params: { path: '/' } }],
    });
    const host = await startOperation(confined, {
      job: 'walk-host',
      collectionId: collection.body.id,
    });
    const failed = await waitForStatus(confined, host, ['completed', 'failed']);
    expect(failed.status).toBe('failed');
    // The operation's record says why, for the tenant to read.
    expect(failed.error).toMatch(/outside FILE_ROOTS/);
  });

  it('with no FILE_ROOTS every path is refused, saying how to allow it', async () => {
    const rows = await runStage(closed, await closed.keyWithRole('admin'), 'file.checksum', [
      { key: 'doc', data: { path: join(root, 'doc.txt') } },
    ]);
    expectRefused(rows, 'doc', /set FILE_ROOTS to the directories handlers may read/);
  });
});

describe('outbound', () => {
  it('refuses loopback, metadata and names resolving to loopback, directly and through redirects', async () => {
    const rows = await runStage(confined, tenantKey, 'http.fetch', [
      { key: 'ok', data: { url: `${allowedUrl}/ok` } },
      { key: 'loopback', data: { url: `http://127.0.0.1:${forbiddenPort}/secret` } },
      { key: 'decimal', data: { url: `http://2130706433:${forbiddenPort}/secret` } },
      { key: 'mapped', data: { url: `http://[::ffff:127.0.0.1]:${forbiddenPort}/secret` } },
      { key: 'localhost', data: { url: `http://localhost:${forbiddenPort}/secret` } },
      { key: 'metadata', data: { url: 'http://169.254.169.254/latest/meta-data/' } },
      { key: 'redirect-loopback', data: { url: `${allowedUrl}/to-loopback` } },
      { key: 'redirect-metadata', data: { url: `${allowedUrl}/to-metadata` } },
      { key: 'loop', data: { url: `${allowedUrl}/loop` } },
    ]);
    expect(rows.get('ok')).toMatchObject({
      status: 'done',
      result: { output: { status: 200, bytes: 'public page'.length } },
    });
    const howTo = /private, loopback or link-local address; set OUTBOUND_ALLOWED_HOSTS=/;
    for (const key of ['loopback', 'decimal', 'mapped', 'localhost', 'metadata']) {
      expectRefused(rows, key, howTo);
    }
    expectRefused(rows, 'localhost', /localhost \((127\.0\.0\.1|::1)\)/);
    expectRefused(rows, 'metadata', /169\.254\.169\.254/);
    expectRefused(
      rows,
      'redirect-loopback',
      new RegExp(`127\\.0\\.0\\.1:${forbiddenPort}/secret is refused`),
    );
    expectRefused(rows, 'redirect-metadata', /169\.254\.169\.254\/latest\/meta-data\/ is refused/);
    expectRefused(rows, 'loop', /redirected more than 5 times/);
    for (const row of rows.values()) expect(JSON.stringify(row)).not.toContain('internal secret');
  });

  it('cuts a huge body at maxBytes without holding it', async () => {
    const before = process.memoryUsage().rss;
    const rows = await runStage(
      confined,
      tenantKey,
      'http.fetch',
      [{ key: 'huge', data: { url: `${allowedUrl}/huge` } }],
      { maxBytes: MAX_BYTES, timeoutMs: 60_000 },
    );
    expectRefused(rows, 'huge', /sent more than maxBytes \(1000000\); the body was cut off there/);
    // The server stopped a little past the limit (socket buffers), nowhere near its gigabyte.
    expect(hugeServed).toBeLessThan(MAX_BYTES + 32_000_000);
    expect(process.memoryUsage().rss - before).toBeLessThan(200_000_000);
  });

  it('with no allowances, private targets are refused, saying how to allow them', async () => {
    const rows = await runStage(closed, await closed.keyWithRole('admin'), 'http.fetch', [
      { key: 'ok', data: { url: `${allowedUrl}/ok` } },
    ]);
    expectRefused(
      rows,
      'ok',
      /set OUTBOUND_ALLOWED_HOSTS=127\.0\.0\.1:\d+ \(or OUTBOUND_ALLOW_PRIVATE=true\)/,
    );
  });

  it('the example device.command connects only where allowed', async () => {
    const rows = await runStage(confined, tenantKey, 'device.command', [
      { key: 'temporal-like', data: { host: '127.0.0.1', port: forbiddenPort } },
      { key: 'by-name', data: { host: 'localhost', port: forbiddenPort } },
    ]);
    expectRefused(rows, 'temporal-like', /private, loopback/);
    expectRefused(rows, 'by-name', /private, loopback/);
  });
});

describe('tenant regular expressions', () => {
  it('a catastrophic include fails its stage within a bound while other work proceeds', async () => {
    await createJob(confined, {
      name: 'redos',
      stages: [
        {
          name: 'discover',
          handler: 'sitemap.urls',
          params: { url: `${allowedUrl}/sitemap.xml`, include: '(a+)+$' },
        },
      ],
    });
    const sites = await confined.api('POST', '/v1/collections', { name: 'sites' }, tenantKey);
    const started = performance.now();
    const redos = await startOperation(confined, { job: 'redos', collectionId: sites.body.id });
    const others = await runStage(
      confined,
      tenantKey,
      'noop',
      Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, data: {} })),
    );
    const failed = await waitForStatus(confined, redos, ['completed', 'failed']);
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/with include \/\(a\+\)\+\$\/ took over 1000 ms and was stopped/);
    expect([...others.values()].every((row) => row.status === 'done')).toBe(true);
    expect(others.size).toBe(20);
  });
});
